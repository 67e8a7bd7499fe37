"""The management pages of coordinators and the support team on the site
(``communities.views.manage*``): who gets in, what each action changes, bad input."""

import datetime
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from communities.models import (
    Designation,
    Membership,
    ReservedSpace,
    WorkingGroupMembership,
    WorkingGroupPage,
)

from . import factories
from .conftest import make_member

pytestmark = pytest.mark.django_db

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status

ALL = [
    "anonymous",
    "registered",
    "participant",
    "designated",
    "wg_member",
    "wg_coordinator",
    "coordinator",
    "support",
    "other_member",
    "staff",
]
#: Users who know nothing of the community: 404 (its management pages do not exist for them).
OUTSIDERS = {"registered", "other_member"}


def login(client, world, column):
    user = world.users[column]
    if user is not None:
        client.force_login(user)
    return client


def expected_refusal(column):
    if column == "anonymous":
        return 302
    return 404 if column in OUTSIDERS else 403


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def check_access(client, world, column, target, allowed, method="get", data=None):
    login(client, world, column)
    response = getattr(client, method)(target, data or {})
    if column in allowed:
        assert response.status_code in (200, 302), (column, response.status_code)
        if response.status_code == 302:
            assert "/accedi/" not in response["Location"]
    else:
        assert response.status_code == expected_refusal(column), (column, response.status_code)
        if column == "anonymous":
            assert "/accedi/" in response["Location"] or "login" in response["Location"]
    return response


# --- Who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ALL)
def test_members_list_access(client, world, column):
    check_access(
        client,
        world,
        column,
        url("manage_members", world.community.pk),
        allowed={"coordinator", "support", "staff"},
    )


@pytest.mark.parametrize("column", ALL)
def test_members_csv_access(client, world, column):
    check_access(
        client,
        world,
        column,
        url("manage_members_csv", world.community.pk),
        allowed={"coordinator", "support", "staff"},
    )


@pytest.mark.parametrize("column", ALL)
def test_home_access(client, world, column):
    check_access(
        client,
        world,
        column,
        url("manage_home", world.community.pk),
        allowed={"coordinator", "support", "staff", "wg_coordinator"},
    )


@pytest.mark.parametrize("column", ALL)
def test_group_page_access(client, world, column):
    check_access(
        client,
        world,
        column,
        url("manage_group", world.group.pk),
        allowed={"coordinator", "support", "staff", "wg_coordinator"},
    )


@pytest.mark.parametrize("column", ALL)
def test_group_edit_access(client, world, column):
    check_access(
        client,
        world,
        column,
        url("manage_group_edit", world.group.pk),
        allowed={"coordinator", "support", "staff", "wg_coordinator"},
    )


@pytest.mark.parametrize("column", ALL)
def test_group_create_access(client, world, column):
    check_access(
        client,
        world,
        column,
        url("manage_group_create", world.community.pk),
        allowed={"coordinator", "support", "staff"},
    )


@pytest.mark.parametrize("column", ALL)
def test_verify_designation_access(client, world, column):
    target = url("manage_designation", world.community.pk, world.designation.pk, "verify")
    check_access(
        client, world, column, target, allowed={"coordinator", "support", "staff"}, method="post"
    )
    world.designation.refresh_from_db()
    verified = world.designation.status == Designation.Status.VERIFIED
    assert verified is (column in {"coordinator", "support", "staff"})


@pytest.mark.parametrize("column", ALL)
def test_invite_access(client, world, column):
    invitee = make_member(world.community, Role.DESIGNATED)
    target = url("manage_group_invite", world.group.pk)
    check_access(
        client,
        world,
        column,
        target,
        allowed={"coordinator", "support", "staff", "wg_coordinator"},
        method="post",
        data={"invite-user": invitee.pk},
    )
    invited = WorkingGroupMembership.objects.filter(
        user=invitee, group=world.group, status=WGStatus.INVITED
    ).exists()
    assert invited is (column in {"coordinator", "support", "staff", "wg_coordinator"})


