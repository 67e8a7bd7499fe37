"""The services tell members what concerns them (``communities.signals.member_notified``, on
commit) and tell the apps above when a membership begins or ends: each operation sends the right
signal once, to the right people, and role changes neither start nor end a membership."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import services, signals
from communities.models import MemberRequest, Membership, WorkingGroupMembership

from . import factories
from .conftest import fresh, make_member

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """``(signal name, user id or membership id, kind)`` of every signal sent on commit."""

    class Recorder(list):
        def during(self):
            self.clear()
            return django_capture_on_commit_callbacks(execute=True)

    sent = Recorder()

    def notified(sender, user, community, kind, subject, message, url, **kwargs):
        assert subject and message and community is not None
        sent.append(("notified", user.pk, kind))

    def started(sender, membership, **kwargs):
        sent.append(("started", membership.user_id, None))

    def ended(sender, membership, **kwargs):
        sent.append(("ended", membership.user_id, None))

    signals.member_notified.connect(notified, dispatch_uid="test_notified")
    signals.membership_started.connect(started, dispatch_uid="test_started")
    signals.membership_ended.connect(ended, dispatch_uid="test_ended")

    yield sent
    signals.member_notified.disconnect(dispatch_uid="test_notified")
    signals.membership_started.disconnect(dispatch_uid="test_started")
    signals.membership_ended.disconnect(dispatch_uid="test_ended")


def test_working_group_invitation_and_answer(world, heard):
    coordinator = fresh(world.users["coordinator"])
    invitee = fresh(world.users["designated"])
    with heard.during():
        services.invite(coordinator, invitee, world.group)
    assert heard == [("notified", invitee.pk, "working_group_invitation")]
    with heard.during():
        services.answer_invitation(fresh(invitee), world.group, True)
    assert heard == [("notified", coordinator.pk, "working_group_decision")]


def test_working_group_request_goes_to_managers_and_group_coordinators(world, heard):
    requester = make_member(world.community, Role.DESIGNATED)
    with heard.during():
        services.request_to_join(fresh(requester), world.group)
    expected = {world.users[column].pk for column in ("coordinator", "support", "wg_coordinator")}
    assert sorted(heard) == sorted(("notified", pk, "working_group_request") for pk in expected)
    with heard.during():
        services.answer_request(fresh(world.users["support"]), requester, world.group, False)
    assert heard == [("notified", requester.pk, "working_group_decision")]


def test_member_request_decided(world, heard):
    coordinator = fresh(world.users["coordinator"])
    member = make_member(world.community, Role.DESIGNATED)
    membership = Membership.objects.get(user=member, left_at__isnull=True)
    services.suspend_member(
        coordinator, membership, timezone.now() + datetime.timedelta(days=3), "Toni offensivi"
    )
    request = services.ask_managers(fresh(member), world.community, "Chiedo scusa")
    with heard.during():
        services.decide_request(coordinator, request, True, "Va bene")
    assert heard == [("notified", member.pk, "request_decision")]
    assert MemberRequest.objects.get(pk=request.pk).status == "accepted"


@pytest.mark.parametrize(
    "operation",
    ["request_designation_copy", "verify_designation", "revoke_designation"],
)
def test_designation_outcomes(world, heard, operation):
    with heard.during():
        getattr(services, operation)(fresh(world.users["coordinator"]), world.designation)
    assert heard == [("notified", world.subject.pk, "designation_decision")]


def test_role_assigned_by_staff_is_no_new_membership(world, heard):
    staff = factories.StaffUserFactory(is_superuser=True)
    membership = Membership.objects.get(user=world.users["participant"], left_at__isnull=True)
    with heard.during():
        services.assign_role(staff, membership, Role.SUPPORT, "anci_dtd")
    assert heard == [("notified", world.users["participant"].pk, "role_change")]


def test_switching_role_starts_and_ends_nothing(world, heard):
    with heard.during():
        services.switch_role(fresh(world.users["designated"]), world.community, Role.PARTICIPANT)
    assert heard == []


def test_support_application_and_decision(world, heard):
    applicant = fresh(world.users["participant"])
    with heard.during():
        application = services.apply_support(applicant, world.community, "Esperto")
    assert heard == [("notified", world.users["coordinator"].pk, "support_application")]
    with heard.during():
        services.decide_support_application(
            fresh(world.users["coordinator"]), application, False, "Non ora"
        )
    assert heard == [("notified", applicant.pk, "support_decision")]


def test_staff_adding_a_member_in_the_admin_starts_a_membership(client, world, heard):
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    newcomer = factories.RegisteredUserFactory()
    with heard.during():
        response = client.post(
            reverse("community_memberships:add"),
            {
                "user": newcomer.pk,
                "community": world.community.pk,
                "role": "coordinator",
                "support_kind": "",
                "joined_at": timezone.now().strftime("%Y-%m-%d %H:%M"),
            },
        )
    assert response.status_code == 302, response.text[:2000]
    assert sorted(heard) == sorted(
        [("notified", newcomer.pk, "role_change"), ("started", newcomer.pk, None)]
    )
    assert WorkingGroupMembership.objects.filter(user=newcomer).count() == 0


def test_erasure_ends_the_memberships_for_the_apps_above(world, heard):
    from communities.gdpr import end_memberships

    member = world.users["designated"]
    with heard.during():
        end_memberships(fresh(member))
    assert heard == [("ended", member.pk, None)]
