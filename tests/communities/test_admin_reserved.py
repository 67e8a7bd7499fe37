"""Editors work on the public site in the admin, never inside a reserved space.

Wagtail gives the Editors group its page and collection permissions on the root: they would run
down into every reserved area and working group, and into the communities' private collections.
The portal stops them there (cms/admin_permissions.py): tested here through the admin's
own URLs, as an editor and as a superuser."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import Collection, GroupPagePermission, Page

from cms import access, admin_permissions
from communities.models import ReservedSpace
from tests import factories as base

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(world):
    user = factories.StaffUserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, world):
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    return client


def reserved_pages(world):
    return [world.area, world.announcement, world.group, world.group_page, world.other_area]


@pytest.fixture
def media(world):
    cache.clear()
    community_collection = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.COMMUNITY, translation_key=world.community.translation_key
    ).collection
    group_collection = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.WORKING_GROUP, translation_key=world.group.translation_key
    ).collection
    root = Collection.get_first_root_node()
    return {
        "image": base.ImageFactory(title="Schema riservato", collection=community_collection),
        "group_image": base.ImageFactory(title="Lavagna del gruppo", collection=group_collection),
        "public_image": base.ImageFactory(title="Immagine pubblica", collection=root),
        "document": base.DocumentFactory(
            title="Verbale riservato",
            collection=community_collection,
            file=ContentFile(b"%PDF-1.4\n% verbale\n", name="verbale.pdf"),
        ),
        "public_document": base.DocumentFactory(title="Documento pubblico", collection=root),
        "collection": community_collection,
        "group_collection": group_collection,
    }


def editor_links_to(response, page) -> bool:
    """Whether an admin response shows ``page`` (its title in a link to it, or its id in an
    admin URL). "Area riservata" is also the page type's name, listed in the type filters."""
    text = response.content.decode()
    return (
        f"/admin/pages/{page.pk}/" in text
        or f'"id": {page.pk},' in text
        or (page.title != "Area riservata" and page.title in text)
    )


# --- Pages: the editor's URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["edit", "view_draft", "preview_on_edit", "history", "revisions_index", "usage"]
)
def test_editor_is_refused_every_reserved_page(editor_client, world, url_name):
    for page in reserved_pages(world):
        url = reverse(f"wagtailadmin_pages:{url_name}", args=[page.pk])
        response = editor_client.get(url, follow=True)
        # Wagtail's admin answers a refusal with a redirect to its dashboard and a message.
        assert response.redirect_chain[-1:] == [(reverse("wagtailadmin_home"), 302)] or (
            response.status_code == 403
        ), (url_name, page.title, response.redirect_chain)
        assert editor_links_to(response, page) is False


def test_editor_cannot_add_pages_inside_a_reserved_area(editor_client, world):
    url = reverse("wagtailadmin_pages:add", args=["communities", "reservedpage", world.area.pk])
    assert editor_client.get(url).status_code in (302, 403)


def test_editor_still_edits_the_public_site(editor_client, world):
    tree = world.tree
    for page in (tree.home, tree.news_index, tree.communities, world.community, world.other):
        response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page.title
    # A new community under the communities index.
    add = reverse(
        "wagtailadmin_pages:add", args=["communities", "communitypage", tree.communities.pk]
    )
    assert editor_client.get(add).status_code == 200
    # ... and its draft preview.
    response = editor_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[world.community.pk])
    )
    assert response.status_code == 200


def test_a_new_community_is_editable_but_its_area_is_not(editor, editor_client, world):
    community = base.CommunityPageFactory(parent=world.tree.communities, title="Nuova comunità")
    area = factories.CommunityAreaPageFactory(parent=community, title="Area nuova")
    editor_client.force_login(editor)
    edit = "wagtailadmin_pages:edit"
    assert editor_client.get(reverse(edit, args=[community.pk])).status_code == 200
    assert editor_client.get(reverse(edit, args=[area.pk])).status_code in (302, 403)


def test_editor_cannot_delete_or_copy_a_community_with_its_reserved_area(editor, world):
    tester = world.community.permissions_for_user(editor)
    assert tester.can_edit()
    assert not tester.can_delete()
    assert not tester.can_copy_to(world.tree.communities, recursive=True)
    assert tester.can_copy_to(world.tree.communities, recursive=False)


def test_explorer_search_and_api_leave_reserved_pages_out(editor_client, world):
    listing = editor_client.get(reverse("wagtailadmin_explore", args=[world.community.pk]))
    assert listing.status_code == 200
    for page in reserved_pages(world):
        assert not editor_links_to(listing, page)

    for query in ("Gestione", "Bozza", "Riunione", "Area riservata"):
        search = editor_client.get(reverse("wagtailadmin_pages:search"), {"q": query})
        assert search.status_code == 200
        for page in reserved_pages(world):
            assert not editor_links_to(search, page)

    api = reverse("wagtailadmin_api:pages:listing")
    ids = set()
    for params in (
        {"child_of": world.community.pk},
        {"descendant_of": world.tree.home.pk, "limit": 20},
        {"search": "Gestione"},
    ):
        response = editor_client.get(api, params)
        assert response.status_code == 200
        ids |= {item["id"] for item in json.loads(response.content)["items"]}
    assert world.community.pk in ids
    assert not ids & {page.pk for page in reserved_pages(world)}
    for page in reserved_pages(world):
        detail = editor_client.get(reverse("wagtailadmin_api:pages:detail", args=[page.pk]))
        assert detail.status_code == 404


