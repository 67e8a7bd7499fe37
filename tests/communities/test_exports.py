"""Exports and claimed authorities (issue 12): every export escapes formulas; an authority a
member proposed is shown "in verifica", never as a fact; the members' CSV is for the
coordinator, the institutional support referents and staff, and leaves out the contact data of
members who chose not to appear in the directories."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cms import access
from cms.spreadsheets import SafeSpreadsheetExportMixin
from communities import permissions as community_permissions
from communities.models import Membership
from communities.permissions import Action
from membership.models import Ente

from . import factories
from .conftest import fresh, make_member

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
ESCAPED = "'" + FORMULA
Role = Membership.Role


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def evil(world):
    """The designated member ``world.subject`` works for an authority they proposed, named like a
    formula, still awaiting approval; they also belong to the working group."""
    ente = Ente.objects.create(
        name=FORMULA, region="Lazio", status=Ente.Status.PENDING, proposed_by=world.subject
    )
    world.subject.ente = ente
    world.subject.save()
    factories.WorkingGroupMembershipFactory(user=world.subject, group=world.group)
    return ente


@pytest.fixture
def admin(world):
    return client_as(factories.StaffUserFactory(is_superuser=True))


def csv_cells(response) -> list[list[str]]:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def flat(rows) -> list[str]:
    return [cell for row in rows for cell in row]


# --- Wagtail admin exports -----------------------------------------------------------------------


ADMIN_EXPORTS = [
    "community_memberships:index",
    "community_designations:index",
    "working_group_memberships:index",
]


@pytest.mark.parametrize("name", ADMIN_EXPORTS)
def test_admin_csv_export_escapes_a_formula_authority(admin, evil, name):
    response = admin.get(reverse(name), {"export": "csv"})
    assert response.status_code == 200
    cells = flat(csv_cells(response))
    assert ESCAPED in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("name", ADMIN_EXPORTS)
def test_admin_xlsx_export_escapes_a_formula_authority(admin, evil, name):
    response = admin.get(reverse(name), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    mine = [cell for cell in cells if cell.value == ESCAPED]
    assert mine
    assert all(cell.data_type == "s" for cell in mine)
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_every_portal_admin_export_uses_the_escaper(admin):
    """Any viewset of the portal with ``list_export`` exports through the safe index view."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.base import ViewSet

    admin.get(reverse("wagtailadmin_home"))  # the admin's URLs (and viewsets) are loaded
    exporting = [
        viewset
        for viewset in viewsets.viewsets
        if getattr(viewset, "list_export", ViewSet.UNDEFINED) not in (ViewSet.UNDEFINED, [], ())
        and not type(viewset).__module__.startswith("wagtail.")
    ]
    assert {viewset.name for viewset in exporting} >= {
        "community_memberships",
        "community_designations",
        "working_group_memberships",
    }
    for viewset in exporting:
        assert issubclass(viewset.index_view_class, SafeSpreadsheetExportMixin), viewset.name


# --- The members' CSV: who may download it ------------------------------------------------------


@pytest.fixture
def expert(world):
    return make_member(world.community, Role.SUPPORT, support_kind=Membership.SupportKind.EXPERT)


@pytest.fixture
def national(world):
    return make_member(world.community, Role.SUPPORT, support_kind=Membership.SupportKind.NATIONAL)


def members_csv_url(world):
    return reverse("communities:manage_members_csv", args=[world.community.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("support", 200),  # the ANCI/DTD referent
        ("national", 200),
        ("staff", 200),
        ("expert", 403),
        ("participant", 403),
        ("designated", 403),
        ("wg_coordinator", 403),
        ("registered", 404),
        ("other_member", 404),
    ],
)
def test_members_csv_by_role(world, expert, national, who, status):
    user = {"expert": expert, "national": national}.get(who) or world.users[who]
    response = client_as(user).get(members_csv_url(world))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("text/csv")


