"""Reads of the communities: the policy's rules as querysets (the dashboard's and the
coordinators' listings), and the reads the community API composes its answers from. The rules
themselves are in ``permissions.py``; the simplest reads are QuerySet methods on the models
(``Membership.objects.current().of(community)``, ``WorkingGroupMembership.objects.open()``)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from cms import access
from membership import registration

from .models import (
    CommunityPage,
    Designation,
    Membership,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from .permissions import community_roles, remember_context, role_in, working_group_entries


def communities_of(user, roles=None):
    """The community pages (every translation) where ``user`` has an active membership,
    optionally only with one of ``roles``."""

    memberships = community_roles(user)
    keys = [key for key, role in memberships.items() if roles is None or role in roles]
    return CommunityPage.objects.filter(translation_key__in=keys)


def working_groups_of(user, statuses=(WorkingGroupMembership.Status.ACTIVE,)):
    """The working group pages where ``user`` has a membership in one of ``statuses``."""

    keys = [
        key for key, (_role, status) in working_group_entries(user).items() if status in statuses
    ]
    return WorkingGroupPage.objects.filter(translation_key__in=keys)


# ---------------------------------------------------------------------------------------------
# Working-group rules as querysets (the dashboard's and the coordinators' listings).
# ---------------------------------------------------------------------------------------------


def _under_communities(keys) -> Q:
    """A condition matching pages below the community pages (every translation) of ``keys``."""

    condition = Q(pk__in=[])
    for path in CommunityPage.objects.filter(translation_key__in=keys).values_list(
        "path", flat=True
    ):
        condition |= Q(path__startswith=path)
    return condition


def joinable_working_groups(user, queryset=None):
    """Working groups ``user`` may ask to join: ``JOIN_WORKING_GROUP`` as a queryset (groups of
    the communities where they are a designated participant, without an open membership)."""

    queryset = WorkingGroupPage.objects.all() if queryset is None else queryset
    if not registration.is_registered(user):
        return queryset.none()
    keys = [
        key for key, role in community_roles(user).items() if role == Membership.Role.DESIGNATED
    ]
    if not keys:
        return queryset.none()
    return queryset.filter(_under_communities(keys)).exclude(
        translation_key__in=list(working_group_entries(user))
    )


def manageable_working_groups(user, community):
    """Working groups of ``community`` that ``user`` may manage: ``MANAGE_WORKING_GROUP`` as a
    queryset (all of them for the community's managers, staff and superusers; otherwise the ones
    the user actively coordinates)."""

    groups = WorkingGroupPage.objects.descendant_of(community)
    if user is None or not user.is_authenticated or not user.is_active:
        return groups.none()
    if (
        user.is_superuser
        or access.is_staff(user)
        or role_in(user, community) in Membership.MANAGER_ROLES
    ):
        return groups
    if role_in(user, community) is None:
        return groups.none()
    coordinated = [
        key
        for key, (role, status) in working_group_entries(user).items()
        if role == WorkingGroupMembership.Role.COORDINATOR
        and status == WorkingGroupMembership.Status.ACTIVE
    ]
    return groups.filter(translation_key__in=coordinated)


# ---------------------------------------------------------------------------------------------
# The reads of the community API.
# ---------------------------------------------------------------------------------------------


def communities_above(pages) -> dict:
    """``{page pk: its CommunityPage}`` for pages inside communities, in one query. Also primes
    the policy's per-page cache (``_access_context``) so that ``access.can`` on these pages costs
    no further query."""
    paths = {}
    for page in pages:
        steplen = page.steplen
        for end in range(steplen, len(page.path) + 1, steplen):
            paths.setdefault(page.path[:end], []).append(page)
    found = {}
    for community in CommunityPage.objects.filter(path__in=list(paths)):
        for page in paths[community.path]:
            found[page.pk] = community
    for page in pages:
        community = found.get(page.pk)
        if community is not None and isinstance(page, WorkingGroupPage):
            remember_context(page, community.translation_key, page.translation_key)
    return found


def member_count():
    """An expression for community pages: their current members (every translation shares
    them)."""
    counts = (
        Membership.objects.current()
        .filter(community__translation_key=OuterRef("translation_key"))
        .order_by()
        .values("community__translation_key")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def communities():
    """Every community page (with its locale), to be filtered by what the user may see."""
    return CommunityPage.objects.all().select_related("locale")


def live_working_groups(community=None):
    """Live working group pages (of ``community`` when given, by title)."""
    groups = WorkingGroupPage.objects.live()
    if community is None:
        return groups
    return groups.descendant_of(community).order_by("title")


def listed_group_members(group):
    """The active members of ``group`` who chose to be listed, the coordinator first."""
    return (
        WorkingGroupMembership.objects.active()
        .of(group)
        .filter(user__show_in_directory=True)
        .select_related("user", "user__ente")
        .order_by("-role", "user__last_name", "user__first_name")
    )


def designations_by_membership(memberships) -> dict:
    """``{membership pk: its Designation}`` for ``memberships`` (one query)."""
    return {
        d.membership_id: d
        for d in Designation.objects.filter(membership__in=[m.pk for m in memberships])
    }


def open_group_memberships(user_ids):
    """The open working-group memberships (invited, requested, active) of ``user_ids``."""
    return (
        WorkingGroupMembership.objects.open()
        .filter(user_id__in=user_ids)
        .select_related("group", "invited_by")
        .order_by("group__title")
    )


def current_memberships(user):
    """``user``'s current memberships, by community title."""
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("community")
        .order_by("community__title")
    )


def group_memberships_of(user):
    """Every working-group membership of ``user`` (with the group and who invited them)."""
    return WorkingGroupMembership.objects.filter(user=user).select_related("group", "invited_by")


def invitations_of(user):
    """``user``'s pending invitations to working groups."""
    return group_memberships_of(user).filter(status=WorkingGroupMembership.Status.INVITED)
