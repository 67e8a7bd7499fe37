"""Who is who in the communities, looked up once per request: a user's roles, the managers'
measures on them, their working groups, and which community (and working group) an object belongs
to. The rules that use these facts are in ``permissions.py``."""

from __future__ import annotations

import contextlib
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from cms import access, snapshots

from .models import CommunityPage, Designation, Membership, WorkingGroupMembership, WorkingGroupPage


def community_roles(user) -> dict:
    """``{community translation_key: role}`` of the user's active memberships, less the ones
    suspended now (one query, shared with ``_measures``)."""
    if user is None or not user.is_authenticated:
        return {}
    cached = access.remembered(user, "roles")
    return _load_memberships(user)[0] if cached is None else cached


# The managers' measures on a member (``Measure.kind``).
REMOVED = "removed"
SUSPENDED = "suspended"
REVOKED = "revoked"


class Measure(NamedTuple):
    """The managers' measures in force on a user in one community."""

    #: Removed by a manager on this date, and not readmitted: may not join again.
    removed_at: object = None
    #: Suspended until then (a future time): not an active member, may not join again.
    suspended_until: object = None
    #: The role of the suspended membership, while it has not been left.
    suspended_role: str | None = None
    #: Their designation was revoked on this date and not re-opened: may not declare it again.
    revoked_at: object = None

    @property
    def kind(self) -> str | None:
        """The measure the member asks the managers about first."""
        if self.removed_at is not None:
            return REMOVED
        if self.suspended_until is not None:
            return SUSPENDED
        if self.revoked_at is not None:
            return REVOKED
        return None

    @property
    def blocks_join(self) -> bool:
        return self.removed_at is not None or self.suspended_until is not None


def _measures(user) -> dict:
    """``{community translation_key: Measure}`` of the measures in force on ``user`` (the same
    query as ``community_roles``, once per request)."""
    if user is None or not user.is_authenticated:
        return {}
    cached = access.remembered(user, "measures")
    return _load_memberships(user)[1] if cached is None else cached


def measures_of(user) -> dict:
    """``{community translation_key: Measure}``: every measure in force on ``user``."""
    return _measures(user)


def measure_in(user, community) -> Measure | None:
    """The measures in force on ``user`` in ``community`` (or the community of a page)."""
    community_key, _wg = _context_keys(community)
    if community_key is None:
        return None
    return _measures(user).get(community_key)


def _load_memberships(user) -> tuple[dict, dict]:
    """One query: the user's active memberships and those that still weigh on them (removed
    and not readmitted, suspended until a future time, with a revoked designation that was not
    re-opened). Remembered on the user object (``roles`` and ``measures``)."""

    now = timezone.now()
    rows = (
        Membership.objects.filter(user=user)
        .filter(
            Q(left_at__isnull=True)
            | Q(end_reason=Membership.EndReason.REMOVED, readmitted_at__isnull=True)
            | Q(suspended_until__gt=now)
            | Q(
                designation__status=Designation.Status.REVOKED,
                designation__reopened_at__isnull=True,
            )
        )
        .values_list(
            "community__translation_key",
            "role",
            "left_at",
            "end_reason",
            "readmitted_at",
            "suspended_until",
            "designation__status",
            "designation__revoked_at",
            "designation__reopened_at",
        )
    )
    roles, found = {}, {}
    for key, role, left_at, end_reason, readmitted, until, status, revoked, reopened in rows:
        entry = found.setdefault(key, {})
        suspended = until is not None and until > now
        if left_at is None:
            entry["active"] = True
            if suspended:
                entry["suspended_until"], entry["suspended_role"] = until, role
            else:
                roles[key] = role
        elif end_reason == Membership.EndReason.REMOVED and readmitted is None:
            entry["removed_at"] = max(left_at, entry.get("removed_at") or left_at)
        elif suspended:
            entry.setdefault("suspended_until", until)
        if status == Designation.Status.REVOKED and reopened is None:
            entry["revoked_at"] = revoked
    measures = {}
    for key, entry in found.items():
        if entry.pop("active", False):
            # A current membership (re-admitted by staff) outweighs how earlier ones ended.
            entry.pop("removed_at", None)
            if "suspended_role" not in entry:
                entry.pop("suspended_until", None)
        if roles.get(key) == Membership.Role.DESIGNATED:
            entry.pop("revoked_at", None)
        if entry:
            measures[key] = Measure(**entry)
    access.remember(user, "roles", roles)
    access.remember(user, "measures", measures)
    return roles, measures