def test_page_chooser_leaves_reserved_pages_out(editor_client, world):
    browse = editor_client.get(reverse("wagtailadmin_choose_page_child", args=[world.community.pk]))
    assert browse.status_code == 200
    assert not editor_links_to(browse, world.area)
    search = editor_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Gestione"})
    assert search.status_code == 200
    assert "Gestione incidenti" not in search.text


def test_superuser_still_sees_everything(superuser_client, world):
    for page in reserved_pages(world):
        response = superuser_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page.title
    listing = superuser_client.get(reverse("wagtailadmin_explore", args=[world.community.pk]))
    assert editor_links_to(listing, world.area)
    api = superuser_client.get(
        reverse("wagtailadmin_api:pages:listing"), {"child_of": world.community.pk}
    )
    assert world.area.pk in {item["id"] for item in json.loads(api.content)["items"]}


# --- The design leaves room for a community's own editors --------------------------------------


def test_a_grant_on_the_area_itself_reaches_it_but_not_a_working_group_that_refuses(world):
    """A group granted on a reserved area (what a community's own editors would get) edits it;
    a working group below stays closed to whoever its restriction refuses, and opens to the
    community's managers, whom it admits."""
    from django.contrib.auth.models import Permission

    area_editors = Group.objects.create(name="Area editors (test)")
    GroupPagePermission.objects.create(
        group=area_editors,
        page=world.area,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    outsider = factories.StaffUserFactory()
    outsider.groups.add(area_editors)
    assert world.area.permissions_for_user(outsider).can_edit()
    assert world.announcement.permissions_for_user(outsider).can_edit()
    assert not world.group.permissions_for_user(outsider).can_edit()

    coordinator = world.users["coordinator"]
    coordinator.groups.add(area_editors)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert world.group_page.permissions_for_user(coordinator).can_edit()


def test_users_with_permission_for_a_reserved_page_leave_editors_out(editor, world):
    policy = admin_permissions.ReservedSpacesPagePermissionPolicy()
    assert editor in policy.users_with_permission_for_instance("change", world.community)
    assert editor not in policy.users_with_permission_for_instance("change", world.area)
    assert editor not in policy.users_with_permission_for_instance("change", world.group_page)


# --- Images, documents and their collections ---------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["wagtailimages:index", "wagtailimages_chooser:choose", "wagtailimages_chooser:choose_results"],
)
def test_editor_image_listings_leave_private_collections_out(editor_client, media, url_name):
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Immagine pubblica" in response.text
    for hidden in ("Schema riservato", "Lavagna del gruppo", media["collection"].name):
        assert hidden not in response.text
    assert media["group_collection"].name not in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtaildocs:index",
        "wagtaildocs_chooser:choose",
        "wagtaildocs_chooser:choose_results",
    ],
)
def test_editor_document_listings_leave_private_collections_out(editor_client, media, url_name):
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Documento pubblico" in response.text
    assert "Verbale riservato" not in response.text
    assert media["collection"].name not in response.text


def test_editor_cannot_open_or_upload_to_private_collections(editor, editor_client, media):
    for url in (
        reverse("wagtailimages:edit", args=[media["image"].pk]),
        reverse("wagtaildocs:edit", args=[media["document"].pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code in (302, 403)
        assert "riservato" not in response.text
    add = editor_client.get(reverse("wagtailimages:add_multiple"))
    assert add.status_code == 200
    assert media["collection"].name not in add.text
    assert not admin_permissions.ReservedSpacesCollectionOwnershipPolicy(
        media["image"].__class__,
        auth_model="wagtailimages.Image",
        owner_field_name="uploaded_by_user",
    ).user_has_permission_for_instance(editor, "choose", media["image"])


def test_superuser_sees_private_media(superuser_client, media):
    response = superuser_client.get(reverse("wagtailimages:index"))
    assert "Schema riservato" in response.text
    response = superuser_client.get(reverse("wagtaildocs:index"))
    assert "Verbale riservato" in response.text


# --- The wiring ---------------------------------------------------------------------------------


def test_policies_are_installed_and_wagtail_internals_still_exist():
    """The page, image, document and collection policies are the portal's; the two internals
    of Wagtail's collection lookup that the portal overrides still exist and are still used."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permission_policies.collections import CollectionPermissionLookupMixin
    from wagtail.permissions import policy_registry

    assert isinstance(
        policy_registry.get_by_type(Page), admin_permissions.ReservedSpacesPagePermissionPolicy
    )
    for model in (get_image_model(), get_document_model()):
        assert isinstance(
            policy_registry.get_by_type(model),
            admin_permissions.ReservedSpacesCollectionOwnershipPolicy,
        )
    assert isinstance(
        policy_registry.get_by_type(Collection),
        admin_permissions.ReservedSpacesCollectionManagementPolicy,
    )
    for name in (
        "_check_perm",
        "_collections_with_perm",
        "_get_user_permission_objects_for_actions",
    ):
        assert callable(getattr(CollectionPermissionLookupMixin, name))


def test_the_rule_is_the_access_policys(editor, world):
    refused = access.refused_page_spaces(editor)
    assert set(refused) == {world.area.path, world.group.path, world.other_area.path}
    root_path = Page.get_first_root_node().path
    assert access.grant_reaches(refused, root_path, world.community.path)
    assert not access.grant_reaches(refused, root_path, world.announcement.path)
    assert access.grant_reaches(refused, world.area.path, world.announcement.path)
    assert not access.grant_reaches(refused, world.area.path, world.group_page.path)
