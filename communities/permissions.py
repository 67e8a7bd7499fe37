"""The communities' rules: roles, working groups, designations and the managers' measures.

``cms.access.can(user, action, obj)`` is the one question callers ask; this module answers it for
the communities' actions (``Action``) and registers itself with the core when the app is ready.
``docs/permissions.md`` holds the matrix; tests/communities/test_permissions.py tests every cell.
Roles are looked up once per user object (i.e. once per request) and remembered on it
(``cms.access.memo``); the community of a page is looked up once per page object and cached on it.
Role and status values are the models' (``Membership.Role``, ``WorkingGroupMembership.Status``).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from cms import access
from membership import registration

from .models import Designation, Membership, ReservedSpace, WorkingGroupMembership
from .roles import (  # noqa: F401  (re-exported: the policy's lookups, for its callers)
    REMOVED,
    REVOKED,
    SUSPENDED,
    Measure,
    _context_keys,
    _is_active_wg_member,
    _measures,
    _support_kinds,
    community_roles,
    discussion_space_ids,
    measure_in,
    measures_of,
    prime,
    remember_context,
    role_in,
    working_group_entries,
    working_group_role,
)


class Action:
    """Actions the policy answers. Community actions take a community (or a page in it);
    working-group actions a working group page (or a page in it); designation actions a
    ``Designation``."""

    # Community
    JOIN = "join"
    LEAVE = "leave"
    SWITCH_ROLE = "switch_role"
    VIEW_RESERVED_AREA = "view_reserved_area"
    VIEW_DIRECTORY = "view_directory"
    READ_DISCUSSIONS = "read_discussions"
    REPLY = "reply"
    OPEN_TOPIC = "open_topic"
    FLAG = "flag"
    MODERATE = "moderate"
    CREATE_WORKING_GROUP = "create_working_group"
    MANAGE_MEMBERSHIPS = "manage_memberships"
    EXPORT_MEMBERS = "export_members"
    ASSIGN_COORDINATOR = "assign_coordinator"
    SUSPEND_MEMBER = "suspend_member"
    APPEAL = "appeal"
    EDIT_PLAN = "edit_plan"
    APPLY_SUPPORT = "apply_support"
    MANAGE_SUPPORT_TEAM = "manage_support_team"
    # Working group
    VIEW_WORKING_GROUP = "view_working_group"
    JOIN_WORKING_GROUP = "join_working_group"
    INVITE_TO_WORKING_GROUP = "invite_to_working_group"
    MANAGE_WORKING_GROUP = "manage_working_group"
    # Designation (of a member)
    VIEW_DESIGNATION_ACT = "view_designation_act"
    REQUEST_DESIGNATION_COPY = "request_designation_copy"
    VERIFY_DESIGNATION = "verify_designation"

    COMMUNITY = (
        JOIN,
        LEAVE,
        SWITCH_ROLE,
        VIEW_RESERVED_AREA,
        VIEW_DIRECTORY,
        READ_DISCUSSIONS,
        REPLY,
        OPEN_TOPIC,
        FLAG,
        MODERATE,
        CREATE_WORKING_GROUP,
        MANAGE_MEMBERSHIPS,
        EXPORT_MEMBERS,
        ASSIGN_COORDINATOR,
        SUSPEND_MEMBER,
        APPEAL,
        EDIT_PLAN,
        APPLY_SUPPORT,
        MANAGE_SUPPORT_TEAM,
    )
    WORKING_GROUP = (
        VIEW_WORKING_GROUP,
        JOIN_WORKING_GROUP,
        INVITE_TO_WORKING_GROUP,
        MANAGE_WORKING_GROUP,
        READ_DISCUSSIONS,
        REPLY,
        OPEN_TOPIC,
        FLAG,
    )
    DESIGNATION = (VIEW_DESIGNATION_ACT, REQUEST_DESIGNATION_COPY, VERIFY_DESIGNATION)


#: Actions that only a registered member takes for themselves: superusers get no exemption.
SELF_ACTIONS = frozenset(
    {
        Action.JOIN,
        Action.LEAVE,
        Action.SWITCH_ROLE,
        Action.JOIN_WORKING_GROUP,
        Action.APPEAL,
        Action.APPLY_SUPPORT,
    }
)
#: Actions staff (Wagtail editors, ``is_staff``) may take on any community, from the admin.
STAFF_ACTIONS = frozenset(
    {
        Action.MODERATE,
        Action.CREATE_WORKING_GROUP,
        Action.MANAGE_MEMBERSHIPS,
        Action.EXPORT_MEMBERS,
        Action.ASSIGN_COORDINATOR,
        Action.SUSPEND_MEMBER,
        Action.INVITE_TO_WORKING_GROUP,
        Action.MANAGE_WORKING_GROUP,
        Action.VIEW_DESIGNATION_ACT,
        Action.REQUEST_DESIGNATION_COPY,
        Action.VERIFY_DESIGNATION,
        Action.EDIT_PLAN,
        Action.MANAGE_SUPPORT_TEAM,
    }
)


_WORKING_GROUP_DISCUSSION_ACTIONS = frozenset(
    {Action.READ_DISCUSSIONS, Action.REPLY, Action.OPEN_TOPIC, Action.FLAG}
)

#: Support-team kinds that may export a community's members (with their contact data): the
#: institutional referents (ANCI/DTD, national body), not the external domain experts.
EXPORTING_SUPPORT_KINDS = frozenset(
    {Membership.SupportKind.ANCI_DTD, Membership.SupportKind.NATIONAL}
)


def _may_export_members(user, role, community_key) -> bool:
    """The members' CSV (names, contact addresses, designations): the coordinator, the
    support team's institutional referents and staff; never a domain expert."""
    if role == Membership.Role.COORDINATOR:
        return True
    return (
        role == Membership.Role.SUPPORT
        and _support_kinds(user).get(community_key) in EXPORTING_SUPPORT_KINDS
    )


