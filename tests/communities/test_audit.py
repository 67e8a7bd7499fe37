"""Every security-relevant action of the communities lands in the audit trail (``cms.audit``,
Wagtail's log entries) with its actor, action and object — taken from the outside (site pages,
the API) — and staff find it in the admin's Site history, filtered by action."""

import datetime
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry, PageLogEntry

from communities import services
from communities.models import (
    Designation,
    MemberRequest,
    Membership,
    WorkingGroupMembership,
)
from communities.wagtail_hooks import AUDIT_ACTIONS

from . import factories
from .conftest import fresh

pytestmark = pytest.mark.django_db

DECLARATION = {"role": "designated", "signed_by": "rtd", "act_date": "2026-01-10"}


def site(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def entry(action, instance, actor):
    """The one entry of ``action`` about ``instance`` by ``actor``."""
    entries = ModelLogEntry.objects.filter(
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        user=actor,
    )
    assert entries.count() == 1, (action, list(ModelLogEntry.objects.values_list("action")))
    return entries.get()


def test_every_action_is_registered():
    registry.scan_for_actions()
    for code, _label, _message in AUDIT_ACTIONS:
        assert registry.action_exists(code), code
    assert len({code for code, _l, _m in AUDIT_ACTIONS}) == len(AUDIT_ACTIONS)


def test_member_actions_are_recorded(client, world):
    user = factories.RegisteredUserFactory()
    client.force_login(user)
    joined = client.post(site("participation:join", world.community.pk), DECLARATION)
    assert joined.status_code == 302
    membership = Membership.objects.get(user=user, left_at__isnull=True)
    assert entry("communities.join", membership, user).data == {"role": "designated"}
    entry("communities.designation_declared", membership.designation, user)

    switch = site("participation:switch_role", world.community.pk)
    assert client.post(switch, {"role": "participant"}).status_code == 302
    assert entry("communities.switch_role", membership, user).data == {
        "from": "designated",
        "to": "participant",
    }
    assert client.post(switch, DECLARATION).status_code == 302
    assert (
        ModelLogEntry.objects.filter(action="communities.designation_declared", user=user).count()
        == 2
    )

    # Through the API too.
    api = APIClient()
    api.force_login(user)
    response = api.post(reverse("community_api:community_leave", args=[world.community.pk]))
    assert response.status_code == 204
    entry("communities.leave", membership, user)


def test_designation_handling_is_recorded(client, world):
    coordinator = world.users["coordinator"]
    designation = world.designation
    client.force_login(coordinator)
    for action in ("request-copy", "verify", "revoke"):
        url = site("communities:manage_designation", world.community.pk, designation.pk, action)
        assert client.post(url).status_code == 302
    for code in ("copy_requested", "verified", "revoked"):
        logged = entry(f"communities.designation_{code}", designation, coordinator)
        assert logged.data["member"] == world.subject.pk
    url = site("communities:manage_designation", world.community.pk, designation.pk, "reopen")
    assert client.post(url).status_code == 302
    entry("communities.designation_reopened", designation, coordinator)
    designation.refresh_from_db()
    assert designation.status == Designation.Status.REVOKED
    assert not designation.blocks_declaring


def test_measures_and_requests_are_recorded(client, world):
    coordinator, support = world.users["coordinator"], world.users["support"]
    member = world.users["participant"]
    membership = Membership.objects.get(user=member, left_at__isnull=True)

    client.force_login(support)
    until = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    client.post(
        site("communities:manage_member_suspend", world.community.pk, membership.pk),
        {"until": until, "reason": "Toni offensivi"},
    )
    suspended = entry("communities.suspend", membership, support)
    assert suspended.data["member"] == member.pk
    assert "Toni offensivi" not in str(suspended.data)  # free text stays on the membership

    client.force_login(member)
    client.post(site("participation:ask_managers", world.community.pk), {"message": "Scusate"})
    request = MemberRequest.objects.get()
    assert entry("communities.request", request, member).data["kind"] == "lift_suspension"
    client.force_login(support)
    client.post(
        site("communities:manage_request_decide", world.community.pk, request.pk),
        {"decision": "accept"},
    )
    entry("communities.request_accepted", request, support)
    entry("communities.suspension_lifted", membership, support)

    client.force_login(coordinator)
    client.post(
        site("communities:manage_member_remove", world.community.pk, membership.pk),
        {"reason": "Recidivo"},
    )
    entry("communities.remove", membership, coordinator)
    services.ask_managers(fresh(member), world.community)
    request = MemberRequest.objects.get(status=MemberRequest.Status.PENDING)
    client.post(
        site("communities:manage_request_decide", world.community.pk, request.pk),
        {"decision": "refuse"},
    )
    entry("communities.request_refused", request, coordinator)


def test_working_group_actions_are_recorded(client, world):
    coordinator = world.users["coordinator"]
    invitee, requester = world.users["designated"], world.subject
    client.force_login(coordinator)
    invite = site("communities:manage_group_invite", world.group.pk)
    client.post(invite, {"invite-user": invitee.pk})
    invitation = WorkingGroupMembership.objects.get(user=invitee, group=world.group)
    entry("communities.wg_invite", invitation, coordinator)

    client.force_login(invitee)
    client.post(site("participation:answer_invitation", world.group.pk), {"answer": "accept"})
    entry("communities.wg_invitation_accepted", invitation, invitee)

    client.force_login(requester)
    client.post(site("participation:request_to_join", world.group.pk))
    request = WorkingGroupMembership.objects.get(user=requester, group=world.group)
    entry("communities.wg_request", request, requester)
    client.force_login(coordinator)
    client.post(
        site("communities:manage_group_request", world.group.pk, request.pk),
        {"decision": "accept"},
    )
    entry("communities.wg_request_accepted", request, coordinator)
    client.post(
        site("communities:manage_group_coordinator", world.group.pk),
        {"coordinator-user": requester.pk},
    )
    entry("communities.wg_coordinator_named", request, coordinator)
    services.leave_working_group(fresh(invitee), world.group)
    entry("communities.wg_leave", invitation, invitee)

    second = factories.WorkingGroupPageFactory(parent=world.area, title="Formazione")
    services.invite(fresh(coordinator), fresh(invitee), second)
    services.answer_invitation(fresh(invitee), second, accept=False)
    declined = WorkingGroupMembership.objects.get(user=invitee, group=second)
    entry("communities.wg_invitation_declined", declined, invitee)
    services.request_to_join(fresh(requester), second)
    refused = WorkingGroupMembership.objects.get(user=requester, group=second)
    services.answer_request(fresh(coordinator), fresh(requester), second, accept=False)
    entry("communities.wg_request_refused", refused, coordinator)


def test_members_export_is_recorded(client, world):
    coordinator = world.users["coordinator"]
    client.force_login(coordinator)
    response = client.get(
        site("communities:manage_members_csv", world.community.pk), {"role": "designated"}
    )
    assert response.status_code == 200
    logged = PageLogEntry.objects.get(action="communities.members_exported")
    assert logged.user == coordinator
    assert logged.page_id == world.community.pk
    assert logged.data["filters"] == {"role": "designated"}
    assert (
        logged.data["rows"]
        == Membership.objects.filter(
            community=world.community, left_at__isnull=True, role="designated"
        ).count()
    )


def test_site_history_shows_the_entries_filtered_by_action(client, world):
    coordinator = world.users["coordinator"]
    member = world.users["participant"]
    membership = Membership.objects.get(user=member, left_at__isnull=True)
    services.remove_member(fresh(coordinator), membership, "Recidivo")
    services.suspend_member(
        fresh(coordinator),
        Membership.objects.get(user=world.users["designated"], left_at__isnull=True),
        timezone.now() + datetime.timedelta(days=1),
        "Prova",
    )
    admin = factories.StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_reports:site_history")
    assert url == "/admin/reports/site-history/"
    response = client.get(url, {"action": "communities.remove"})  # the admin speaks Italian
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Ha rimosso il membro dalla comunità" in text
    assert str(membership) in text
    assert coordinator.get_full_name() in text
    assert "Ha sospeso il membro" not in text

    export = client.get(url, {"action": "communities.suspend", "export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Sospendere un membro" in content
    assert "Rimuovere un membro" not in content
