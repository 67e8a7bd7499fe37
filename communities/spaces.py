"""Keeps the Django groups, view restrictions and private collections of communities and working
groups in sync with the pages and the memberships.

One group per community (its members), one per community's managers (coordinator and support
team), one per working group. ``Membership`` and ``WorkingGroupMembership`` changes add and
remove users (signals in ``communities.signals``); the reserved area and every working group page
get a ``PageViewRestriction`` on those groups, and every community (and working group) a private
collection with a ``CollectionViewRestriction``. Nobody edits these groups by hand:
``manage.py sync_community_access`` rebuilds everything from the memberships.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

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
        ReservedSpace.objects.select_related("members_group", "managers_group", "collection")
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
    return space


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
        Membership.objects.filter(
            user=user,
            community__translation_key=community.translation_key,
            left_at__isnull=True,
        ).values_list("role", flat=True)
    )
    _set_membership(space.members_group, user, bool(roles))
    _set_membership(space.managers_group, user, bool(roles & Membership.MANAGER_ROLES))


def sync_working_group_member(user, group_page: WorkingGroupPage) -> None:
    space = working_group_space(group_page)
    if space is None:
        return
    active = WorkingGroupMembership.objects.filter(
        user=user,
        group__translation_key=group_page.translation_key,
        status=WorkingGroupMembership.Status.ACTIVE,
    ).exists()
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
        members = Membership.objects.filter(
            community__translation_key=community.translation_key, left_at__isnull=True
        )
        space.members_group.user_set.set(members.values_list("user_id", flat=True))
        space.managers_group.user_set.set(
            members.filter(role__in=Membership.MANAGER_ROLES).values_list("user_id", flat=True)
        )
        counts["communities"] += 1
    for area in CommunityAreaPage.objects.all():
        sync_area(area)
        counts["areas"] += 1
    for group_page in WorkingGroupPage.objects.all():
        sync_working_group_page(group_page)
        space = working_group_space(group_page)
        if space is not None:
            space.members_group.user_set.set(
                WorkingGroupMembership.objects.filter(
                    group__translation_key=group_page.translation_key,
                    status=WorkingGroupMembership.Status.ACTIVE,
                ).values_list("user_id", flat=True)
            )
        counts["working_groups"] += 1
    return counts


def managed_group_ids():
    """Ids of the groups this module owns (to hide them from hand editing)."""
    ids = set(ReservedSpace.objects.values_list("members_group_id", flat=True))
    ids |= set(
        ReservedSpace.objects.exclude(managers_group=None).values_list(
            "managers_group_id", flat=True
        )
    )
    return ids
