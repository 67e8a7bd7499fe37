"""The community API (/api/community/v1/): every endpoint per role, authentication (session with
CSRF, token), the registration gate, bad input, query budgets and the OpenAPI schema."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communities.api import urls as api
from communities.models import Designation, Membership, WorkingGroupMembership
from membership.models import Consent
from tests import factories as base

from . import factories
from .conftest import COLUMNS, make_member

pytestmark = pytest.mark.django_db

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user=None, **kwargs):
    """An API client signed in with the portal session (as the browser is)."""
    client = APIClient(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def pdf(name="atto.pdf", content=b"%PDF-1.4\n% atto di nomina\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def active(user, community):
    return Membership.objects.filter(user=user, community=community, left_at__isnull=True)


# --- Anonymous and the registration gate --------------------------------------------------------


def endpoints(w):
    invitation = factories.WorkingGroupMembershipFactory(
        user=w.users["designated"], group=w.group, status=WGStatus.INVITED
    )
    return [
        ("get", url("community_list")),
        ("get", url("community_detail", w.community.pk)),
        ("post", url("community_join", w.community.pk)),
        ("post", url("community_leave", w.community.pk)),
        ("post", url("community_switch_role", w.community.pk)),
        ("get", url("working_group_list", w.community.pk)),
        ("get", url("working_group_detail", w.group.pk)),
        ("post", url("working_group_join", w.group.pk)),
        ("post", url("working_group_invite", w.group.pk)),
        ("get", url("my_memberships")),
        ("get", url("invitation_list")),
        ("post", url("invitation_accept", invitation.pk)),
        ("post", url("invitation_decline", invitation.pk)),
        ("post", url("token")),
    ]


def test_every_endpoint_refuses_anonymous_with_401(world):
    client = client_for()
    for method, path in endpoints(world):
        response = getattr(client, method)(path)
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "not_authenticated"
    assert Membership.objects.filter(community=world.community).count() == 7


def test_every_endpoint_refuses_an_unregistered_member_with_the_session(world):
    newcomer = base.UserFactory(onboarded=False)
    client = client_for(newcomer)
    for method, path in endpoints(world):
        response = getattr(client, method)(path)
        assert response.status_code == 403, (method, path)
        assert response.json()["code"] == "registration_required"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_token_of_a_member_who_must_accept_new_rules_is_refused(world):
    user = world.users["registered"]
    token = Token.objects.create(user=user)
    Consent.objects.filter(user=user).delete()  # e.g. a new version of the rules
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(url("community_join", world.community.pk), {"role": "participant"})
    assert response.status_code == 403
    assert response.json()["code"] == "registration_required"
    assert not active(user, world.community).exists()


# --- Communities ------------------------------------------------------------------------------


EXPECTED_ROLE = {
    "registered": None,
    "participant": "participant",
    "designated": "designated",
    "wg_member": "designated",
    "wg_coordinator": "designated",
    "coordinator": "coordinator",
    "support": "support",
    "other_member": None,
    "staff": None,
}


@pytest.mark.parametrize("column", [c for c in COLUMNS if c != "anonymous"])
def test_community_list_and_detail_show_my_role_and_permissions(world, column):
    client = client_for(world.users[column])
    response = client.get(url("community_list"))
    assert response.status_code == 200
    by_id = {item["id"]: item for item in response.json()}
    assert set(by_id) == {world.community.pk, world.other.pk}
    item = by_id[world.community.pk]
    assert item["title"] == "Cybersicurezza"
    assert item["my_role"] == EXPECTED_ROLE[column]
    assert item["member_count"] == 7
    assert item["permissions"]["join"] is (column in ("registered", "other_member"))
    assert item["permissions"]["leave"] is (
        column in ("participant", "designated", "wg_member", "wg_coordinator")
    )
    assert item["permissions"]["view_reserved_area"] is (EXPECTED_ROLE[column] is not None)
    assert response["Cache-Control"].count("private") == 1
    assert "no-store" in response["Cache-Control"]

    detail = client.get(url("community_detail", world.community.pk))
    assert detail.status_code == 200
    assert detail.json() == item


def test_unpublished_or_unknown_community_is_404(world):
    client = client_for(world.users["participant"])
    world.other.unpublish()
    assert client.get(url("community_detail", world.other.pk)).status_code == 404
    assert client.get(url("community_detail", world.area.pk)).status_code == 404  # not one
    assert client.get(url("community_detail", 999999)).status_code == 404
    ids = [item["id"] for item in client.get(url("community_list")).json()]
    assert ids == [world.community.pk]


def test_community_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.users["designated"])
    client.get(url("community_list"))  # warm up the session and the site caches
    with django_assert_max_num_queries(12) as few:
        assert len(client.get(url("community_list")).json()) == 2
    few_count = len(few.captured_queries)
    for n in range(4):
        community = base.CommunityPageFactory(
            parent=world.tree.communities, title=f"Comunità {n}", slug=f"comunita-{n}"
        )
        make_member(community, Role.DESIGNATED, user=world.users["designated"])
    # The writes above bumped the shared snapshots' token (cms/snapshots.py): warm them again.
    client.get(url("community_list"))
    with django_assert_max_num_queries(few_count):
        assert len(client.get(url("community_list")).json()) == 6


# --- Joining, leaving, switching role ---------------------------------------------------------


def test_registered_member_joins_as_participant_and_twice_is_409(world):
    user = world.users["registered"]
    client = client_for(user)
    response = client.post(url("community_join", world.community.pk), {"role": "participant"})
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "participant"
    assert response.json()["community"]["id"] == world.community.pk
    assert active(user, world.community).count() == 1

    again = client.post(url("community_join", world.community.pk), {"role": "designated"})
    assert again.status_code == 409
    assert again.json()["code"] == "already"
    assert "Fai già parte" in again.json()["detail"]  # Italian by default
    assert active(user, world.community).get().role == Role.PARTICIPANT


def test_messages_follow_the_requested_language(world):
    client = client_for(world.users["coordinator"])
    response = client.post(url("community_leave", world.community.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You cannot leave this community here: ask the editorial staff."
    )


def test_community_list_language_with_italian_fallback(world):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = world.community.copy_for_translation(english, copy_parents=True)
    translated.title = "Cybersecurity"
    translated.save_revision().publish()
    client = client_for(world.users["participant"])

    italian = client.get(url("community_list")).json()
    assert [c["title"] for c in italian] == ["Cybersicurezza", "Dati aperti"]
    english_list = client.get(url("community_list"), HTTP_ACCEPT_LANGUAGE="en").json()
    # The English page where there is one, the Italian one otherwise; the role is shared.
    assert [(c["title"], c["locale"]) for c in english_list] == [
        ("Cybersecurity", "en"),
        ("Dati aperti", "it"),
    ]
    assert english_list[0]["my_role"] == "participant"
    only = client.get(url("community_list"), {"locale": "en"}).json()
    assert [c["id"] for c in only] == [translated.pk]
    assert client.get(url("community_list"), {"locale": "xx"}).status_code == 400


def test_join_as_designated_needs_the_declaration(world):
    user = world.users["registered"]
    client = client_for(user)
    response = client.post(url("community_join", world.community.pk), {"role": "designated"})
    assert response.status_code == 400
    assert set(response.json()) == {"signed_by", "act_date"}
    assert not active(user, world.community).exists()


def test_join_as_designated_with_the_act_in_a_multipart_request(world):
    user = world.users["registered"]
    client = client_for(user)
    response = client.post(
        url("community_join", world.community.pk),
        {"role": "designated", "signed_by": "sindaco", "act_date": "2026-02-10", "act_file": pdf()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "designated"
    assert body["designation"]["signed_by"] == "sindaco"
    assert body["designation"]["has_act"] is True
    designation = Designation.objects.get(membership__user=user)
    assert designation.act_file.name.endswith(".pdf")
    assert "atto" not in designation.act_file.name


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (SimpleUploadedFile("atto.pdf", b"not a pdf", content_type="application/pdf"), "act_file"),
        (
            SimpleUploadedFile("atto.docx", b"%PDF-1.4", content_type="application/msword"),
            "act_file",
        ),
    ],
)
def test_join_with_a_bad_act_is_400_and_changes_nothing(world, upload, field):
    user = world.users["registered"]
    response = client_for(user).post(
        url("community_join", world.community.pk),
        {"role": "designated", "signed_by": "rtd", "act_date": "2026-02-10", "act_file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Membership.objects.filter(user=user).exists()


def test_join_bad_input_is_400(world):
    client = client_for(world.users["registered"])
    response = client.post(
        url("community_join", world.community.pk),
        {"role": "coordinator", "act_date": "ieri"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"role", "act_date"}


@pytest.mark.parametrize("column", ["participant", "coordinator", "support", "staff"])
def test_who_may_not_join_gets_403_or_409(world, column):
    user = world.users[column]
    before = Membership.objects.count()
    response = client_for(user).post(url("community_join", world.community.pk))
    expected = 403 if column == "staff" else 409
    assert response.status_code == expected
    assert response.json()["detail"]
    assert Membership.objects.count() == before


def test_leave(world):
    user = world.users["wg_member"]
    client = client_for(user)
    assert client.post(url("community_leave", world.community.pk)).status_code == 204
    assert not active(user, world.community).exists()
    assert not WorkingGroupMembership.objects.filter(
        user=user, status__in=WorkingGroupMembership.OPEN_STATUSES
    ).exists()


@pytest.mark.parametrize("column", ["registered", "coordinator", "support", "other_member"])
def test_leave_refused_is_403_with_message(world, column):
    user = world.users[column]
    before = list(Membership.objects.filter(user=user).values_list("pk", "left_at"))
    response = client_for(user).post(url("community_leave", world.community.pk))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "redazione" in response.json()["detail"]
    assert list(Membership.objects.filter(user=user).values_list("pk", "left_at")) == before


def test_switch_role(world):
    user = world.users["participant"]
    client = client_for(user)
    path = url("community_switch_role", world.community.pk)
    assert client.post(path, {"role": "designated"}).status_code == 400
    response = client.post(
        path, {"role": "designated", "signed_by": "rtd", "act_date": "2026-01-05"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["role"] == "designated"
    assert response.json()["designation"]["signed_by"] == "rtd"
    same = client.post(path, {"role": "designated", "signed_by": "rtd", "act_date": "2026-01-05"})
    assert same.status_code == 409
    assert client.post(path, {}).status_code == 400  # role is required

    coordinator = client_for(world.users["coordinator"])
    refused = coordinator.post(path, {"role": "participant"})
    assert refused.status_code == 403
    assert active(world.users["coordinator"], world.community).get().role == Role.COORDINATOR


def test_my_memberships(world, django_assert_max_num_queries):
    user = world.users["wg_coordinator"]
    make_member(world.other, Role.PARTICIPANT, user=user)
    client = client_for(user)
    client.get(url("my_memberships"))
    with django_assert_max_num_queries(12):
        response = client.get(url("my_memberships"))
    assert response.status_code == 200
    by_community = {item["community"]["id"]: item for item in response.json()}
    assert set(by_community) == {world.community.pk, world.other.pk}
    mine = by_community[world.community.pk]
    assert mine["role"] == "designated"
    assert mine["designation"]["status"] == "declared"
    assert [g["group"]["id"] for g in mine["working_groups"]] == [world.group.pk]
    assert mine["working_groups"][0]["role"] == "coordinator"
    assert by_community[world.other.pk]["designation"] is None
    assert by_community[world.other.pk]["working_groups"] == []


def test_my_memberships_query_count_does_not_grow(world, django_assert_max_num_queries):
    user = world.users["wg_member"]
    client = client_for(user)
    client.get(url("my_memberships"))
    with django_assert_max_num_queries(12) as few:
        client.get(url("my_memberships"))
    few_count = len(few.captured_queries)
    for n in range(4):
        community = base.CommunityPageFactory(
            parent=world.tree.communities, title=f"Comunità {n}", slug=f"comunita-{n}"
        )
        area = factories.CommunityAreaPageFactory(parent=community, slug=f"area-{n}")
        make_member(community, Role.DESIGNATED, user=user)
        group = factories.WorkingGroupPageFactory(parent=area)
        factories.WorkingGroupMembershipFactory(user=user, group=group)
    # The writes above bumped the shared snapshots' token (cms/snapshots.py): warm them again.
    client.get(url("my_memberships"))
    with django_assert_max_num_queries(few_count):
        assert len(client.get(url("my_memberships")).json()) == 5


# --- Working groups ---------------------------------------------------------------------------

# What each column gets from the community's working-group list: 404, or the listed groups.
GROUP_LIST = {
    "registered": 404,
    "participant": [],
    "designated": ["group"],
    "wg_member": ["group"],
    "wg_coordinator": ["group"],
    "coordinator": ["group"],
    "support": ["group"],
    "other_member": 404,
    "staff": ["group"],
}


@pytest.mark.parametrize("column", list(GROUP_LIST))
def test_working_group_list_per_role(world, column):
    response = client_for(world.users[column]).get(url("working_group_list", world.community.pk))
    expected = GROUP_LIST[column]
    if expected == 404:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert [g["id"] for g in response.json()] == [world.group.pk for _ in expected]


# Working group detail: 404, "card" (no members), or "space" (with members).
GROUP_DETAIL = {
    "registered": 404,
    "participant": 404,
    "designated": "card",
    "wg_member": "space",
    "wg_coordinator": "space",
    "coordinator": "space",
    "support": "space",
    "other_member": 404,
    "staff": "card",
}


@pytest.mark.parametrize("column", list(GROUP_DETAIL))
def test_working_group_detail_per_role(world, column):
    response = client_for(world.users[column]).get(url("working_group_detail", world.group.pk))
    expected = GROUP_DETAIL[column]
    if expected == 404:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Gestione incidenti"
    assert body["community"]["id"] == world.community.pk
    assert body["permissions"]["view"] is (expected == "space")
    if expected == "space":
        assert len(body["members"]) == 2
        assert body["url"]
    else:
        assert body["members"] == []
        assert body["url"] is None


def test_working_group_of_an_unpublished_community_is_404(world):
    world.community.unpublish()
    response = client_for(world.users["wg_member"]).get(url("working_group_detail", world.group.pk))
    assert response.status_code == 404


def test_working_group_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.users["coordinator"])
    path = url("working_group_list", world.community.pk)
    client.get(path)
    with django_assert_max_num_queries(15) as few:
        assert len(client.get(path).json()) == 1
    few_count = len(few.captured_queries)
    for _ in range(5):
        factories.WorkingGroupPageFactory(parent=world.area)
    # The writes above bumped the shared snapshots' token (cms/snapshots.py): warm them again.
    client.get(path)
    with django_assert_max_num_queries(few_count):
        assert len(client.get(path).json()) == 6


def test_designated_asks_to_join_a_working_group(world):
    user = world.users["designated"]
    client = client_for(user)
    response = client.post(url("working_group_join", world.group.pk))
    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    again = client.post(url("working_group_join", world.group.pk))
    assert again.status_code == 409
    assert again.json()["code"] == "already_in_group"
    assert WorkingGroupMembership.objects.filter(user=user, group=world.group).count() == 1


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("registered", 404),
        ("participant", 404),
        ("other_member", 404),
        ("wg_member", 409),
        ("coordinator", 403),
        ("staff", 403),
    ],
)
def test_who_may_not_ask_to_join_a_working_group(world, column, expected):
    before = WorkingGroupMembership.objects.count()
    response = client_for(world.users[column]).post(url("working_group_join", world.group.pk))
    assert response.status_code == expected
    assert response.json()["detail"]
    assert WorkingGroupMembership.objects.count() == before


@pytest.mark.parametrize("column", ["wg_coordinator", "coordinator", "support", "staff"])
def test_managers_invite_a_designated_participant(world, column):
    invitee = world.users["designated"]
    response = client_for(world.users[column]).post(
        url("working_group_invite", world.group.pk), {"user": invitee.pk}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "invited"
    assert WorkingGroupMembership.objects.get(user=invitee, group=world.group).invited_by_id == (
        world.users[column].pk
    )


@pytest.mark.parametrize(
    ("column", "expected"),
    [("registered", 404), ("participant", 404), ("designated", 403), ("wg_member", 403)],
)
def test_others_may_not_invite(world, column, expected):
    response = client_for(world.users[column]).post(
        url("working_group_invite", world.group.pk), {"user": world.subject.pk}
    )
    assert response.status_code == expected
    assert not WorkingGroupMembership.objects.filter(user=world.subject).exists()


@pytest.mark.parametrize("invitee", ["participant", "registered", "other_member", "wg_member"])
def test_inviting_a_non_designated_or_already_member_is_400(world, invitee):
    before = WorkingGroupMembership.objects.count()
    response = client_for(world.users["coordinator"]).post(
        url("working_group_invite", world.group.pk), {"user": world.users[invitee].pk}
    )
    assert response.status_code == 400
    assert "partecipanti designati" in response.json()["user"][0]
    assert WorkingGroupMembership.objects.count() == before


def test_inviting_nobody_is_400(world):
    client = client_for(world.users["coordinator"])
    path = url("working_group_invite", world.group.pk)
    assert set(client.post(path, {}).json()) == {"user"}
    assert set(client.post(path, {"user": 999999}).json()) == {"user"}


# --- Invitations ------------------------------------------------------------------------------


def test_invitations_list_accept_decline(world, django_assert_max_num_queries):
    user = world.users["designated"]
    other_group = factories.WorkingGroupPageFactory(parent=world.area, title="Formazione")
    first = factories.WorkingGroupMembershipFactory(
        user=user, group=world.group, status=WGStatus.INVITED, invited_by=world.users["coordinator"]
    )
    second = factories.WorkingGroupMembershipFactory(
        user=user, group=other_group, status=WGStatus.INVITED
    )
    client = client_for(user)
    client.get(url("invitation_list"))
    with django_assert_max_num_queries(10):
        response = client.get(url("invitation_list"))
    assert {item["id"] for item in response.json()} == {first.pk, second.pk}
    item = next(i for i in response.json() if i["id"] == first.pk)
    assert item["group"]["community"]["id"] == world.community.pk
    assert item["invited_by"]

    accepted = client.post(url("invitation_accept", first.pk))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    assert client.post(url("invitation_accept", first.pk)).status_code == 409
    assert client.post(url("invitation_decline", second.pk)).json()["status"] == "declined"
    assert client.get(url("invitation_list")).json() == []
    # The new member now sees the group's space.
    detail = client.get(url("working_group_detail", world.group.pk)).json()
    assert detail["permissions"]["view"] is True


def test_someone_elses_invitation_is_404(world):
    invitation = factories.WorkingGroupMembershipFactory(
        user=world.users["designated"], group=world.group, status=WGStatus.INVITED
    )
    client = client_for(world.subject)
    assert client.post(url("invitation_accept", invitation.pk)).status_code == 404
    assert client.post(url("invitation_decline", invitation.pk)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == WGStatus.INVITED


# --- Authentication: CSRF and tokens ----------------------------------------------------------


def test_session_posts_need_the_csrf_token(world):
    user = world.users["registered"]
    client = client_for(user, enforce_csrf_checks=True)
    path = url("community_join", world.community.pk)
    response = client.post(path, {"role": "participant"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not active(user, world.community).exists()

    client.get(url("community_list"))  # any page sets the cookie in the browser; force it here
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(path, {"role": "participant"}, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201
    assert active(user, world.community).exists()


def test_token_create_rotate_use_and_revoke(world):
    user = world.users["designated"]
    session = client_for(user, enforce_csrf_checks=True)
    session.cookies["csrftoken"] = "a" * 32
    csrf = {"HTTP_X_CSRFTOKEN": "a" * 32}
    first = session.post(url("token"), **csrf)
    assert first.status_code == 201
    key = first.json()["token"]

    client = APIClient()  # no session, no CSRF: the token alone
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = client.get(url("community_list"))
    assert listed.status_code == 200
    assert {c["my_role"] for c in listed.json()} == {"designated", None}
    assert client.post(url("working_group_join", world.group.pk)).status_code == 201
    # A token cannot manage tokens: only the session can.
    assert client.post(url("token")).status_code == 403

    second = session.post(url("token"), **csrf).json()["token"]
    assert second != key
    assert client.get(url("community_list")).status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.get(url("community_list")).status_code == 200
    assert session.delete(url("token"), **csrf).status_code == 204
    assert client.get(url("community_list")).status_code == 401
    assert not Token.objects.filter(user=user).exists()


def test_bad_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(url("community_list")).status_code == 401


# --- OpenAPI -----------------------------------------------------------------------------------


def test_schema_is_valid_openapi_3_and_lists_every_endpoint(db):
    from drf_spectacular.validation import validate_schema

    response = APIClient().get(url("schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    paths = schema["paths"]
    expected = set()

    def routes(patterns, prefix):  # included URL modules too (the discussions API)
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    for route in routes(api.endpoint_patterns, "/" + api.API_PREFIX):
        expected.add(re.sub(r"<\w+:(\w+)>", r"{\1}", route.replace("<int:pk>", "{id}")))
    assert set(paths) == expected
    assert set(paths["/api/community/v1/token/"]) == {"post", "delete"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert "cookieAuth" in schema["components"]["securitySchemes"]
    join = paths["/api/community/v1/communities/{id}/join/"]["post"]
    assert "multipart/form-data" in join["requestBody"]["content"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(join["responses"])
    assert not any(path.startswith("/api/v2/") for path in paths)


def test_docs_page(db):
    response = APIClient().get(url("docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert url("schema") in html
    assert "cdn.jsdelivr.net" not in html
