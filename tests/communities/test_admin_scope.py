"""Coordinators and support run their own community in Wagtail's admin, and nothing else:
tested through the admin's URLs (``communities.spaces`` keeps their *redazione* group)."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from communities import services
from communities.models import Membership, ReservedSpace
from tests import factories as base

from . import factories
from .conftest import fresh

pytestmark = pytest.mark.django_db


def _space(community):
    return ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.COMMUNITY, translation_key=community.translation_key
    )


def _refused(response) -> bool:
    """Wagtail refuses with a 403 (or 404), or a redirect to the dashboard with a message (or
    to the admin's sign-in page, for who may no longer enter the admin)."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and (
        response.url == reverse("wagtailadmin_home")
        or response.url.startswith(reverse("wagtailadmin_login"))
    )


def _media(community, title):
    collection = _space(community).collection
    return (
        base.ImageFactory(title=f"Immagine {title}", collection=collection),
        base.DocumentFactory(
            title=f"Documento {title}",
            collection=collection,
            file=ContentFile(b"%PDF-1.4\n", name="doc.pdf"),
        ),
    )


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def test_the_admin_group_follows_the_managers(world):
    space = _space(world.community)
    group = space.admin_group
    assert group is not None and "redazione" in group.name
    assert set(group.user_set.values_list("pk", flat=True)) == {
        world.users["coordinator"].pk,
        world.users["support"].pk,
    }
    assert fresh(world.users["coordinator"]).has_perm("wagtailadmin.access_admin")
    assert not fresh(world.users["participant"]).has_perm("wagtailadmin.access_admin")
    # Hidden from Settings → Groups, like the other managed groups.
    admin = base.UserFactory(is_staff=True, is_superuser=True)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    assert group.name not in client.get(reverse("wagtailusers_groups:index")).text
    edit = client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    assert edit.status_code == 404


def test_coordinator_runs_their_own_community(coordinator_client, world):
    client = coordinator_client
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    # The explorer starts at their community.
    explore = client.get(reverse("wagtailadmin_explore_root"))
    assert explore.status_code == 302 and explore.url.endswith(f"/{world.community.pk}/")
    for page in (world.community, world.area, world.group, world.announcement):
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert edit.status_code == 200, page.title
    add = reverse("wagtailadmin_pages:add", args=["communities", "reservedpage", world.area.pk])
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "title": "Nuovo verbale",
            "slug": "nuovo-verbale",
            "summary": "",
            "date": "2026-01-10",
            "kind": "announcement",
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    page = world.area.get_children().get(title="Nuovo verbale")
    assert page.live
    image, document = _media(world.community, "A")
    assert client.get(reverse("wagtailimages:edit", args=[image.pk])).status_code == 200
    assert client.get(reverse("wagtaildocs:edit", args=[document.pk])).status_code == 200


def test_coordinator_sees_no_admin_menu_beyond_their_work(coordinator_client):
    text = coordinator_client.get(reverse("wagtailadmin_home")).text
    for name in ('"name": "settings"', '"name": "snippets"', '"name": "forms"', "/admin/users/"):
        assert name not in text, name
    assert '"name": "page-types-usage"' not in text


def test_coordinator_is_refused_the_other_community(coordinator_client, world):
    client = coordinator_client
    other_group = factories.WorkingGroupPageFactory(parent=world.other_area, title="Altro gruppo")
    for page in (world.other, world.other_area, other_group):
        for name in ("edit", "delete", "unpublish", "move"):
            url = reverse(f"wagtailadmin_pages:{name}", args=[page.pk])
            assert _refused(client.get(url)), (name, page.title)
        publish = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            {"title": "Preso", "action-publish": "action-publish"},
        )
        assert _refused(publish), page.title
    add = reverse(
        "wagtailadmin_pages:add", args=["communities", "reservedpage", world.other_area.pk]
    )
    assert _refused(client.get(add))
    image, document = _media(world.other, "B")
    for url in (
        reverse("wagtailimages:edit", args=[image.pk]),
        reverse("wagtailimages:delete", args=[image.pk]),
        reverse("wagtaildocs:edit", args=[document.pk]),
        reverse("wagtaildocs:delete", args=[document.pk]),
    ):
        assert _refused(client.get(url)), url
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailusers_users:edit", args=[world.users["participant"].pk]),
    ):
        assert _refused(client.get(url)), url


def test_coordinator_may_not_break_the_community_structure(coordinator_client, world):
    client = coordinator_client
    for page in (world.community, world.area):
        for name in ("delete", "unpublish", "move"):
            url = reverse(f"wagtailadmin_pages:{name}", args=[page.pk])
            assert _refused(client.get(url)), (name, page.title)
    assert world.area.permissions_for_user(fresh(world.users["staff"])).can_edit() is False


def test_leaving_the_role_closes_the_admin_at_once(client, world):
    coordinator = world.users["coordinator"]
    client.force_login(coordinator)
    url = reverse("wagtailadmin_pages:edit", args=[world.area.pk])
    assert client.get(url).status_code == 200
    staff = factories.StaffUserFactory(is_superuser=True)
    membership = Membership.objects.get(user=coordinator, community=world.community)
    services.assign_role(staff, membership, Membership.Role.PARTICIPANT)
    assert _refused(client.get(url))
    assert _refused(client.get(reverse("wagtailadmin_home")))
    assert (
        not Group.objects.get(pk=_space(world.community).admin_group_id)
        .user_set.filter(pk=coordinator.pk)
        .exists()
    )


def test_removed_support_is_refused_at_once(client, world):
    support = world.users["support"]
    client.force_login(support)
    url = reverse("wagtailadmin_pages:edit", args=[world.group.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=support, community=world.community).delete()
    assert _refused(client.get(url))