def _owns(user, obj) -> bool:

    return isinstance(obj, Designation) and obj.membership.user_id == user.pk


def _wg_required(rule):
    def wrapped(user, role, wg_key):
        return wg_key is not None and rule(user, role, wg_key)

    return wrapped


def _view_working_group(user, role, wg_key):
    return role in Membership.MANAGER_ROLES or _is_active_wg_member(user, role, wg_key) is not None


def _join_working_group(user, role, wg_key):
    return (
        role == Membership.Role.DESIGNATED
        and registration.is_registered(user)
        and wg_key not in working_group_entries(user)
    )


def _manage_working_group(user, role, wg_key):
    return (
        role in Membership.MANAGER_ROLES
        or _is_active_wg_member(user, role, wg_key) == WorkingGroupMembership.Role.COORDINATOR
    )


def _join(user, role, measure):
    # Removed (not readmitted) or suspended: not until the managers readmit them, or the date.
    blocked = measure is not None and measure.blocks_join
    return role is None and registration.is_registered(user) and not blocked


def _leave(user, role, measure):
    # A suspended member may still leave (the suspension keeps them out until its date).
    return role in Membership.MEMBER_ROLES or (
        measure is not None and measure.suspended_role in Membership.MEMBER_ROLES
    )


def _switch_role(user, role, measure):
    # A revoked designation is not declared again until a manager re-opens it.
    revoked = (
        role == Membership.Role.PARTICIPANT
        and measure is not None
        and measure.revoked_at is not None
    )
    return role in Membership.MEMBER_ROLES and registration.is_registered(user) and not revoked


def _appeal(user, role, measure):
    """Ask the managers to reconsider a measure in force on them."""
    return measure is not None and measure.kind is not None and registration.is_registered(user)


#: Rules that depend on the managers' measures as well as on the role.
_MEASURED_RULES = {
    Action.JOIN: _join,
    Action.LEAVE: _leave,
    Action.SWITCH_ROLE: _switch_role,
    Action.APPEAL: _appeal,
}

_RULES = {
    Action.VIEW_RESERVED_AREA: lambda user, role, wg: role is not None,
    Action.VIEW_DIRECTORY: lambda user, role, wg: role is not None,
    Action.READ_DISCUSSIONS: lambda user, role, wg: role is not None,
    Action.FLAG: lambda user, role, wg: role is not None,
    Action.REPLY: lambda user, role, wg: role is not None,
    Action.OPEN_TOPIC: lambda user, role, wg: role in Membership.DESIGNATED_ROLES,
    Action.MODERATE: lambda user, role, wg: role in Membership.MANAGER_ROLES,
    Action.CREATE_WORKING_GROUP: lambda user, role, wg: role in Membership.MANAGER_ROLES,
    Action.MANAGE_MEMBERSHIPS: lambda user, role, wg: role == Membership.Role.COORDINATOR,
    Action.ASSIGN_COORDINATOR: lambda user, role, wg: False,  # staff only
    Action.SUSPEND_MEMBER: lambda user, role, wg: role in Membership.MANAGER_ROLES,
    Action.EDIT_PLAN: lambda user, role, wg: role in Membership.MANAGER_ROLES,
    # Domain experts are "emanazione dei partecipanti": members of the community apply.
    Action.APPLY_SUPPORT: lambda user, role, wg: (
        role in Membership.MEMBER_ROLES and registration.is_registered(user)
    ),
    Action.MANAGE_SUPPORT_TEAM: lambda user, role, wg: role == Membership.Role.COORDINATOR,
    Action.VIEW_WORKING_GROUP: _wg_required(_view_working_group),
    Action.JOIN_WORKING_GROUP: _wg_required(_join_working_group),
    Action.INVITE_TO_WORKING_GROUP: _wg_required(_manage_working_group),
    Action.MANAGE_WORKING_GROUP: _wg_required(_manage_working_group),
}