def test_members_csv_anonymous_is_sent_to_sign_in(world):
    response = Client().get(members_csv_url(world))
    assert response.status_code == 302


def test_expert_sees_the_members_list_without_the_export_link(world, expert):
    client = client_as(expert)
    page = client.get(reverse("communities:manage_members", args=[world.community.pk]))
    assert page.status_code == 200
    assert members_csv_url(world) not in page.text
    coordinator = client_as(world.users["coordinator"]).get(
        reverse("communities:manage_members", args=[world.community.pk])
    )
    assert members_csv_url(world) in coordinator.text


def test_policy_answers_for_each_support_kind(world, expert, national):
    community = world.community
    assert access.can(fresh(world.users["support"]), Action.EXPORT_MEMBERS, community)
    assert access.can(fresh(national), Action.EXPORT_MEMBERS, community)
    assert not access.can(fresh(expert), Action.EXPORT_MEMBERS, community)
    # Nor in a community they do not belong to.
    assert not access.can(fresh(expert), Action.EXPORT_MEMBERS, world.other)
    assert set(Membership.SupportKind.values) >= community_permissions.EXPORTING_SUPPORT_KINDS


# --- The members' CSV: what it holds ------------------------------------------------------------


def test_members_csv_escapes_and_marks_pending_authority(world, evil):
    with translation.override("it"):
        rows = csv_cells(client_as(world.users["coordinator"]).get(members_csv_url(world)))
    subject = next(row for row in rows if world.subject.last_name in row[0])
    assert f"{ESCAPED} (in verifica)" in subject
    assert not [cell for cell in flat(rows) if cell.startswith(("=", "+", "-", "@"))]


def test_members_csv_shows_an_approved_authority_as_it_is(world):
    ente = Ente.objects.create(name="Comune di Anzio", province_code="RM")
    world.subject.ente = ente
    world.subject.save()
    rows = csv_cells(client_as(world.users["coordinator"]).get(members_csv_url(world)))
    subject = next(row for row in rows if world.subject.last_name in row[0])
    assert "Comune di Anzio (RM)" in subject


def test_members_csv_leaves_out_hidden_contact_data(world):
    shown, hidden = world.users["designated"], world.subject
    shown.contact_email = "visibile@comune.example.it"
    shown.save()
    hidden.contact_email = "riservato@comune.example.it"
    hidden.email = "spid@comune.example.it"
    hidden.show_in_directory = False
    hidden.save()
    response = client_as(world.users["staff"]).get(members_csv_url(world))
    text = response.content.decode("utf-8-sig")
    assert "visibile@comune.example.it" in text
    assert "riservato@comune.example.it" not in text
    assert "spid@comune.example.it" not in text
    rows = list(csv.reader(io.StringIO(text)))
    hidden_row = next(row for row in rows if hidden.last_name in row[0])
    assert hidden_row[1] == ""  # listed, without contact data


# --- Claimed authorities on the site and in the API ---------------------------------------------


def test_directory_shows_a_pending_authority_as_under_verification(world):
    ente = Ente.objects.create(
        name="Comune di Nuovaterra", status=Ente.Status.PENDING, proposed_by=world.subject
    )
    world.subject.ente = ente
    world.subject.save()
    rejected = Ente.objects.create(name="Ente Respinto", status=Ente.Status.REJECTED)
    world.users["designated"].ente = rejected
    world.users["designated"].save()
    page = client_as(world.users["participant"]).get(
        reverse("participation:directory", args=[world.community.pk])
    )
    assert page.status_code == 200
    assert "Comune di Nuovaterra (in verifica)" in page.text
    assert "Ente Respinto" not in page.text


def test_working_group_api_marks_pending_authority(world, evil):
    response = client_as(world.users["coordinator"]).get(
        reverse("community_api:working_group_detail", args=[world.group.pk]),
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 200
    member = next(m for m in response.json()["members"] if m["ente"] == FORMULA)
    assert member["ente_verified"] is False
    assert member["ente_label"].endswith("(in verifica)")