def working_group_entries(user) -> dict:
    """``{working group translation_key: (role, status)}`` of the user's open working group
    memberships (invited, requested, active; one query)."""
    if user is None or not user.is_authenticated:
        return {}

    def compute():
        rows = (
            WorkingGroupMembership.objects.open()
            .filter(user=user)
            .values_list("group__translation_key", "role", "status")
        )
        return {key: (role, status) for key, role, status in rows}

    return access.memo(user, "working_groups", compute)


def _support_kinds(user) -> dict:
    """``{community translation_key: support kind}`` of the user's active support-team
    memberships (one query, asked only about a member of a support team)."""
    if user is None or not user.is_authenticated:
        return {}

    def compute():
        return dict(
            Membership.objects.current()
            .filter(user=user, role=Membership.Role.SUPPORT)
            .values_list("community__translation_key", "support_kind")
        )

    return access.memo(user, "support_kinds", compute)


def _context_keys(obj):
    """``(community translation_key, working group translation_key or None)`` of ``obj``.

    ``obj`` is a page (a community, its reserved area, a working group or a page below them), a
    ``Membership``, a ``Designation``, a ``WorkingGroupMembership``, or any object of another app
    that lives in a space and tells its keys with a ``space_keys()`` method (a discussion's topic
    or reply). No query for a page (the
    community and working group pages come from ``_space_pages``); cached on the object.
    """
    space_keys = getattr(obj, "space_keys", None)
    if space_keys is not None:
        # An object that lives in a community space and says which (a topic, a reply).
        return space_keys()
    if isinstance(obj, Designation):
        obj = obj.membership
    if isinstance(obj, Membership):
        return obj.community.translation_key, None
    if isinstance(obj, WorkingGroupMembership):
        obj = obj.group
    if isinstance(obj, CommunityPage):
        return obj.translation_key, None
    cached = getattr(obj, "_access_context", None)
    if cached is not None:
        return cached
    community_key = wg_key = None
    if isinstance(obj, WorkingGroupPage):
        wg_key = obj.translation_key
    path = obj.path or ""  # an unsaved page (a preview) has no ancestors yet
    communities, groups = _space_pages()
    # Ancestors (and the page itself) by path, outermost first, as the tree query returned them.
    for _pk, ancestor_path, key in communities:
        if path.startswith(ancestor_path):
            community_key = key
    for _pk, ancestor_path, key in groups:
        if path.startswith(ancestor_path):
            wg_key = key
    result = (community_key, wg_key)
    with contextlib.suppress(AttributeError):
        obj._access_context = result
    return result


def _load_space_pages():

    community_type = _content_type_id(CommunityPage)
    rows = (
        Page.objects.filter(content_type__in=[community_type, _content_type_id(WorkingGroupPage)])
        .order_by("path")
        .values_list("pk", "path", "translation_key", "content_type_id")
    )
    communities, groups = [], []
    for pk, path, key, content_type_id in rows:
        (communities if content_type_id == community_type else groups).append((pk, path, key))
    return tuple(communities), tuple(groups)


def _space_pages():
    """``(communities, working groups)``: ``(id, path, translation_key)`` of every community and
    working group page (every translation, live or not), by path. The same for everyone: a
    snapshot per page-cache generation (pages created, moved or deleted bump it)."""
    return snapshots.cached("access:space-pages", _load_space_pages)


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk  # cached by Django


