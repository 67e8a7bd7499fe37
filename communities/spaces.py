"""Keeps the Django groups, view restrictions and private collections of communities and working
groups in sync with the pages and the memberships.

One group per community (its members), one per community's managers (coordinator and support
team), one per working group, and one per community for its managers in Wagtail's admin (the
*redazione* group: ``wagtailadmin.access_admin``, add/change/publish on the community page's
subtree and add/change/choose of documents and images in its private collection; the admin's
grants stop at the reserved spaces the user may not read, ``cms/admin_permissions.py``, and the
managers read all of their own community's). ``Membership`` and ``WorkingGroupMembership``
changes add and remove users (signals in ``communities.signal_handlers``); the reserved area and
every working group page get a ``PageViewRestriction`` on those groups, and every community (and
working group) a private collection with a ``CollectionViewRestriction``. Nobody edits these
groups by hand: ``manage.py sync_community_access`` rebuilds everything from the memberships.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
)

from cms import access

from .models import (
    CommunityAreaPage,
    CommunityPage,
    Membership,
    ReservedSpace,
    WorkingGroupMembership,
    WorkingGroupPage,
)

GROUP_NAME_MAX = 150


def _group_name(label: str, key) -> str:
    suffix = f" [{str(key)[:8]}]"
    return label[: GROUP_NAME_MAX - len(suffix)] + suffix


def _unique_group(label: str, key) -> Group:
    group, _created = Group.objects.get_or_create(name=_group_name(label, key))
    return group


def _restricted_collection(name: str, parent: Collection, groups) -> Collection:
    collection = parent.add_child(name=name[:255])
    _ensure_collection_restriction(collection, groups)
    return collection


def _ensure_collection_restriction(collection: Collection, groups) -> None:
    wanted = {g.pk for g in groups}
    restrictions = list(CollectionViewRestriction.objects.filter(collection=collection))
    keep = None
    for restriction in restrictions:
        if keep is None and restriction.restriction_type == CollectionViewRestriction.GROUPS:
            keep = restriction
        else:
            restriction.delete()
    if keep is None:
        keep = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    if set(keep.groups.values_list("pk", flat=True)) != wanted:
        keep.groups.set(wanted)


def ensure_page_restriction(page: Page, groups) -> PageViewRestriction:
    """Exactly one ``groups`` restriction on ``page``, on exactly ``groups``."""
    wanted = {g.pk for g in groups}
    keep = None
    for restriction in PageViewRestriction.objects.filter(page=page):
        if keep is None and restriction.restriction_type == PageViewRestriction.GROUPS:
            keep = restriction
        else:
            restriction.delete()
    if keep is None:
        keep = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
    if set(keep.groups.values_list("pk", flat=True)) != wanted:
        keep.groups.set(wanted)
    return keep


@transaction.atomic
def community_space(community: CommunityPage) -> ReservedSpace:
    """The groups and private collection of ``community`` (shared by its translations)."""
    key = community.translation_key
    space = (
        ReservedSpace.objects.select_related(
            "members_group", "managers_group", "admin_group", "collection"
        )
        .filter(kind=ReservedSpace.Kind.COMMUNITY, translation_key=key)
        .first()
    )
    if space is None:
        space = ReservedSpace.objects.create(
            kind=ReservedSpace.Kind.COMMUNITY,
            translation_key=key,
            members_group=_unique_group(f"Community {community.title} · members", key),
            managers_group=_unique_group(f"Community {community.title} · managers", key),
        )
    if space.managers_group is None:
        space.managers_group = _unique_group(f"Community {community.title} · managers", key)
        space.save(update_fields=["managers_group"])
    groups = [space.members_group, space.managers_group]
    if space.collection is None:
        space.collection = _restricted_collection(
            f"{community.title} (reserved)", Collection.get_first_root_node(), groups
        )
        space.save(update_fields=["collection"])
    else:
        _ensure_collection_restriction(space.collection, groups)
    if space.admin_group is None:
        space.admin_group = _unique_group(f"Community {community.title} · redazione", key)
        space.save(update_fields=["admin_group"])
        ensure_admin_permissions(space, community)
        # A space older than its admin group: the managers are in it from now on.
        space.admin_group.user_set.set(space.managers_group.user_set.all())
    return space


#: What the community's admin group may do: enter the admin; on the community page's subtree;
#: on the documents and images of the community's private collection (and its working groups').
ADMIN_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
ADMIN_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
)


def _permissions() -> dict[tuple[str, str], Permission]:
    wanted = {("wagtailadmin", "access_admin")} | set(ADMIN_COLLECTION_PERMISSIONS)
    wanted |= {("wagtailcore", codename) for codename in ADMIN_PAGE_PERMISSIONS}
    rows = Permission.objects.filter(
        codename__in={codename for _app, codename in wanted}
    ).select_related("content_type")
    return {
        (p.content_type.app_label, p.codename): p
        for p in rows
        if (p.content_type.app_label, p.codename) in wanted
    }


def ensure_admin_permissions(space: ReservedSpace, community: CommunityPage) -> None:
    """The admin group's permissions, on ``community`` (one translation: each translation's
    save calls this for itself) and on the community's private collection. Idempotent, in a
    few queries whatever is missing."""
    group = space.admin_group
    perms = _permissions()
    access_admin = perms["wagtailadmin", "access_admin"]
    if not group.permissions.filter(pk=access_admin.pk).exists():
        group.permissions.add(access_admin)  # bumps the admin-access snapshot: only if new
    have = set(
        GroupPagePermission.objects.filter(group=group, page_id=community.pk).values_list(
            "permission_id", flat=True
        )
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=community.pk, permission=perm)
        for codename in ADMIN_PAGE_PERMISSIONS
        if (perm := perms["wagtailcore", codename]).pk not in have
    )
    if space.collection_id is None:
        return
    have = set(
        GroupCollectionPermission.objects.filter(
            group=group, collection_id=space.collection_id
        ).values_list("permission_id", flat=True)
    )
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection_id=space.collection_id, permission=perm)
        for key in ADMIN_COLLECTION_PERMISSIONS
        if (perm := perms[key]).pk not in have
    )


@transaction.atomic
def working_group_space(group_page: WorkingGroupPage) -> ReservedSpace | None:
    """The group and private sub-collection of a working group."""
    community = community_for_page(group_page)
    if community is None:
        return None
    parent_space = community_space(community)
    key = group_page.translation_key
    space = (
        ReservedSpace.objects.select_related("members_group", "managers_group", "collection")
        .filter(kind=ReservedSpace.Kind.WORKING_GROUP, translation_key=key)
        .first()
    )
    if space is None:
        space = ReservedSpace.objects.create(
            kind=ReservedSpace.Kind.WORKING_GROUP,
            translation_key=key,
            members_group=_unique_group(f"Working group {group_page.title}", key),
            managers_group=parent_space.managers_group,
        )
    elif space.managers_group_id != parent_space.managers_group_id:
        space.managers_group = parent_space.managers_group
        space.save(update_fields=["managers_group"])
    groups = [space.members_group, parent_space.managers_group]
    if space.collection is None:
        parent = parent_space.collection or Collection.get_first_root_node()
        space.collection = _restricted_collection(
            f"{group_page.title} (working group)", parent, groups
        )
        space.save(update_fields=["collection"])
    else:
        _ensure_collection_restriction(space.collection, groups)
    return space


def community_for_page(page: Page) -> CommunityPage | None:
    """The community a page belongs to (itself for a community page), or ``None``."""
    if isinstance(page, CommunityPage):
        return page
    return CommunityPage.objects.ancestor_of(page).first()


def sync_area(area: CommunityAreaPage) -> None:
    community = community_for_page(area)
    if community is None:
        return
    space = community_space(community)
    ensure_page_restriction(area, [space.members_group, space.managers_group])


def sync_working_group_page(group_page: WorkingGroupPage) -> None:
    space = working_group_space(group_page)
    if space is None:
        return
    ensure_page_restriction(group_page, [space.members_group, space.managers_group])


def sync_community_member(user, community: CommunityPage) -> None:
    """Put ``user`` in (or take them out of) the community's groups, from their memberships."""
    space = community_space(community)
    roles = set(
        Membership.objects.current().of(community).filter(user=user).values_list("role", flat=True)
    )
    _set_membership(space.members_group, user, bool(roles))
    _set_membership(space.managers_group, user, bool(roles & Membership.MANAGER_ROLES))
    _set_membership(space.admin_group, user, bool(roles & Membership.MANAGER_ROLES))


