"""The managers' measures from the outside (site pages and the API, as each role): a revoked
designation is not declared again, a removed member does not re-join, a suspended member has no
reserved area until the date (and has it back after it, by itself); the managers remove and
suspend from the site, decide the members' requests; an admin edit goes through the same
services; working groups and the Django groups follow."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from communities.models import (
    Designation,
    MemberRequest,
    Membership,
    ReservedSpace,
    WorkingGroupMembership,
)
from discussions.models import Reply
from tests.discussions.factories import TopicFactory

from . import factories
from .conftest import fresh

pytestmark = pytest.mark.django_db

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status

DECLARATION = {"role": "designated", "signed_by": "rtd", "act_date": "2026-01-10"}


def site(name, *args):
    """A URL of the site in Italian (the default language, unprefixed)."""
    with translation.override("it"):
        return reverse(name, args=args)


def api(name, *args):
    return reverse(f"community_api:{name}", args=args)


def api_client(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="it")
    client.force_login(user)
    return client


def membership_of(user, world):
    return Membership.objects.get(user=user, community=world.community, left_at__isnull=True)


def groups_of(user):
    return set(fresh(user).groups.values_list("pk", flat=True))


def spaces(world):
    community = ReservedSpace.objects.get(translation_key=world.community.translation_key)
    group = ReservedSpace.objects.get(translation_key=world.group.translation_key)
    return community.members_group_id, group.members_group_id


def italian_date(value):
    from cms.templatetags.portal_tags import human_date

    with translation.override("it"):
        return human_date(timezone.localtime(value))


# --- Revoked designation --------------------------------------------------------------------------


def test_revoked_member_cannot_declare_again_on_the_site_nor_the_api(client, world):
    member, coordinator = world.users["wg_member"], world.users["coordinator"]
    designation = membership_of(member, world).designation
    client.force_login(coordinator)
    response = client.post(
        site("communities:manage_designation", world.community.pk, designation.pk, "revoke"),
        {"reason": "Nomina scaduta"},
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.status == Designation.Status.REVOKED
    assert designation.revoked_by == coordinator
    assert designation.revocation_reason == "Nomina scaduta"
    assert membership_of(member, world).role == Role.PARTICIPANT
    assert not WorkingGroupMembership.objects.filter(user=member, status=WGStatus.ACTIVE).exists()

    client.force_login(member)
    page = client.get(site("participation:switch_role", world.community.pk))
    assert page.status_code == 403
    assert "ha revocato la tua designazione" in page.text
    assert "Nomina scaduta" in page.text
    assert site("participation:ask_managers", world.community.pk) in page.text
    posted = client.post(site("participation:switch_role", world.community.pk), DECLARATION)
    assert posted.status_code == 403
    assert "ha revocato la tua designazione" in posted.text

    response = api_client(member).post(
        api("community_switch_role", world.community.pk), DECLARATION, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "revoked"
    assert "ha revocato la tua designazione" in response.json()["detail"]
    detail = api_client(member).get(api("community_detail", world.community.pk)).json()
    assert detail["permissions"]["switch_role"] is False
    assert detail["permissions"]["appeal"] is True
    assert detail["my_measure"]["kind"] == "revoked"

    # Still a simple participant, nothing stored.
    membership = membership_of(member, world)
    assert membership.role == Role.PARTICIPANT
    designation.refresh_from_db()
    assert designation.status == Designation.Status.REVOKED

    # Leaving and joining again as designated is refused as well; as participant it is not.
    assert client.post(site("participation:leave", world.community.pk)).status_code == 302
    refused = client.post(site("participation:join", world.community.pk), DECLARATION)
    assert refused.status_code == 403
    assert "ha revocato la tua designazione" in refused.text
    assert not Membership.objects.filter(user=member, left_at__isnull=True).exists()
    joined = client.post(site("participation:join", world.community.pk), {"role": "participant"})
    assert joined.status_code == 302
    assert membership_of(member, world).role == Role.PARTICIPANT


def test_revoked_member_asks_and_the_manager_reopens(client, world):
    from communities import services

    member, support = world.users["designated"], world.users["support"]
    designation = membership_of(member, world).designation
    services.revoke_designation(fresh(world.users["coordinator"]), designation, "Da verificare")

    client.force_login(member)
    ask = site("participation:ask_managers", world.community.pk)
    page = client.get(ask)
    assert page.status_code == 200
    assert "Da verificare" in page.text
    assert client.post(ask, {"message": "x" * 2001}).status_code == 400
    assert not MemberRequest.objects.exists()
    assert client.post(ask, {"message": "Ho una nuova nomina del Sindaco."}).status_code == 302
    request = MemberRequest.objects.get()
    assert request.kind == MemberRequest.Kind.REDESIGNATION
    assert request.status == MemberRequest.Status.PENDING
    assert client.post(ask, {"message": "Di nuovo"}).status_code == 409
    again = api_client(member).post(api("community_ask_managers", world.community.pk), {})
    assert again.status_code == 409
    assert again.json()["code"] == "already"
    assert MemberRequest.objects.count() == 1
    dashboard = client.get(site("participation:dashboard"))
    assert "in attesa di risposta" in dashboard.text

    # The support team handles designations: it decides this request.
    client.force_login(support)
    listing = client.get(site("communities:manage_requests", world.community.pk))
    assert listing.status_code == 200
    assert "Ho una nuova nomina del Sindaco." in listing.text
    decided = client.post(
        site("communities:manage_request_decide", world.community.pk, request.pk),
        {"decision": "accept", "note": "Inviaci la nuova nomina."},
    )
    assert decided.status_code == 302
    request.refresh_from_db()
    assert request.status == MemberRequest.Status.ACCEPTED
    assert request.decided_by == support
    designation.refresh_from_db()
    assert designation.reopened_by == support
    # Answering twice is a conflict.
    twice = client.post(
        site("communities:manage_request_decide", world.community.pk, request.pk),
        {"decision": "refuse"},
    )
    assert twice.status_code == 409

    client.force_login(member)
    switched = client.post(site("participation:switch_role", world.community.pk), DECLARATION)
    assert switched.status_code == 302
    assert membership_of(member, world).role == Role.DESIGNATED
    designation.refresh_from_db()
    assert designation.status == Designation.Status.DECLARED


# --- Removal --------------------------------------------------------------------------------------


def test_manager_removes_a_member_who_cannot_rejoin(client, world):
    member, coordinator = world.users["wg_member"], world.users["coordinator"]
    membership = membership_of(member, world)
    community_group, wg_group = spaces(world)
    assert {community_group, wg_group} <= groups_of(member)

    client.force_login(coordinator)
    remove = site("communities:manage_member_remove", world.community.pk, membership.pk)
    assert client.get(remove).status_code == 200
    missing_reason = client.post(remove, {"reason": "  "})
    assert missing_reason.status_code == 400
    assert membership_of(member, world)  # still a member
    response = client.post(remove, {"reason": "Violazione ripetuta delle regole"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_at is not None
    assert membership.end_reason == Membership.EndReason.REMOVED
    assert membership.removed_by == coordinator
    assert membership.removal_reason == "Violazione ripetuta delle regole"
    # Out of the working groups and of every Django group, at once.
    assert WorkingGroupMembership.objects.get(user=member, group=world.group).status == "left"
    assert not {community_group, wg_group} & groups_of(member)

    client.force_login(member)
    for page in (world.area, world.announcement, world.group, world.group_page):
        reserved = client.get(page.url)
        assert reserved.status_code == 403, page.title
        assert page.title not in reserved.text
    join = site("participation:join", world.community.pk)
    refused = client.get(join)
    assert refused.status_code == 403
    assert "Il coordinamento ti ha rimosso da questa comunità il" in refused.text
    assert italian_date(membership.left_at) in refused.text
    assert "Violazione ripetuta delle regole" in refused.text
    assert site("participation:ask_managers", world.community.pk) in refused.text
    assert client.post(join, {"role": "participant"}).status_code == 403
    response = api_client(member).post(api("community_join", world.community.pk), {})
    assert response.status_code == 403
    assert response.json()["code"] == "removed"
    assert "ti ha rimosso" in response.json()["detail"]
    assert not Membership.objects.filter(user=member, left_at__isnull=True).exists()
    detail = api_client(member).get(api("community_detail", world.community.pk)).json()
    assert detail["permissions"]["join"] is False
    assert detail["my_measure"]["kind"] == "removed"
    community_page = client.get(world.community.url)
    assert "Il coordinamento ti ha rimosso da questa comunità il" in community_page.text


def test_readmission_refused_then_accepted(client, world):
    from communities import services

    member = world.users["participant"]
    services.remove_member(
        fresh(world.users["coordinator"]), membership_of(member, world), "Spam ripetuto"
    )
    created = api_client(member).post(
        api("community_ask_managers", world.community.pk),
        {"message": "Mi scuso, non accadrà più."},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["kind"] == "readmission"
    request = MemberRequest.objects.get(pk=created.json()["id"])

    # The support team does not decide readmissions: the coordinator does.
    client.force_login(world.users["support"])
    listing = client.get(site("communities:manage_requests", world.community.pk))
    assert "Mi scuso" not in listing.text
    forbidden = client.post(
        site("communities:manage_request_decide", world.community.pk, request.pk),
        {"decision": "accept"},
    )
    assert forbidden.status_code == 404
    client.force_login(world.users["coordinator"])
    refused = client.post(
        site("communities:manage_request_decide", world.community.pk, request.pk),
        {"decision": "refuse", "note": "Non ora."},
    )
    assert refused.status_code == 302
    client.force_login(member)
    assert client.get(site("participation:join", world.community.pk)).status_code == 403
    dashboard = client.get(site("participation:dashboard"))
    assert "Respinta" in dashboard.text
    assert "Non ora." in dashboard.text

    ask = site("participation:ask_managers", world.community.pk)
    assert client.post(ask, {}).status_code == 302
    second = MemberRequest.objects.get(status=MemberRequest.Status.PENDING)
    client.force_login(world.users["coordinator"])
    client.post(
        site("communities:manage_request_decide", world.community.pk, second.pk),
        {"decision": "accept"},
    )
    client.force_login(member)
    joined = client.post(site("participation:join", world.community.pk), {"role": "participant"})
    assert joined.status_code == 302
    assert membership_of(member, world).role == Role.PARTICIPANT
    assert client.get(world.area.url).status_code == 200


# --- Who may remove and suspend -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "remove", "suspend"),
    [
        ("anonymous", 302, 302),
        ("registered", 404, 404),
        ("other_member", 404, 404),
        ("participant", 403, 403),
        ("wg_coordinator", 403, 403),
        ("support", 403, 200),
        ("coordinator", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_who_may_remove_and_suspend(client, world, column, remove, suspend):
    target = membership_of(world.users["designated"], world)
    user = world.users[column]
    if user is not None:
        client.force_login(user)
    remove_url = site("communities:manage_member_remove", world.community.pk, target.pk)
    suspend_url = site("communities:manage_member_suspend", world.community.pk, target.pk)
    assert client.get(remove_url).status_code == remove
    assert client.get(suspend_url).status_code == suspend
    posted = client.post(remove_url, {"reason": "Prova"})
    assert posted.status_code == (302 if remove == 200 else remove)
    target.refresh_from_db()
    assert (target.left_at is not None) is (remove == 200)


def test_managers_are_not_removed_or_suspended_from_the_site(client, world):
    client.force_login(world.users["coordinator"])
    support = membership_of(world.users["support"], world)
    until = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for name, data in (
        ("communities:manage_member_remove", {"reason": "Prova"}),
        ("communities:manage_member_suspend", {"until": until, "reason": "Prova"}),
    ):
        response = client.post(site(name, world.community.pk, support.pk), data)
        assert response.status_code == 403
        assert "nominati e rimossi dalla redazione" in response.text
    support.refresh_from_db()
    assert support.is_active and not support.is_suspended


# --- Suspension -----------------------------------------------------------------------------------


def test_suspended_member_has_no_reserved_area_until_the_date(client, world):
    member, support = world.users["wg_member"], world.users["support"]
    membership = membership_of(member, world)
    topic = TopicFactory(space=world.community, author=world.users["designated"])
    document = _private_document(world)

    client.force_login(support)
    suspend = site("communities:manage_member_suspend", world.community.pk, membership.pk)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    bad = client.post(suspend, {"until": past, "reason": "Toni offensivi"})
    assert bad.status_code == 400
    assert "La sospensione deve terminare in futuro." in bad.text
    until = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(suspend, {"until": until.isoformat(), "reason": "Toni offensivi"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_suspended and membership.suspended_by == support
    assert timezone.localtime(membership.suspended_until).date() == until
    members_list = client.get(site("communities:manage_members", world.community.pk))
    assert "Sospeso fino al" in members_list.text

    client.force_login(member)
    for page in (world.area, world.announcement, world.group, world.group_page):
        refused = client.get(page.url)
        assert refused.status_code == 403, page.title
        assert page.title not in refused.text
    assert client.get(document.url).status_code in (403, 404)
    assert client.get(site("participation:directory", world.community.pk)).status_code == 403
    found = client.get("/cerca/", {"q": "Riunione avvio"})
    assert world.announcement.title not in found.text
    member_api = api_client(member)
    detail = member_api.get(api("community_detail", world.community.pk)).json()
    assert detail["permissions"]["view_reserved_area"] is False
    assert detail["my_measure"]["kind"] == "suspended"
    assert member_api.get(api("discussion_topic", topic.pk)).status_code == 404
    reply = member_api.post(api("discussion_replies", topic.pk), {"text": "Ci sono"}, format="json")
    assert reply.status_code in (403, 404)
    assert not Reply.objects.filter(user=member).exists()
    join = client.get(site("participation:join", world.community.pk))
    assert join.status_code == 403
    assert "sospeso la tua partecipazione" in join.text
    assert italian_date(membership.suspended_until) in join.text
    # The working group membership is kept, its access withheld; the Django groups too.
    assert WorkingGroupMembership.objects.get(user=member, group=world.group).status == "active"

    # The date passes: everything is back, nothing had to run.
    Membership.objects.filter(pk=membership.pk).update(
        suspended_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    for page in (world.area, world.announcement, world.group, world.group_page):
        assert client.get(page.url).status_code == 200, page.title
    assert client.get(document.url).status_code == 200
    assert member_api.get(api("discussion_topic", topic.pk)).status_code == 200
    assert world.announcement.title in client.get("/cerca/", {"q": "Riunione avvio"}).text


def test_suspended_member_has_no_working_group_in_the_api_until_the_date(world):
    """As on the site: the working group's card, list, join and invitations, for a member
    suspended with an open membership of the group and a pending invitation to another."""
    from communities import services

    member = world.users["wg_member"]
    other_group = factories.WorkingGroupPageFactory(parent=world.area, title="Formazione")
    coordinator = fresh(world.users["coordinator"])
    services.invite(coordinator, fresh(member), other_group)
    invitation = WorkingGroupMembership.objects.get(user=member, group=other_group)
    member_api = api_client(member)
    detail = api("working_group_detail", world.group.pk)
    assert member_api.get(detail).json()["my_status"] == "active"

    until = timezone.now() + datetime.timedelta(days=5)
    services.suspend_member(coordinator, membership_of(member, world), until, "Toni offensivi")
    for path in (
        detail,
        api("working_group_detail", other_group.pk),
        api("working_group_list", world.community.pk),
    ):
        assert member_api.get(path).status_code == 404, path
    join = member_api.post(api("working_group_join", other_group.pk))
    assert join.status_code == 404
    accepted = member_api.post(api("invitation_accept", invitation.pk))
    assert accepted.status_code == 403
    assert WorkingGroupMembership.objects.get(pk=invitation.pk).status == WGStatus.INVITED
    # Their memberships are still theirs to read, with the measure; the site agrees.
    mine = member_api.get(api("my_memberships")).json()
    assert [m["community"]["id"] for m in mine] == [world.community.pk]
    site_client = APIClient()
    site_client.force_login(member)
    assert site_client.get(world.group.url).status_code == 403

    # The date passes: the group is back, as it was.
    Membership.objects.filter(user=member).update(
        suspended_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    body = member_api.get(detail).json()
    assert body["my_status"] == "active" and body["permissions"]["view"] is True
    assert len(member_api.get(api("working_group_list", world.community.pk)).json()) == 2
    declined = member_api.post(api("invitation_decline", invitation.pk))
    assert declined.status_code == 200


def test_manager_ends_a_suspension_and_a_suspended_member_may_leave(client, world):
    from communities import services

    member = world.users["participant"]
    until = timezone.now() + datetime.timedelta(days=10)
    coordinator = fresh(world.users["coordinator"])
    services.suspend_member(coordinator, membership_of(member, world), until, "x")
    client.force_login(world.users["coordinator"])
    membership = membership_of(member, world)
    lift = site("communities:manage_member_lift", world.community.pk, membership.pk)
    assert client.post(lift).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_suspended
    client.force_login(member)
    assert client.get(world.area.url).status_code == 200

    services.suspend_member(fresh(world.users["coordinator"]), membership, until, "y")
    assert client.get(world.area.url).status_code == 403
    assert client.post(site("participation:leave", world.community.pk)).status_code == 302
    # Leaving does not end the suspension: joining again waits for the date.
    refused = client.post(site("participation:join", world.community.pk), {"role": "participant"})
    assert refused.status_code == 403
    assert not Membership.objects.filter(user=member, left_at__isnull=True).exists()


def _private_document(world):
    from django.core.files.base import ContentFile

    from tests import factories as base

    collection = ReservedSpace.objects.get(translation_key=world.community.translation_key)
    return base.DocumentFactory(
        title="Verbale riservato",
        collection=collection.collection,
        file=ContentFile(b"%PDF-1.4\n% verbale\n", name="verbale.pdf"),
    )


# --- The admin goes through the same services -----------------------------------------------------


@pytest.fixture
def admin_client(client, world):
    admin = factories.StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def admin_form(membership, **changes):
    data = {
        "user": membership.user_id,
        "community": membership.community_id,
        "role": membership.role,
        "support_kind": membership.support_kind,
        "joined_at": timezone.localtime(membership.joined_at).strftime("%Y-%m-%d %H:%M"),
        "suspended_until": "",
        "suspension_reason": "",
        "removal_reason": "",
    }
    data.update(changes)
    return data


def test_admin_suspends_and_removes_through_the_services(admin_client, world):
    member = world.users["wg_member"]
    membership = membership_of(member, world)
    url = reverse("community_memberships:edit", args=[membership.pk])
    until = timezone.localtime() + datetime.timedelta(days=5)
    response = admin_client.post(
        url,
        admin_form(
            membership,
            suspended_until=until.strftime("%Y-%m-%d %H:%M"),
            suspension_reason="Segnalazioni ripetute",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership.refresh_from_db()
    assert membership.is_suspended
    assert membership.suspended_by == admin_client.admin
    assert ModelLogEntry.objects.filter(
        action="communities.suspend", object_id=str(membership.pk), user=admin_client.admin
    ).exists()
    assert admin_client.get(world.area.url).status_code == 200  # the superuser reads it
    member_client = APIClient()
    member_client.force_login(member)
    assert member_client.get(world.area.url).status_code == 403

    # Removing needs a reason; nothing changes without one.
    refused = admin_client.post(url, admin_form(membership, remove_member="on"))
    assert refused.status_code == 200
    membership.refresh_from_db()
    assert membership.is_active
    response = admin_client.post(
        url, admin_form(membership, remove_member="on", removal_reason="Account condiviso")
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_reason == Membership.EndReason.REMOVED
    assert membership.removed_by == admin_client.admin
    assert WorkingGroupMembership.objects.get(user=member, group=world.group).status == "left"
    assert not Group.objects.filter(user=member).exists()
    assert ModelLogEntry.objects.filter(
        action="communities.remove", object_id=str(membership.pk), user=admin_client.admin
    ).exists()


def test_admin_role_change_is_recorded(admin_client, world):
    membership = membership_of(world.users["participant"], world)
    response = admin_client.post(
        reverse("community_memberships:edit", args=[membership.pk]),
        admin_form(membership, role="support", support_kind="expert"),
    )
    assert response.status_code == 302
    entry = ModelLogEntry.objects.get(action="communities.role_assigned")
    assert entry.user == admin_client.admin
    assert entry.data == {"member": membership.user_id, "from": "participant", "to": "support"}


def test_admin_lists_the_members_requests_read_only(admin_client, world):
    from communities import services

    member = world.users["participant"]
    services.remove_member(fresh(world.users["coordinator"]), membership_of(member, world), "x")
    request = services.ask_managers(fresh(member), world.community, "Vorrei rientrare")
    listing = admin_client.get(reverse("community_member_requests:index"))
    assert listing.status_code == 200
    assert member.last_name in listing.text
    inspect = admin_client.get(reverse("community_member_requests:inspect", args=[request.pk]))
    assert inspect.status_code == 200
    assert "Vorrei rientrare" in inspect.text
    index = reverse("community_memberships:index")
    memberships = admin_client.get(index, {"end_reason": "removed"})
    assert memberships.status_code == 200
    assert member.last_name in memberships.text