def test_superuser_gets_in(client, world):
    admin = factories.StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    assert client.get(url("manage_members", world.community.pk)).status_code == 200
    assert client.get(url("manage_group", world.group.pk)).status_code == 200


def test_other_community_coordinator_gets_404(client, world):
    other_coordinator = make_member(world.other, Role.COORDINATOR)
    client.force_login(other_coordinator)
    assert client.get(url("manage_members", world.community.pk)).status_code == 404
    assert client.get(url("manage_group", world.group.pk)).status_code == 404
    assert client.get(url("manage_home", world.other.pk)).status_code == 200


def test_refusal_page_is_readable(client, world):
    login(client, world, "participant")
    response = client.get(url("manage_members", world.community.pk))
    assert response.status_code == 403
    assert response.content.decode().count("<h1") == 1
    assert "no-store" in response["Cache-Control"]


# --- Entry point ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "shown"),
    [
        ("participant", False),
        ("designated", False),
        ("wg_member", False),
        ("wg_coordinator", True),
        ("coordinator", True),
        ("support", True),
    ],
)
def test_manage_link_on_reserved_area(client, world, column, shown):
    login(client, world, column)
    response = client.get(world.area.url)
    assert response.status_code == 200
    assert (url("manage_home", world.community.pk) in response.content.decode()) is shown


# --- Members and designations -----------------------------------------------------------------


def test_members_list_shows_roles_ente_and_designations(client, world):
    login(client, world, "coordinator")
    response = client.get(url("manage_members", world.community.pk))
    html = response.content.decode()
    assert html.count("<h1") == 1
    subject = world.subject
    assert subject.last_name in html
    assert "Designated participant" in html or "Partecipante designato" in html
    assert url("manage_designation", world.community.pk, world.designation.pk, "verify") in html
    # Every active member of this community is listed, nobody else.
    listed = {membership.user_id for membership in response.context["members"]}
    assert world.users["participant"].pk in listed
    assert world.users["other_member"].pk not in listed
    assert world.users["registered"].pk not in listed


def test_members_list_filters(client, world):
    login(client, world, "coordinator")
    response = client.get(url("manage_members", world.community.pk), {"role": "participant"})
    rows = list(response.context["members"])
    assert rows and {m.role for m in rows} == {Role.PARTICIPANT}
    response = client.get(url("manage_members", world.community.pk), {"status": "verified"})
    assert list(response.context["members"]) == []
    response = client.get(url("manage_members", world.community.pk), {"status": "none"})
    listed = {m.user_id for m in response.context["members"]}
    assert world.users["participant"].pk in listed
    assert world.users["designated"].pk not in listed
    response = client.get(url("manage_members", world.community.pk), {"status": "declared"})
    listed = {m.user_id for m in response.context["members"]}
    assert world.subject.pk in listed and world.users["participant"].pk not in listed
    # An unknown value is ignored (the whole list), not an error.
    response = client.get(url("manage_members", world.community.pk), {"role": "boss"})
    assert response.status_code == 200


def test_members_list_query_budget_does_not_grow(client, world):
    login(client, world, "coordinator")
    target = url("manage_members", world.community.pk)
    client.get(target)  # warm the caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    few_count = len(few)
    for _ in range(15):
        make_member(world.community, Role.DESIGNATED)
        make_member(world.community, Role.PARTICIPANT)
    # The writes above bumped the shared snapshots' token (cms/snapshots.py): warm them again.
    client.get(target)
    with CaptureQueriesContext(connection) as many:
        response = client.get(target)
    assert len(response.context["members"]) > 30
    assert len(many) == few_count


def test_members_list_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(10):
        make_member(world.community, Role.DESIGNATED)
    login(client, world, "coordinator")
    target = url("manage_members", world.community.pk)
    client.get(target)
    with django_assert_max_num_queries(20):
        client.get(target)


