"""Wagtail's admin permissions, stopped at the reserved spaces.

Wagtail grants page and collection permissions on a node and lets them run down the whole
subtree; nothing can be subtracted below. Editors need grants high in the tree (they edit the
home page, the community pages, and create new communities under the communities index), and
every community's reserved area and working groups sit below those pages. So the boundary is
drawn in the permission policies instead, with the rule of the access policy
(``access.grant_reaches``): a permission granted above a reserved space that refuses the user
(a ``groups`` view restriction they are not in) does not reach into it. Superusers are not
concerned; a grant on the reserved space itself (or inside it) reaches it.

Installed through Wagtail's public registry (``wagtail.permissions.register_permission_policy``)
from ``CommunitiesConfig.ready``: the page policy, the image and document policies (their
listings, choosers and collection filters) and the collection management policy. Page models
hand out ``PortalPagePermissionTester`` (``cms.models.BasePage.permissions_for_user``), which
every page view of the admin asks (edit, view draft, preview, history, revisions, usage, move,
copy, delete, wagtail-localize's translation editor).

The collection policies override two internals of Wagtail's ``CollectionPermissionLookupMixin``
(``_check_perm`` and ``_collections_with_perm``): every public method of the collection policies
goes through them, and Wagtail has no public hook there.
``tests/communities/test_admin_reserved.py`` fails if they change upstream.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import Collection, GroupPagePermission, PagePermissionTester
from wagtail.permission_policies.collections import (
    CollectionManagementPermissionPolicy,
    CollectionOwnershipPermissionPolicy,
)
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import access


class ReservedSpacesPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy whose grants stop at the reserved spaces."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        base_permission = self._base_user_has_permission(user)
        if base_permission is not None:
            return base_permission
        refused = access.refused_page_spaces(user)
        permissions = set()
        for perm in self.get_cached_permissions_for_user(user):
            if not access.grant_reaches(refused, perm.page.path, instance.path):
                continue
            permissions.add(perm.permission.codename)
            if (
                perm.permission.codename == self._get_permission_codename("add")
                and instance.owner_id == user.pk
            ):
                permissions.add(self._get_permission_codename("change"))
        return bool(self._get_permission_codenames(actions) & permissions)

    def instances_user_has_any_permission_for(self, user, actions):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        refused = access.refused_page_spaces(user)
        codenames = self._get_permission_codenames(actions)
        add = self._get_permission_codename("add")
        manager = self.model._default_manager
        pages = manager.none()
        for perm in self.get_cached_permissions_for_user(user):
            codename = perm.permission.codename
            if codename == add and "add" not in actions and "change" in actions:
                subtree = manager.descendant_of(perm.page, inclusive=True).filter(owner=user)
            elif codename in codenames:
                subtree = manager.descendant_of(perm.page, inclusive=True)
            else:
                continue
            for path in access.grant_exclusions(refused, perm.page.path):
                subtree = subtree.exclude(path__startswith=path)
            pages |= subtree
        return pages

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        """The users whose grants reach ``instance``: a grant above a reserved space counts only
        for the users that space's restriction accepts."""
        actions = set(actions)
        codenames = self._get_permission_codenames(actions)
        add = self._get_permission_codename("add")
        owner_clause = "change" in actions and "add" not in actions
        boundaries = access.groups_restrictions_covering(instance)
        in_groups = get_user_model().groups.through.objects
        grants = GroupPagePermission.objects.filter(
            page__in=instance.get_ancestors(inclusive=True),
            permission__codename__in=codenames | {add},
        ).values_list("group_id", "page__path", "permission__codename")
        condition = Q(pk__in=[])
        for group_id, grant_path, codename in grants:
            owner_only = codename not in codenames
            if owner_only and not owner_clause:
                continue
            clause = Q(pk__in=in_groups.filter(group_id=group_id).values("user_id"))
            for path, group_ids in boundaries:
                if len(path) > len(grant_path) and path.startswith(grant_path):
                    clause &= Q(pk__in=in_groups.filter(group_id__in=group_ids).values("user_id"))
            if owner_only:
                clause &= Q(pk=instance.owner_id)
            condition |= clause
        if include_superusers:
            condition |= Q(is_superuser=True)
        return get_user_model()._default_manager.filter(is_active=True).filter(condition).distinct()


