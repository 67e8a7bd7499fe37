"""The member-facing pages of the communities (``communities.views.member``, ``.participation``):
join ("Aderisci"), leave, switch role, upload the appointment act, the member directory, "La mia
area", and the community page's people and call to action. Allowed and refused cases by role, bad
input that changes nothing and keeps what was typed, and query budgets."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from communities.models import Designation, Membership, WorkingGroupMembership
from tests import factories as base

from . import factories
from .conftest import make_member

pytestmark = pytest.mark.django_db

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status

PDF = b"%PDF-1.4\n% atto di nomina\n%%EOF\n"


def pdf(name="atto.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def url(name, obj, lang="en"):
    """A member page's URL. Tests read English pages (the source strings) so that they do not
    depend on the Italian catalogue; a few check the Italian (default, unprefixed) URLs."""
    with translation.override(lang):
        return reverse(f"participation:{name}", args=[obj.pk])


def dashboard_url(lang="en"):
    with translation.override(lang):
        return reverse("participation:dashboard")


def it(message):
    """``message`` as the Italian pages show it."""
    with translation.override("it"):
        return str(translation.gettext(message))


def goes_to_sign_in(response):
    return response.status_code == 302 and "/accedi/?next=" in response["Location"]


def login(client, world, column):
    user = world.users[column]
    if user is not None:
        client.force_login(user)
    return user


def one_h1(response):
    assert len(re.findall(r"<h1[\s>]", response.text)) == 1


def active_memberships(user, community):
    return Membership.objects.filter(user=user, community=community, left_at__isnull=True)


# --- join ---------------------------------------------------------------------------------------


def test_anonymous_join_goes_to_sign_in_with_next(client, world):
    target = url("join", world.community)
    assert goes_to_sign_in(client.get(target))
    assert goes_to_sign_in(client.get(url("join", world.community, lang="it")))
    assert goes_to_sign_in(client.post(target, {"role": "participant"}))
    assert not Membership.objects.filter(community=world.community, user__isnull=True).exists()


@pytest.mark.parametrize("column", ["registered", "other_member"])
def test_join_form_for_who_may_join(client, world, column):
    login(client, world, column)
    response = client.get(url("join", world.community))
    assert response.status_code == 200
    one_h1(response)
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert "no-store" in response["Cache-Control"]


def test_join_as_participant_redirects_to_reserved_area(client, world):
    user = login(client, world, "registered")
    response = client.post(url("join", world.community), {"role": "participant"})
    assert response.status_code == 302
    assert response["Location"] == world.area.url
    membership = active_memberships(user, world.community).get()
    assert membership.role == Role.PARTICIPANT
    assert not Designation.objects.filter(membership=membership).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert world.announcement.title in page.text
    assert "Welcome to the community" in page.text


def test_join_as_designated_with_act(client, world):
    user = login(client, world, "registered")
    response = client.post(
        url("join", world.community),
        {
            "role": "designated",
            "signed_by": "sindaco",
            "act_date": "2026-01-15",
            "act_file": pdf(),
        },
    )
    assert response.status_code == 302
    membership = active_memberships(user, world.community).get()
    assert membership.role == Role.DESIGNATED
    designation = membership.designation
    assert designation.signed_by == "sindaco"
    assert designation.act_date == datetime.date(2026, 1, 15)
    assert designation.act_file.name.endswith(".pdf")
    assert "atto" not in designation.act_file.name  # renamed: nothing about the member


def test_join_as_designated_without_act_file(client, world):
    user = login(client, world, "registered")
    response = client.post(  # the Italian date format, on the Italian page
        url("join", world.community, lang="it"),
        {"role": "designated", "signed_by": "rtd", "act_date": "15/01/2026"},
    )
    assert response.status_code == 302
    assert active_memberships(user, world.community).get().designation.signed_by == "rtd"


def assert_nothing_joined(user, world):
    assert not Membership.objects.filter(user=user).exists()
    assert not Designation.objects.filter(membership__user=user).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "role", "Choose how you join"),
        ({"role": "designated", "act_date": "2026-01-15"}, "signed_by", "who signed"),
        ({"role": "designated", "signed_by": "rtd"}, "act_date", "Enter the date"),
        ({"role": "designated", "signed_by": "rtd", "act_date": "ieri"}, "act_date", ""),
        ({"role": "coordinator"}, "role", ""),
    ],
)
def test_join_invalid_declaration_changes_nothing(client, world, data, field, message):
    user = login(client, world, "registered")
    response = client.post(url("join", world.community), data)
    assert response.status_code == 400
    one_h1(response)
    assert 'id="form-errors"' in response.text
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text
    assert_nothing_joined(user, world)


def test_join_future_date_refused_and_values_kept(client, world):
    user = login(client, world, "registered")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url("join", world.community),
        {"role": "designated", "signed_by": "sindaco", "act_date": future},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.text
    assert f'value="{future}"' in response.text
    assert re.search(r'value="sindaco"[^>]*checked', response.text)
    assert re.search(r'value="designated"[^>]*checked', response.text)
    assert 'aria-invalid="true"' in response.text
    assert_nothing_joined(user, world)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("atto.docx", b"PK\x03\x04 word", content_type="application/msword"),
        SimpleUploadedFile("atto.pdf", b"not really a pdf", content_type="application/pdf"),
    ],
    ids=["docx", "fake-pdf"],
)
def test_join_non_pdf_act_refused(client, world, upload):
    user = login(client, world, "registered")
    upload.seek(0)
    response = client.post(
        url("join", world.community),
        {"role": "designated", "signed_by": "rtd", "act_date": "2026-01-10", "act_file": upload},
    )
    assert response.status_code == 400
    assert "must be a PDF file" in response.text
    assert 'id="id_act_file_error"' in response.text
    assert 'value="2026-01-10"' in response.text
    assert re.search(r'value="rtd"[^>]*checked', response.text)
    assert "select the PDF file again" in response.text
    assert_nothing_joined(user, world)


def test_join_oversized_act_refused(client, world, settings):
    settings.COMMUNITIES_ACT_MAX_SIZE = 64
    user = login(client, world, "registered")
    response = client.post(
        url("join", world.community),
        {
            "role": "designated",
            "signed_by": "rtd",
            "act_date": "2026-01-10",
            "act_file": pdf(content=PDF + b"x" * 200),
        },
    )
    assert response.status_code == 400
    assert "too large" in response.text
    assert_nothing_joined(user, world)


@pytest.mark.parametrize(
    "column",
    ["participant", "designated", "wg_member", "wg_coordinator", "coordinator", "support"],
)
def test_joining_twice_is_a_conflict_and_changes_nothing(client, world, column):
    user = login(client, world, column)
    before = list(Membership.objects.filter(user=user).values_list("pk", "role", "left_at"))
    response = client.post(url("join", world.community), {"role": "participant"})
    assert response.status_code == 409
    one_h1(response)
    assert "already a member" in response.text
    assert list(Membership.objects.filter(user=user).values_list("pk", "role", "left_at")) == (
        before
    )
    assert client.get(url("join", world.community)).status_code == 409


def test_staff_cannot_join(client, world):
    user = login(client, world, "staff")
    response = client.post(url("join", world.community), {"role": "participant"})
    assert response.status_code == 403
    assert "Complete your registration" in response.text
    assert not Membership.objects.filter(user=user).exists()


def test_unregistered_member_cannot_join(client, world):
    user = factories.RegisteredUserFactory(onboarded_at=None)
    client.force_login(user)
    response = client.post(url("join", world.community), {"role": "participant"})
    assert response.status_code == 302  # the registration gate
    assert response["Location"].startswith(reverse("membership:onboarding"))
    assert not Membership.objects.filter(user=user).exists()


def test_join_unknown_or_unpublished_community_is_404(client, world):
    login(client, world, "registered")
    assert client.get(reverse("participation:join", args=[999999])).status_code == 404
    draft = base.CommunityPageFactory(parent=world.tree.communities, title="Bozza", live=False)
    assert client.post(url("join", draft), {"role": "participant"}).status_code == 404
    assert client.get(url("join", world.area)).status_code == 404  # not a community


def test_join_refuses_get_only_methods(client, world):
    login(client, world, "registered")
    assert client.put(url("join", world.community)).status_code == 405


def test_join_works_in_italian(client, world):
    user = login(client, world, "registered")
    target = url("join", world.community, lang="it")
    assert not target.startswith("/en/")
    response = client.get(target)
    assert response.status_code == 200
    assert 'lang="it"' in response.text
    response = client.post(target, {"role": "designated"})
    assert response.status_code == 400
    assert escape(it("Enter the date of the act.")) in response.text
    assert_nothing_joined(user, world)


# --- leave --------------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["participant", "designated", "wg_member", "wg_coordinator"])
def test_member_leaves_after_confirmation(client, world, column):
    user = login(client, world, column)
    confirm = client.get(url("leave", world.community))
    assert confirm.status_code == 200
    one_h1(confirm)
    assert active_memberships(user, world.community).exists()  # GET changes nothing
    if column.startswith("wg_"):
        assert world.group.title in confirm.text  # warned: the working group is left too
    response = client.post(url("leave", world.community))
    assert response.status_code == 302
    assert response["Location"] == dashboard_url()
    assert not active_memberships(user, world.community).exists()
    assert not WorkingGroupMembership.objects.filter(
        user=user, status__in=WorkingGroupMembership.OPEN_STATUSES
    ).exists()
    assert client.get(world.area.url).status_code != 200


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("registered", "not a member"),
        ("other_member", "not a member"),
        ("staff", "not a member"),
        ("coordinator", "editorial staff"),
        ("support", "editorial staff"),
    ],
)
def test_leave_refused(client, world, column, text):
    user = login(client, world, column)
    before = Membership.objects.filter(user=user, left_at__isnull=True).count()
    assert client.get(url("leave", world.community)).status_code == 403
    response = client.post(url("leave", world.community))
    assert response.status_code == 403
    assert text in response.text
    assert Membership.objects.filter(user=user, left_at__isnull=True).count() == before


def test_leave_needs_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = login(client, world, "participant")
    assert client.post(url("leave", world.community)).status_code == 403
    assert active_memberships(user, world.community).exists()


def test_anonymous_leave_goes_to_sign_in(client, world):
    assert goes_to_sign_in(client.post(url("leave", world.community)))


# --- switch role --------------------------------------------------------------------------------


def test_participant_becomes_designated(client, world):
    user = login(client, world, "participant")
    page = client.get(url("switch_role", world.community))
    assert page.status_code == 200
    one_h1(page)
    response = client.post(
        url("switch_role", world.community),
        {"role": "designated", "signed_by": "rtd", "act_date": "2026-02-02", "act_file": pdf()},
    )
    assert response.status_code == 302
    membership = active_memberships(user, world.community).get()
    assert membership.role == Role.DESIGNATED
    assert membership.designation.act_date == datetime.date(2026, 2, 2)
    assert membership.designation.act_file


def test_switch_to_designated_bad_input_changes_nothing(client, world):
    user = login(client, world, "participant")
    response = client.post(
        url("switch_role", world.community),
        {"role": "designated", "signed_by": "sindaco", "act_file": pdf("atto.txt", b"testo")},
    )
    assert response.status_code == 400
    assert "Enter the date" in response.text
    assert "must be a PDF file" in response.text
    assert re.search(r'value="sindaco"[^>]*checked', response.text)
    membership = active_memberships(user, world.community).get()
    assert membership.role == Role.PARTICIPANT
    assert not Designation.objects.filter(membership=membership).exists()


def test_designated_becomes_participant_and_leaves_groups(client, world):
    user = login(client, world, "wg_member")
    page = client.get(url("switch_role", world.community))
    assert page.status_code == 200
    assert world.group.title in page.text
    response = client.post(url("switch_role", world.community), {"role": "participant"})
    assert response.status_code == 302
    assert active_memberships(user, world.community).get().role == Role.PARTICIPANT
    assert not WorkingGroupMembership.objects.filter(user=user, status=WGStatus.ACTIVE).exists()


def test_stale_switch_role_form_changes_nothing(client, world):
    user = login(client, world, "participant")
    response = client.post(url("switch_role", world.community), {"role": "participant"})
    assert response.status_code == 409
    assert active_memberships(user, world.community).get().role == Role.PARTICIPANT


@pytest.mark.parametrize(
    "column", ["registered", "other_member", "coordinator", "support", "staff"]
)
def test_switch_role_refused(client, world, column):
    user = login(client, world, column)
    before = list(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert client.get(url("switch_role", world.community)).status_code == 403
    response = client.post(url("switch_role", world.community), {"role": "designated"})
    assert response.status_code == 403
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == before


# --- the appointment act on request -------------------------------------------------------------


@pytest.fixture
def copy_requested(world):
    designation = Membership.objects.get(
        user=world.users["designated"], community=world.community
    ).designation
    designation.status = Designation.Status.COPY_REQUESTED
    designation.copy_requested_at = timezone.now()
    designation.save()
    return designation


def test_member_uploads_requested_act(client, world, copy_requested):
    login(client, world, "designated")
    dashboard = client.get(dashboard_url())
    assert url("upload_act", world.community) in dashboard.text
    page = client.get(url("upload_act", world.community))
    assert page.status_code == 200
    one_h1(page)
    response = client.post(url("upload_act", world.community), {"act_file": pdf()})
    assert response.status_code == 302
    copy_requested.refresh_from_db()
    assert copy_requested.act_file
    assert copy_requested.status == Designation.Status.COPY_REQUESTED  # the managers verify it
    with copy_requested.act_file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "data",
    [{}, {"act_file": pdf("atto.png", b"\x89PNG....")}],
    ids=["missing", "not-pdf"],
)
def test_bad_act_upload_changes_nothing(client, world, copy_requested, data):
    login(client, world, "designated")
    response = client.post(url("upload_act", world.community), data)
    assert response.status_code == 400
    assert 'id="id_act_file_error"' in response.text
    copy_requested.refresh_from_db()
    assert not copy_requested.act_file


def test_oversized_act_upload_refused(client, world, copy_requested, settings):
    settings.COMMUNITIES_ACT_MAX_SIZE = 64
    login(client, world, "designated")
    response = client.post(
        url("upload_act", world.community), {"act_file": pdf(content=PDF + b"x" * 100)}
    )
    assert response.status_code == 400
    assert "too large" in response.text
    copy_requested.refresh_from_db()
    assert not copy_requested.act_file


@pytest.mark.parametrize(
    "column", ["designated", "participant", "registered", "coordinator", "subject"]
)
def test_act_upload_refused_without_request(client, world, column):
    # Only the designated member whose copy was requested; nobody was asked here.
    user = world.subject if column == "subject" else world.users[column]
    client.force_login(user)
    assert client.get(url("upload_act", world.community)).status_code == 403
    assert client.post(url("upload_act", world.community), {"act_file": pdf()}).status_code == 403
    assert not Designation.objects.exclude(act_file="").exists()


def test_someone_else_cannot_upload_the_requested_act(client, world, copy_requested):
    login(client, world, "wg_member")
    assert client.post(url("upload_act", world.community), {"act_file": pdf()}).status_code == 403
    copy_requested.refresh_from_db()
    assert not copy_requested.act_file


# --- member directory ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    ["participant", "designated", "wg_member", "wg_coordinator", "coordinator", "support"],
)
def test_directory_for_members(client, world, column):
    login(client, world, column)
    response = client.get(url("directory", world.community))
    assert response.status_code == 200
    one_h1(response)
    coordinator = world.users["coordinator"]
    assert coordinator.last_name in response.text
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("column", ["registered", "other_member", "staff"])
def test_directory_refused_to_non_members(client, world, column):
    login(client, world, column)
    response = client.get(url("directory", world.community))
    assert response.status_code == 403
    assert world.users["coordinator"].last_name not in response.text


def test_directory_anonymous_goes_to_sign_in(client, world):
    assert goes_to_sign_in(client.get(url("directory", world.community)))


def test_directory_respects_visibility_choice(client, world):
    hidden = factories.RegisteredUserFactory(last_name="Nascosto", show_in_directory=False)
    make_member(world.community, Role.DESIGNATED, user=hidden)
    hidden_coordinator = factories.RegisteredUserFactory(
        last_name="Coordinatrice", show_in_directory=False
    )
    make_member(world.community, Role.COORDINATOR, user=hidden_coordinator)
    shown = factories.RegisteredUserFactory(last_name="Visibile")
    make_member(world.community, Role.PARTICIPANT, user=shown)
    gone = factories.RegisteredUserFactory(last_name="Uscito")
    make_member(world.community, Role.PARTICIPANT, user=gone, left_at=timezone.now())
    other = factories.RegisteredUserFactory(last_name="Altrove")
    make_member(world.other, Role.PARTICIPANT, user=other)
    login(client, world, "participant")
    text = client.get(url("directory", world.community)).text
    assert "Visibile" in text
    assert "Coordinatrice" in text  # a public role is always listed
    assert "Nascosto" not in text
    assert "Uscito" not in text
    assert "Altrove" not in text


def add_members(community, count):
    for _ in range(count):
        make_member(community, Role.PARTICIPANT)


def count_queries(client, target):
    client.get(target)  # warm the per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


def test_directory_is_paginated_and_query_budget_is_flat(client, world):
    login(client, world, "participant")
    target = url("directory", world.community)
    few = count_queries(client, target)
    add_members(world.community, 30)
    many = count_queries(client, target)
    assert many == few
    assert few <= 25
    page2 = client.get(target, {"page": 2})
    assert page2.status_code == 200
    assert 'aria-current="page"' in page2.text


# --- the community page -------------------------------------------------------------------------


def test_community_page_for_anonymous_links_to_sign_in_then_join(client, world):
    response = client.get(world.community.url)
    assert response.status_code == 200
    join = url("join", world.community, lang="it").replace("/", "%2F")
    assert f"/accedi/?next={join}" in response.text
    assert world.users["coordinator"].last_name in response.text  # public roles are shown
    assert world.users["support"].last_name in response.text
    people = response.text.split('id="community-people"')[1]
    assert re.search(r"<p>7 \w+</p>", people)  # seven active members
    one_h1(response)


@pytest.mark.parametrize("column", ["registered", "other_member"])
def test_community_page_offers_join(client, world, column):
    login(client, world, column)
    response = client.get(world.community.url)
    assert url("join", world.community, lang="it") in response.text
    assert url("directory", world.community, lang="it") not in response.text
    assert world.area.url not in response.text


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("participant", "Participant"),
        ("designated", "Designated participant"),
        ("coordinator", "Coordinator"),
        ("support", "Support team"),
    ],
)
def test_community_page_for_members(client, world, column, label):
    login(client, world, column)
    response = client.get(world.community.url)
    assert url("join", world.community, lang="it") not in response.text
    assert world.area.url in response.text
    assert url("directory", world.community, lang="it") in response.text
    assert f"<strong>{it(label)}</strong>" in response.text


def test_community_page_without_join_for_staff(client, world):
    login(client, world, "staff")
    response = client.get(world.community.url)
    assert url("join", world.community, lang="it") not in response.text


def test_community_page_query_budget_is_flat(client, world, django_assert_max_num_queries):
    login(client, world, "participant")
    target = world.community.url
    few = count_queries(client, target)
    add_members(world.community, 20)
    make_member(
        world.community,
        Role.SUPPORT,
        support_kind=Membership.SupportKind.EXPERT,
    )
    assert count_queries(client, target) == few
    with django_assert_max_num_queries(40):
        client.get(target)


# --- La mia area --------------------------------------------------------------------------------


def test_dashboard_anonymous_goes_to_sign_in(client, world):
    assert goes_to_sign_in(client.get(dashboard_url()))
    assert goes_to_sign_in(client.get(dashboard_url("it")))


def test_dashboard_is_linked_from_header(client, world):
    login(client, world, "registered")
    response = client.get(dashboard_url())
    assert response.status_code == 200
    one_h1(response)
    assert f'href="{dashboard_url()}" aria-current="page"' in response.text
    assert "no-store" in response["Cache-Control"]
    assert world.tree.communities.url in response.text  # nothing yet: discover the communities


def test_dashboard_lists_communities_roles_and_groups(client, world):
    user = login(client, world, "wg_coordinator")
    make_member(world.other, Role.PARTICIPANT, user=user)
    response = client.get(dashboard_url())
    text = response.text
    assert world.community.title in text and world.other.title in text
    assert "Designated participant" in text and "Participant" in text
    assert world.group.url in text
    assert "Group coordinator" in text
    assert world.area.url in text and world.other_area.url in text
    assert url("leave", world.community) in text
    assert url("switch_role", world.other) in text


def test_dashboard_for_coordinator_has_no_leave(client, world):
    login(client, world, "coordinator")
    text = client.get(dashboard_url()).text
    assert world.community.title in text
    assert url("leave", world.community) not in text


def test_designated_asks_to_join_a_working_group(client, world):
    user = login(client, world, "designated")
    text = client.get(dashboard_url()).text
    assert url("request_to_join", world.group) in text
    response = client.post(url("request_to_join", world.group))
    assert response.status_code == 302
    assert WorkingGroupMembership.objects.get(user=user, group=world.group).status == (
        WGStatus.REQUESTED
    )
    text = client.get(dashboard_url()).text
    assert url("request_to_join", world.group) not in text
    assert world.group.title in text  # listed among the pending requests
    # Asking twice changes nothing.
    assert client.post(url("request_to_join", world.group)).status_code == 403
    assert WorkingGroupMembership.objects.filter(user=user, group=world.group).count() == 1


@pytest.mark.parametrize(
    ("column", "status"),
    [
        ("participant", 403),
        ("wg_member", 403),
        ("coordinator", 403),
        ("registered", 404),
        ("other_member", 404),
        ("staff", 404),
    ],
)
def test_request_to_join_refused(client, world, column, status):
    user = login(client, world, column)
    if column == "participant":
        text = client.get(dashboard_url()).text
        assert url("request_to_join", world.group) not in text
    before = WorkingGroupMembership.objects.filter(user=user).count()
    response = client.post(url("request_to_join", world.group))
    assert response.status_code == status
    if status == 404:
        assert world.group.title not in response.text
    assert WorkingGroupMembership.objects.filter(user=user).count() == before


def test_request_to_join_is_post_only(client, world):
    login(client, world, "designated")
    assert client.get(url("request_to_join", world.group)).status_code == 405


@pytest.fixture
def invitation(world):
    return factories.WorkingGroupMembershipFactory(
        user=world.users["designated"],
        group=world.group,
        status=WGStatus.INVITED,
        invited_by=world.users["coordinator"],
    )


@pytest.mark.parametrize(("answer", "status"), [("accept", "active"), ("decline", "declined")])
def test_answer_invitation(client, world, invitation, answer, status):
    login(client, world, "designated")
    text = client.get(dashboard_url()).text
    assert url("answer_invitation", world.group) in text
    response = client.post(url("answer_invitation", world.group), {"answer": answer})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == status
    assert (client.get(world.group.url).status_code == 200) is (answer == "accept")


@pytest.mark.parametrize("column", ["participant", "registered", "wg_member", "coordinator"])
def test_answer_invitation_without_invitation_is_404(client, world, invitation, column):
    user = login(client, world, column)
    before = list(WorkingGroupMembership.objects.values_list("pk", "status"))
    response = client.post(url("answer_invitation", world.group), {"answer": "accept"})
    assert response.status_code == 404
    assert list(WorkingGroupMembership.objects.values_list("pk", "status")) == before
    assert not WorkingGroupMembership.objects.filter(user=user, status=WGStatus.INVITED).exists()


def test_dashboard_shows_designation_status(client, world):
    login(client, world, "designated")
    text = client.get(dashboard_url()).text
    assert "Declared" in text or "Dichiarata" in text


def test_dashboard_query_budget_is_flat(client, world):
    user = login(client, world, "designated")
    target = dashboard_url()
    few = count_queries(client, target)
    # More communities, working groups, invitations and requests.
    for n in range(3):
        community = base.CommunityPageFactory(parent=world.tree.communities, title=f"Extra {n}")
        area = factories.CommunityAreaPageFactory(parent=community)
        make_member(community, Role.DESIGNATED, user=user)
        for status in (WGStatus.ACTIVE, WGStatus.INVITED, WGStatus.REQUESTED, None):
            group = factories.WorkingGroupPageFactory(parent=area)
            if status is not None:
                factories.WorkingGroupMembershipFactory(user=user, group=group, status=status)
    many = count_queries(client, target)
    assert many == few
    assert many <= 30


def test_dashboard_in_italian(client, world):
    login(client, world, "designated")
    response = client.get(dashboard_url("it"))
    assert response.status_code == 200
    assert 'lang="it"' in response.text
    assert str(it("Designated participant")) in response.text


@pytest.mark.parametrize(
    ("column", "offered"),
    [("participant", True), ("designated", True), ("coordinator", False), ("support", False)],
)
def test_dashboard_offers_leave_only_where_the_policy_allows(client, world, column, offered):
    login(client, world, column)
    response = client.get(reverse("participation:dashboard"))
    assert response.status_code == 200
    assert (url("leave", world.community, lang="it") in response.text) is offered