def role_in(user, community) -> str | None:
    """The user's role in ``community`` (or the community of a page/membership), or ``None``."""
    community_key, _wg = _context_keys(community)
    if community_key is None:
        return None
    return community_roles(user).get(community_key)


def working_group_role(user, group) -> tuple[str, str] | None:
    """``(role, status)`` of the user's open membership of a working group, or ``None``.

    ``None`` as well while the user is not an active member of the group's community: a
    suspension keeps the working-group membership open (it is back when the suspension ends),
    but until then it counts for nothing, as for ``VIEW_WORKING_GROUP``."""
    community_key, wg_key = _context_keys(group)
    if wg_key is None or community_roles(user).get(community_key) is None:
        return None
    return working_group_entries(user).get(wg_key)


def _is_active_wg_member(user, community_role, wg_key) -> str | None:
    """The user's active role in the working group (only while still in the community)."""
    if community_role is None or wg_key is None:
        return None
    entry = working_group_entries(user).get(wg_key)
    if entry is None or entry[1] != WorkingGroupMembership.Status.ACTIVE:
        return None
    return entry[0]


# ---------------------------------------------------------------------------------------------
# Discussions: which topics and replies a user may see. The filter is on ``space_id`` (the
# community or working group page a topic lives in), so it is part of the query — listings,
# counts, the API and search (Wagtail search filters on the ``space_id`` FilterField) all use it.
# ---------------------------------------------------------------------------------------------


def discussion_space_ids(user) -> frozenset[int] | None:
    """Ids of the community and working group pages (every translation) whose discussions
    ``user`` may read; ``None`` means all of them (superusers). The user's roles and working
    groups (two queries) and the ``_space_pages`` snapshot, once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None

    def compute():
        roles = community_roles(user)
        if not roles:
            return frozenset()
        all_communities, all_groups = _space_pages()
        communities = [row for row in all_communities if row[2] in roles]
        ids = {pk for pk, _path, _key in communities}
        managed = tuple(
            path for _pk, path, key in communities if roles[key] in Membership.MANAGER_ROLES
        )
        active = {
            key
            for key, (_role, status) in working_group_entries(user).items()
            if status == WorkingGroupMembership.Status.ACTIVE
        }
        member_of = tuple(path for _pk, path, _key in communities)
        for pk, path, key in all_groups:
            if path.startswith(managed) or (key in active and path.startswith(member_of)):
                ids.add(pk)
        return frozenset(ids)

    return access.memo(user, "discussion_spaces", compute)


def prime(users) -> None:
    """Look up the community and working group roles of many users at once (two queries) and
    remember them on each user object, as ``community_roles``/``working_group_entries`` would
    one by one, so that ``can`` then answers for all of them without a query (notifications to
    followers)."""

    users = [user for user in users if user is not None and user.is_authenticated]
    if not users:
        return
    roles = {user.pk: {} for user in users}
    groups = {user.pk: {} for user in users}
    rows = (
        Membership.objects.filter(user__in=roles, left_at__isnull=True)
        .exclude(suspended_until__gt=timezone.now())
        .values_list("user_id", "community__translation_key", "role")
    )
    for user_id, key, role in rows:
        roles[user_id][key] = role
    rows = WorkingGroupMembership.objects.filter(
        user__in=groups, status__in=WorkingGroupMembership.OPEN_STATUSES
    ).values_list("user_id", "group__translation_key", "role", "status")
    for user_id, key, role, status in rows:
        groups[user_id][key] = (role, status)
    for user in users:
        access.remember(user, "roles", roles[user.pk])
        access.remember(user, "working_groups", groups[user.pk])


def remember_context(page, community_key, working_group_key=None) -> None:
    """Tell the policy which community (and working group) ``page`` belongs to, when the caller
    already knows it (a listing that looked the communities up in one query)."""
    with contextlib.suppress(AttributeError):
        page._access_context = (community_key, working_group_key)