class PortalPagePermissionTester(PagePermissionTester):
    """What a user may do to one page in the admin, with grants stopped at the reserved spaces.

    Deleting a page, or copying it with its subpages, takes what is below it too: refused when a
    reserved space the user may not enter lies below (moving stays possible: it exposes
    nothing)."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if self.user.is_active and not self.user.is_superuser:
            refused = access.refused_page_spaces(user)
            self.permissions = {
                perm.permission.codename.rsplit("_", maxsplit=1)[0]
                for perm in self.permission_policy.get_cached_permissions_for_user(user)
                if access.grant_reaches(refused, perm.page.path, self.page.path or "")
            }

    def _hides_reserved_spaces_below(self) -> bool:
        if self.user.is_superuser or not self.page.path:
            return False
        return bool(access.grant_exclusions(access.refused_page_spaces(self.user), self.page.path))

    def can_delete(self, ignore_bulk=False):
        if self._hides_reserved_spaces_below():
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return super().can_delete(ignore_bulk=True)

    def can_copy_to(self, destination, recursive=False):
        if recursive and self._hides_reserved_spaces_below():
            return False
        return super().can_copy_to(destination, recursive=recursive)


class _ReservedCollectionsMixin:
    """Collection grants stop at the private collections that refuse the user."""

    def _check_perm(self, user, actions, collection=None):
        if collection is None or not (user.is_active and user.is_authenticated):
            return super()._check_perm(user, actions, collection=collection)
        if user.is_superuser:
            return True
        refused = access.refused_collection_spaces(user)
        return any(
            access.grant_reaches(refused, permission.collection.path, collection.path)
            for permission in self._get_user_permission_objects_for_actions(user, actions)
        )

    def _collections_with_perm(self, user, actions):
        refused = access.refused_collection_spaces(user)
        collections = Collection.objects.none()
        for permission in self._get_user_permission_objects_for_actions(user, actions):
            subtree = Collection.objects.descendant_of(permission.collection, inclusive=True)
            for path in access.grant_exclusions(refused, permission.collection.path):
                subtree = subtree.exclude(path__startswith=path)
            collections |= subtree
        return collections


class ReservedSpacesCollectionOwnershipPolicy(
    _ReservedCollectionsMixin, CollectionOwnershipPermissionPolicy
):
    """Images and documents: listings, choosers, edit views, collection filters."""


class ReservedSpacesCollectionManagementPolicy(
    _ReservedCollectionsMixin, CollectionManagementPermissionPolicy
):
    """The collections themselves (Settings → Collections)."""

    def _descendants_with_perm(self, user, action):
        return (
            super()
            ._descendants_with_perm(user, action)
            .filter(pk__in=self._collections_with_perm(user, [action]).values("pk"))
        )


def install() -> None:
    """Register the policies in Wagtail's registry (from ``CommunitiesConfig.ready``).

    Images and documents register their own policy in their apps' ``ready``, which runs after
    this app's (INSTALLED_APPS order): ``exact_class=True`` entries win over theirs whatever the
    order. The page policy replaces Wagtail's for every page type (``AbstractPage``)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import AbstractPage
    from wagtail.permissions import register_permission_policy

    register_permission_policy(AbstractPage, ReservedSpacesPagePermissionPolicy())
    image_model = get_image_model()
    register_permission_policy(
        image_model,
        ReservedSpacesCollectionOwnershipPolicy(
            image_model, auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
    document_model = get_document_model()
    register_permission_policy(
        document_model,
        ReservedSpacesCollectionOwnershipPolicy(
            document_model, auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
    register_permission_policy(
        Collection, ReservedSpacesCollectionManagementPolicy(Collection), exact_class=True
    )
