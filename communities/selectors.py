"""Reads of the communities that depend on who asks: the policy's rules as querysets (the
dashboard's and the coordinators' listings). The rules themselves are in ``permissions.py``."""

from __future__ import annotations

from django.db.models import Q

from cms import access
from membership import registration

from .models import CommunityPage, Membership, WorkingGroupMembership, WorkingGroupPage
from .permissions import community_roles, role_in, working_group_entries


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