def test_members_csv(client, world):
    world.subject.first_name = "=cmd|' /C calc'!A0"
    world.subject.save()
    login(client, world, "support")
    response = client.get(url("manage_members_csv", world.community.pk), {"role": "designated"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    designated = Membership.objects.filter(
        community=world.community, role=Role.DESIGNATED, left_at__isnull=True
    ).count()
    assert len(lines) == 1 + designated
    assert "'=cmd" in text  # formulas are neutralised


def test_request_copy_notifies_member(client, world, django_capture_on_commit_callbacks, caplog):
    from communities import signals

    heard = []
    signals.member_notified.connect(
        lambda sender, user, kind, **kw: heard.append(user.pk), weak=False, dispatch_uid="t_copy"
    )
    world.subject.contact_email = "designato@comune.example.it"
    world.subject.save()
    login(client, world, "coordinator")
    target = url("manage_designation", world.community.pk, world.designation.pk, "request-copy")
    with (
        caplog.at_level(logging.INFO, logger="communities.manage"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(target, {"next": url("manage_members", world.community.pk)})
    assert response.status_code == 302
    world.designation.refresh_from_db()
    assert world.designation.status == Designation.Status.COPY_REQUESTED
    assert world.designation.copy_requested_by == world.users["coordinator"]
    # The member is told through communities.signals.member_notified (the mailing app
    # emails it): no direct email from the service any more.
    signals.member_notified.disconnect(dispatch_uid="t_copy")
    assert heard == [world.subject.pk]
    assert any("request-copy" in record.getMessage() for record in caplog.records)


def test_verify_and_revoke(client, world):
    factories.WorkingGroupMembershipFactory(user=world.subject, group=world.group)
    login(client, world, "support")
    verify = url("manage_designation", world.community.pk, world.designation.pk, "verify")
    assert client.post(verify).status_code == 302
    world.designation.refresh_from_db()
    assert world.designation.status == Designation.Status.VERIFIED

    revoke = url("manage_designation", world.community.pk, world.designation.pk, "revoke")
    confirm = client.get(revoke)
    assert confirm.status_code == 200
    assert confirm.content.decode().count("<h1") == 1
    assert client.post(revoke).status_code == 302
    world.designation.refresh_from_db()
    assert world.designation.status == Designation.Status.REVOKED
    membership = Membership.objects.get(user=world.subject, community=world.community)
    assert membership.role == Role.PARTICIPANT
    assert not WorkingGroupMembership.objects.filter(
        user=world.subject, status__in=WorkingGroupMembership.OPEN_STATUSES
    ).exists()

    # Revoked: verifying again is refused with a message, nothing changes.
    response = client.post(verify, follow=True)
    world.designation.refresh_from_db()
    assert world.designation.status == Designation.Status.REVOKED
    assert "no longer a designated participant" in response.content.decode() or (
        "non è più" in response.content.decode()
    )


def test_designation_actions_need_post_and_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    target = url("manage_designation", world.community.pk, world.designation.pk, "verify")
    assert client.post(target).status_code == 403
    world.designation.refresh_from_db()
    assert world.designation.status == Designation.Status.DECLARED
    # GET does not act.
    assert client.get(target).status_code == 302
    world.designation.refresh_from_db()
    assert world.designation.status == Designation.Status.DECLARED


def test_designation_of_another_community_is_404(client, world):
    other_designation = Membership.objects.get(
        user=world.users["other_member"], community=world.other
    ).designation
    login(client, world, "coordinator")
    target = url("manage_designation", world.community.pk, other_designation.pk, "verify")
    assert client.post(target).status_code == 404
    unknown = url("manage_designation", world.community.pk, world.designation.pk, "explode")
    assert client.post(unknown).status_code == 404
    other_designation.refresh_from_db()
    assert other_designation.status == Designation.Status.DECLARED


def test_next_is_never_another_site(client, world):
    login(client, world, "coordinator")
    target = url("manage_designation", world.community.pk, world.designation.pk, "verify")
    response = client.post(target, {"next": "https://evil.example/"})
    assert response["Location"] == url("manage_members", world.community.pk)


# --- Working groups ---------------------------------------------------------------------------


GROUP_DATA = {
    "title": "Continuità operativa",
    "goal": "Piani di continuità per i servizi digitali.\n\nSecondo paragrafo <con> simboli.",
    "deliverable": "Modello di piano di continuità",
    "start_date": "2026-04-01",
    "end_date": "2026-12-31",
    "status": "planned",
}


def test_create_working_group(client, world, caplog):
    login(client, world, "coordinator")
    with caplog.at_level(logging.INFO, logger="communities.manage"):
        response = client.post(url("manage_group_create", world.community.pk), GROUP_DATA)
    assert response.status_code == 302
    group = WorkingGroupPage.objects.get(title="Continuità operativa")
    assert response["Location"] == url("manage_group", group.pk)
    assert group.live and group.get_parent().pk == world.area.pk
    assert group.slug == "continuita-operativa"
    assert group.start_date == datetime.date(2026, 4, 1)
    assert "&lt;con&gt;" in group.goal and group.goal.count("<p>") == 2
    assert ReservedSpace.objects.filter(
        kind=ReservedSpace.Kind.WORKING_GROUP, translation_key=group.translation_key
    ).exists()
    assert PageViewRestriction.objects.filter(page=group).count() == 1
    assert any("working group created" in record.getMessage() for record in caplog.records)
    # A second group with the same title gets its own slug.
    client.post(url("manage_group_create", world.community.pk), GROUP_DATA)
    assert WorkingGroupPage.objects.filter(slug="continuita-operativa-2").exists()
    # Participants cannot see the new group's space; the coordinator can.
    login(client, world, "participant")
    assert client.get(group.url).status_code in (302, 403, 404)


def test_create_working_group_end_before_start(client, world):
    login(client, world, "support")
    data = dict(GROUP_DATA, end_date="2026-01-01")
    before = WorkingGroupPage.objects.count()
    response = client.post(url("manage_group_create", world.community.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Continuità operativa"' in html  # typed values kept
    assert "Modello di piano di continuità" in html
    assert 'aria-invalid="true"' in html
    assert 'id="form-errors"' in html
    assert html.count("<h1") == 1
    assert WorkingGroupPage.objects.count() == before


def test_create_working_group_missing_fields(client, world):
    login(client, world, "coordinator")
    response = client.post(url("manage_group_create", world.community.pk), {"title": " "})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"title", "goal", "deliverable", "start_date"}


def test_edit_working_group(client, world):
    login(client, world, "wg_coordinator")
    response = client.get(url("manage_group_edit", world.group.pk))
    assert response.context["form"].initial["goal"].startswith("Redigere linee guida")
    data = dict(GROUP_DATA, title="Gestione degli incidenti", status="active")
    response = client.post(url("manage_group_edit", world.group.pk), data)
    assert response.status_code == 302
    group = WorkingGroupPage.objects.get(pk=world.group.pk)
    assert group.title == "Gestione degli incidenti"
    assert group.status == "active"
    assert group.live


def test_edit_working_group_bad_dates(client, world):
    login(client, world, "coordinator")
    data = dict(GROUP_DATA, start_date="2026-05-01", end_date="2026-04-01")
    response = client.post(url("manage_group_edit", world.group.pk), data)
    assert response.status_code == 400
    assert WorkingGroupPage.objects.get(pk=world.group.pk).title == "Gestione incidenti"


def test_group_page_lists_members_and_candidates(client, world):
    candidate = make_member(world.community, Role.DESIGNATED)
    login(client, world, "coordinator")
    response = client.get(url("manage_group", world.group.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert world.users["wg_member"].last_name in html
    choices = [
        value for value, _label in response.context["invite_form"].fields["user"].widget.choices
    ]
    assert candidate.pk in choices
    assert world.users["participant"].pk not in choices
    assert world.users["wg_member"].pk not in choices


def test_invite_participant_is_refused(client, world):
    login(client, world, "coordinator")
    participant = world.users["participant"]
    response = client.post(
        url("manage_group_invite", world.group.pk), {"invite-user": participant.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only designated participants" in html or "partecipanti designati" in html
    assert not WorkingGroupMembership.objects.filter(user=participant, group=world.group).exists()


@pytest.mark.parametrize("invitee", ["wg_member", "other_member", "registered"])
def test_invite_bad_invitees(client, world, invitee):
    login(client, world, "coordinator")
    user = world.users[invitee]
    before = WorkingGroupMembership.objects.filter(user=user).count()
    response = client.post(url("manage_group_invite", world.group.pk), {"invite-user": user.pk})
    assert response.status_code == 400
    assert WorkingGroupMembership.objects.filter(user=user).count() == before


def test_invite_designated(client, world, caplog):
    invitee = make_member(world.community, Role.DESIGNATED)
    login(client, world, "wg_coordinator")
    with caplog.at_level(logging.INFO, logger="communities.manage"):
        response = client.post(
            url("manage_group_invite", world.group.pk), {"invite-user": invitee.pk}
        )
    assert response.status_code == 302
    row = WorkingGroupMembership.objects.get(user=invitee, group=world.group)
    assert row.status == WGStatus.INVITED
    assert row.invited_by == world.users["wg_coordinator"]
    assert any("invitation" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(("decision", "status"), [("accept", "active"), ("decline", "declined")])
def test_answer_request(client, world, decision, status):
    requester = make_member(world.community, Role.DESIGNATED)
    row = factories.WorkingGroupMembershipFactory(
        user=requester, group=world.group, status=WGStatus.REQUESTED
    )
    login(client, world, "wg_coordinator")
    response = client.post(
        url("manage_group_request", world.group.pk, row.pk), {"decision": decision}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == status
    # Answering twice: nothing to answer, 400.
    response = client.post(
        url("manage_group_request", world.group.pk, row.pk), {"decision": decision}
    )
    assert response.status_code == 400


def test_answer_request_bad_decision(client, world):
    requester = make_member(world.community, Role.DESIGNATED)
    row = factories.WorkingGroupMembershipFactory(
        user=requester, group=world.group, status=WGStatus.REQUESTED
    )
    login(client, world, "coordinator")
    response = client.post(url("manage_group_request", world.group.pk, row.pk), {"decision": "x"})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.status == WGStatus.REQUESTED


def test_wg_member_cannot_answer_request(client, world):
    requester = make_member(world.community, Role.DESIGNATED)
    row = factories.WorkingGroupMembershipFactory(
        user=requester, group=world.group, status=WGStatus.REQUESTED
    )
    login(client, world, "wg_member")
    response = client.post(
        url("manage_group_request", world.group.pk, row.pk), {"decision": "accept"}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == WGStatus.REQUESTED


def test_set_group_coordinator(client, world):
    login(client, world, "coordinator")
    member = world.users["wg_member"]
    response = client.post(
        url("manage_group_coordinator", world.group.pk), {"coordinator-user": member.pk}
    )
    assert response.status_code == 302
    roles = dict(
        WorkingGroupMembership.objects.filter(group=world.group).values_list("user_id", "role")
    )
    assert roles[member.pk] == WorkingGroupMembership.Role.COORDINATOR
    assert roles[world.users["wg_coordinator"].pk] == WorkingGroupMembership.Role.MEMBER


def test_set_group_coordinator_not_a_member(client, world):
    login(client, world, "coordinator")
    response = client.post(
        url("manage_group_coordinator", world.group.pk),
        {"coordinator-user": world.users["designated"].pk},
    )
    assert response.status_code == 400
    assert (
        WorkingGroupMembership.objects.get(user=world.users["wg_coordinator"]).role
        == WorkingGroupMembership.Role.COORDINATOR
    )
