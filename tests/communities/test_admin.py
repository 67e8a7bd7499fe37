"""Staff manage memberships, designations and working group members in the Wagtail admin."""

import csv
import io

import pytest
from django.urls import reverse

from cms import access
from communities import permissions as community_permissions
from communities.models import Designation, Membership, ReservedSpace

from . import factories
from .conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    admin = factories.StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


@pytest.mark.parametrize(
    "name",
    [
        "community_memberships:index",
        "community_designations:index",
        "working_group_memberships:index",
    ],
)
def test_listings_render(admin_client, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200


def test_memberships_filter_and_csv_export(admin_client, world):
    url = reverse("community_memberships:index")
    response = admin_client.get(url, {"role": "coordinator"})
    assert response.status_code == 200
    coordinator = world.users["coordinator"]
    assert coordinator.last_name in response.text
    assert world.users["participant"].last_name not in response.text

    export = admin_client.get(url, {"export": "csv", "community": world.community.pk})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 1 + Membership.objects.filter(community=world.community).count()
    assert world.users["other_member"].last_name not in content


@pytest.mark.parametrize(
    "name",
    ["community_designations:index", "working_group_memberships:index"],
)
def test_other_exports(admin_client, world, name):
    export = admin_client.get(reverse(name), {"export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert world.users["designated"].last_name in content or "Gestione incidenti" in content


def test_staff_appoints_support_and_groups_follow(admin_client, world):
    membership = Membership.objects.get(user=world.users["participant"], community=world.community)
    url = reverse("community_memberships:edit", args=[membership.pk])
    response = admin_client.post(
        url,
        {
            "user": membership.user_id,
            "community": world.community.pk,
            "role": "support",
            "support_kind": "expert",
            "joined_at": membership.joined_at.strftime("%Y-%m-%d %H:%M"),
            "left_at": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = fresh(world.users["participant"])
    assert community_permissions.role_in(user, world.community) == "support"
    managers = ReservedSpace.objects.get(translation_key=world.community.translation_key)
    assert user.groups.filter(pk=managers.managers_group_id).exists()
    assert access.can(user, "view_working_group", world.group)


def test_support_without_kind_is_refused(admin_client, world):
    membership = Membership.objects.get(user=world.users["participant"], community=world.community)
    response = admin_client.post(
        reverse("community_memberships:edit", args=[membership.pk]),
        {
            "user": membership.user_id,
            "community": world.community.pk,
            "role": "support",
            "support_kind": "",
            "joined_at": membership.joined_at.strftime("%Y-%m-%d %H:%M"),
            "left_at": "",
        },
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == "participant"


def test_staff_verifies_designation(admin_client, world):
    designation = world.designation
    response = admin_client.post(
        reverse("community_designations:edit", args=[designation.pk]), {"status": "verified"}
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.status == Designation.Status.VERIFIED
    assert designation.verified_by == admin_client.admin
    assert designation.verified_at is not None


def test_synced_groups_are_not_editable_by_hand(admin_client, world):
    from django.contrib.auth.models import Group

    space = ReservedSpace.objects.get(translation_key=world.community.translation_key)
    ordinary = Group.objects.create(name="Redazione notizie")
    listing = admin_client.get(reverse("wagtailusers_groups:index"))
    assert listing.status_code == 200
    assert ordinary.name in listing.text
    assert space.members_group.name not in listing.text
    assert space.managers_group.name not in listing.text
    for group in (space.members_group, space.managers_group):
        for view in ("edit", "delete"):
            url = reverse(f"wagtailusers_groups:{view}", args=[group.pk])
            assert admin_client.get(url).status_code == 404
    assert (
        admin_client.get(reverse("wagtailusers_groups:edit", args=[ordinary.pk])).status_code == 200
    )