def sync_working_group_member(user, group_page: WorkingGroupPage) -> None:
    space = working_group_space(group_page)
    if space is None:
        return
    active = WorkingGroupMembership.objects.active().of(group_page).filter(user=user).exists()
    _set_membership(space.members_group, user, active)


def _set_membership(group: Group, user, member: bool) -> None:
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    access.forget(user)  # the policy's per-request caches on this user object


@transaction.atomic
def rebuild_all() -> dict[str, int]:
    """Re-derive every group, restriction and collection from pages and memberships."""
    counts = {"communities": 0, "areas": 0, "working_groups": 0}
    for community in CommunityPage.objects.all():
        space = community_space(community)
        members = Membership.objects.current().of(community)
        space.members_group.user_set.set(members.values_list("user_id", flat=True))
        managers = list(members.managers().values_list("user_id", flat=True))
        space.managers_group.user_set.set(managers)
        space.admin_group.user_set.set(managers)
        ensure_admin_permissions(space, community)
        counts["communities"] += 1
    for area in CommunityAreaPage.objects.all():
        sync_area(area)
        counts["areas"] += 1
    for group_page in WorkingGroupPage.objects.all():
        sync_working_group_page(group_page)
        space = working_group_space(group_page)
        if space is not None:
            space.members_group.user_set.set(
                WorkingGroupMembership.objects.active()
                .of(group_page)
                .values_list("user_id", flat=True)
            )
        counts["working_groups"] += 1
    return counts


def managed_group_ids():
    """Ids of the groups this module owns (to hide them from hand editing)."""
    ids = set(ReservedSpace.objects.values_list("members_group_id", flat=True))
    for field in ("managers_group", "admin_group"):
        ids |= set(
            ReservedSpace.objects.exclude(**{field: None}).values_list(f"{field}_id", flat=True)
        )
    return ids