def can_invite(inviter, invitee, group) -> bool:
    """Whether ``inviter`` may invite ``invitee`` to working group ``group``: only designated
    participants of the community without an open membership of the group."""
    if not access.can(inviter, Action.INVITE_TO_WORKING_GROUP, group):
        return False
    community_key, wg_key = _context_keys(group)
    return (
        registration.is_registered(invitee)
        and community_roles(invitee).get(community_key) == Membership.Role.DESIGNATED
        and wg_key not in working_group_entries(invitee)
    )


def decide(user, action: str, obj) -> bool:
    """The communities' answer to ``cms.access.can`` (an active, signed-in ``user``)."""
    if action not in SELF_ACTIONS and user.is_superuser:
        return True
    if action in STAFF_ACTIONS and access.is_staff(user):
        return True
    community_key, wg_key = _context_keys(obj)
    if community_key is None:
        return False
    role = community_roles(user).get(community_key)

    if action in Action.DESIGNATION:
        # The member may always see their own act; managers handle designations.
        if action == Action.VIEW_DESIGNATION_ACT and _owns(user, obj):
            return True
        return role in Membership.MANAGER_ROLES

    measured = _MEASURED_RULES.get(action)
    if measured is not None:
        return measured(user, role, _measures(user).get(community_key))
    if action == Action.EXPORT_MEMBERS:
        return _may_export_members(user, role, community_key)
    if wg_key is not None and action in _WORKING_GROUP_DISCUSSION_ACTIONS:
        action = Action.VIEW_WORKING_GROUP  # a working group's space is read and written alike
    return _RULES[action](user, role, wg_key)


def _withheld_groups(user):
    """A subquery: the members groups of the communities where ``user`` is suspended now, and
    of their working groups. A suspended member stays in the groups (``communities.spaces``
    derives them from the memberships, not from time); the policy withholds them until the
    suspension ends, by comparing with the current time, so nothing has to run at its end."""
    suspended = (
        Membership.objects.current()
        .filter(user=user, suspended_until__gt=timezone.now())
        .values("community__translation_key")
    )
    communities = ReservedSpace.objects.filter(
        kind=ReservedSpace.Kind.COMMUNITY, translation_key__in=suspended
    )
    # A working group's space shares its community's managers group.
    return ReservedSpace.objects.filter(
        Q(pk__in=communities.values("pk"))
        | Q(
            kind=ReservedSpace.Kind.WORKING_GROUP,
            managers_group__in=communities.values("managers_group"),
        )
    ).values("members_group")


def _withheld_groups_bulk(user_ids):
    """``_withheld_groups`` for many users at once: ``{user_id: members group ids}``, in one
    query when nobody is suspended, three otherwise (the digests: ``access.users_group_ids``)."""
    suspended = list(
        Membership.objects.current()
        .filter(user_id__in=user_ids, suspended_until__gt=timezone.now())
        .values_list("user_id", "community__translation_key")
    )
    if not suspended:
        return {}
    spaces = list(
        ReservedSpace.objects.filter(
            kind=ReservedSpace.Kind.COMMUNITY,
            translation_key__in={key for _user, key in suspended},
        ).values_list("translation_key", "managers_group_id", "members_group_id")
    )
    groups_of_managers = defaultdict(set)  # a community's managers group: its groups' members
    for manager_id, members_id in ReservedSpace.objects.filter(
        kind=ReservedSpace.Kind.WORKING_GROUP,
        managers_group__in=[managers for _key, managers, _members in spaces if managers],
    ).values_list("managers_group_id", "members_group_id"):
        groups_of_managers[manager_id].add(members_id)
    by_key = defaultdict(set)
    for key, managers, members in spaces:
        by_key[key].add(members)
        if managers:
            by_key[key] |= groups_of_managers[managers]
    withheld = defaultdict(set)
    for user_id, key in suspended:
        withheld[user_id] |= by_key[key]
    return withheld


def install() -> None:
    """Answer the communities' actions in ``cms.access.can`` (``CommunitiesConfig.ready``)."""
    access.register(
        set(Action.COMMUNITY) | set(Action.WORKING_GROUP) | set(Action.DESIGNATION), decide
    )
    access.withhold_groups(_withheld_groups, bulk=_withheld_groups_bulk)
