"""The portal's single access policy.

Every "may this user see or do this" question is answered here, and every queryset of what a user
may see is built here. Views, templates, the API, search, feeds and the sitemap call these
functions; none of them re-implements a rule.

Page visibility follows Wagtail's own ``PageViewRestriction``: a page is visible to a user when
every restriction on the page or on one of its ancestors accepts that user.

- ``login`` restrictions (the Community's general area) accept any signed-in user;
- ``groups`` restrictions (reserved areas) accept members of one of the groups, and superusers;
- ``password`` restrictions are never listed: such a page is reached only by its URL.

The restrictions themselves (with their groups) are the same for everyone: they come from a
snapshot cached per page-cache generation (``cms/snapshots.py``; saving or deleting a
restriction, changing its groups, deleting a group bumps it). What depends on the user — their
groups, community roles and working groups — is looked up once per request and never shared.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def _user_group_ids(user) -> set[int]:
    """The ids of the groups that count for ``user`` now (one query, once per request): their
    Django groups, less the groups of the communities where they are suspended (and of those
    communities' working groups) while the suspension lasts."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_access_group_ids", None)
    if cached is None:
        cached = set(
            user.groups.exclude(pk__in=_withheld_groups(user)).values_list("id", flat=True)
        )
        user._access_group_ids = cached
    return cached


def _withheld_groups(user):
    """A subquery: the members groups of the communities where ``user`` is suspended now, and
    of their working groups. A suspended member stays in the groups (``communities.spaces``
    derives them from the memberships, not from time); the policy withholds them until the
    suspension ends, by comparing with the current time, so nothing has to run at its end."""
    from .models import Membership, ReservedSpace

    suspended = Membership.objects.filter(
        user=user, left_at__isnull=True, suspended_until__gt=timezone.now()
    ).values("community__translation_key")
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


def _rule_accepts(user, kind, restriction_groups, user_groups) -> bool:
    """THE rule of a view restriction of kind ``kind``: whether it lets ``user`` see the page it
    protects (and its subtree). ``restriction_groups()`` and ``user_groups()`` give the group ids
    of the restriction and of the user, asked only for a ``groups`` restriction."""
    if kind == PageViewRestriction.NONE:
        return True
    if kind == PageViewRestriction.LOGIN:
        return bool(user.is_authenticated)
    if kind == PageViewRestriction.GROUPS:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        return not frozenset(restriction_groups()).isdisjoint(user_groups())
    # Password-protected pages are never listed anywhere.
    return False


def restriction_accepts(user, restriction: PageViewRestriction, group_ids=None) -> bool:
    """Whether ``restriction`` (a ``PageViewRestriction`` or ``CollectionViewRestriction``) lets
    ``user`` see what it protects."""
    return _rule_accepts(
        user,
        restriction.restriction_type,
        lambda: (group.pk for group in restriction.groups.all()),
        lambda: _user_group_ids(user) if group_ids is None else group_ids,
    )


class _Restriction(NamedTuple):
    """A page view restriction as the snapshot keeps it."""

    kind: str
    path: str  # of the restricted page: it covers the page and its subtree
    groups: frozenset[int]


def _load_restrictions() -> tuple[tuple[_Restriction, ...], frozenset[str]]:
    groups: dict[int, set[int]] = {}
    through = PageViewRestriction.groups.through
    for restriction_id, group_id in through.objects.values_list(
        "pageviewrestriction_id", "group_id"
    ):
        groups.setdefault(restriction_id, set()).add(group_id)
    restrictions = tuple(
        _Restriction(kind, path, frozenset(groups.get(pk, ())))
        for pk, kind, path in PageViewRestriction.objects.order_by("pk").values_list(
            "pk", "restriction_type", "page__path"
        )
    )
    # Wagtail resolves aliases to their source pages: such pages are checked in the database.
    aliases = frozenset(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))
    return restrictions, aliases


def _restriction_snapshot() -> tuple[tuple[_Restriction, ...], frozenset[str]]:
    """Every page view restriction and the paths of the alias pages (the same for everyone)."""
    from cms import snapshots

    return snapshots.cached("access:view-restrictions", _load_restrictions)


def _accepts(user, restriction: _Restriction) -> bool:
    """``restriction_accepts`` for a snapshot's restriction (the user's groups looked up lazily,
    only for a ``groups`` restriction)."""
    return _rule_accepts(
        user, restriction.kind, lambda: restriction.groups, lambda: _user_group_ids(user)
    )


def _restrictions_covering(page: Page) -> list[_Restriction] | None:
    """The snapshot's restrictions on ``page`` and its ancestors (what
    ``page.get_view_restrictions()`` returns), or ``None`` when only the database can tell: an
    unsaved page, or an alias (or a page below one)."""
    path = page.path
    if not page.pk or not path or page.alias_of_id is not None:
        return None
    restrictions, aliases = _restriction_snapshot()
    if aliases:
        steplen = Page.steplen
        if any(path[:end] in aliases for end in range(steplen, len(path) + 1, steplen)):
            return None
    return [restriction for restriction in restrictions if path.startswith(restriction.path)]


def _hidden_paths(user) -> list[str]:
    """Tree paths of the restricted subtrees that ``user`` may not see.

    Computed once per user object, i.e. once per request for ``request.user``.
    """
    cached = getattr(user, "_access_hidden_paths", None)
    if cached is not None:
        return cached
    hidden = _compute_hidden_paths(user)
    with contextlib.suppress(AttributeError):  # exotic user objects without a __dict__
        user._access_hidden_paths = hidden
    return hidden


def _compute_hidden_paths(user) -> list[str]:
    restrictions, _aliases = _restriction_snapshot()
    return [restriction.path for restriction in restrictions if not _accepts(user, restriction)]


def is_path_visible(user, path: str) -> bool:
    """Whether no restriction refusing ``user`` covers the page at tree path ``path`` (what
    ``visible_pages`` filters on, for one page already known to be live). Looks the user's
    groups up only if a ``groups`` restriction covers the path."""
    if user is None:
        user = AnonymousUser()
    hidden = getattr(user, "_access_hidden_paths", None)
    if hidden is not None:
        return not any(path.startswith(prefix) for prefix in hidden)
    restrictions, _aliases = _restriction_snapshot()
    return all(
        _accepts(user, restriction)
        for restriction in restrictions
        if path.startswith(restriction.path)
    )


def visible_pages(user, queryset=None):
    """The live pages of ``queryset`` that ``user`` may see, as a queryset (filter in SQL)."""
    if queryset is None:
        queryset = Page.objects.all()
    if user is None:
        user = AnonymousUser()
    queryset = queryset.live()
    hidden = _hidden_paths(user)
    if not hidden:
        return queryset
    condition = Q()
    for path in hidden:
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition)


def public_pages(queryset=None):
    """Pages anyone may see: what feeds, the sitemap and shared caches may contain."""
    return visible_pages(AnonymousUser(), queryset)


def can_view_page(user, page: Page) -> bool:
    """Whether ``user`` may read ``page`` (every restriction on it or its ancestors accepts)."""
    if not page.live:
        return False
    covering = _restrictions_covering(page)
    if covering is not None:
        return all(_accepts(user, restriction) for restriction in covering)
    group_ids = None
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == PageViewRestriction.GROUPS and user.is_authenticated:
            group_ids = group_ids if group_ids is not None else _user_group_ids(user)
        if not restriction_accepts(user, restriction, group_ids):
            return False
    return True


def is_restricted(page: Page) -> bool:
    """Whether a page is restricted in any way (its responses must never be shared-cached)."""
    covering = _restrictions_covering(page)
    if covering is not None:
        return bool(covering)
    return page.get_view_restrictions().exists()


def can_use_admin(user) -> bool:
    """Whether ``user`` may enter Wagtail's admin: ``user.has_perm("wagtailadmin.access_admin")``
    (Django's ``ModelBackend``: an active superuser, or the permission given to the user or to
    one of their groups), without its two queries per request for the members who may not.

    The users holding the permission come from a snapshot (``cms.cache.ADMIN_ACCESS_KEY``,
    bumped by any change of a user's groups, a group's or a user's permissions, a group, a
    permission or a user deleted: ``communities/signals.py``); ``is_active`` and
    ``is_superuser`` are read from the request's user row.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.pk in _admin_user_ids()


def _admin_user_ids() -> frozenset:
    from cms import snapshots
    from cms.cache import ADMIN_ACCESS_KEY

    return snapshots.cached("access:admin-users", _load_admin_user_ids, token_key=ADMIN_ACCESS_KEY)


def _load_admin_user_ids() -> frozenset:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    users = get_user_model().objects
    direct = users.filter(user_permissions__in=permission).values_list("pk", flat=True)
    by_group = users.filter(groups__permissions__in=permission).values_list("pk", flat=True)
    return frozenset(direct) | frozenset(by_group)


def visible_documents(user, queryset=None):
    """Documents whose collection (and its ancestors) has no restriction refusing ``user``."""
    from wagtail.documents import get_document_model
    from wagtail.models import CollectionViewRestriction

    if queryset is None:
        queryset = get_document_model().objects.all()
    if user is None:
        user = AnonymousUser()
    if user.is_authenticated and user.is_superuser:
        return queryset
    restrictions = CollectionViewRestriction.objects.select_related("collection").prefetch_related(
        "groups"
    )
    condition = Q()
    for restriction in restrictions:
        if not restriction_accepts(user, restriction):
            condition |= Q(collection__path__startswith=restriction.collection.path)
    return queryset.exclude(condition) if condition else queryset


def visible_images(user, queryset=None):
    """Images whose collection (and its ancestors) has no restriction refusing ``user``."""
    from wagtail.images import get_image_model

    if queryset is None:
        queryset = get_image_model().objects.all()
    return _exclude_hidden_collections(user, queryset)


def _exclude_hidden_collections(user, queryset):
    from wagtail.models import CollectionViewRestriction

    if user is None:
        user = AnonymousUser()
    if user.is_authenticated and user.is_superuser:
        return queryset
    restrictions = CollectionViewRestriction.objects.select_related("collection").prefetch_related(
        "groups"
    )
    group_ids = _user_group_ids(user)
    condition = Q()
    for restriction in restrictions:
        if not restriction_accepts(user, restriction, group_ids):
            condition |= Q(collection__path__startswith=restriction.collection.path)
    return queryset.exclude(condition) if condition else queryset


def can_view_collection(user, collection) -> bool:
    """Whether every restriction on ``collection`` and its ancestors accepts ``user``."""
    if collection is None:
        return True
    group_ids = None
    for restriction in collection.get_view_restrictions().prefetch_related("groups"):
        if restriction.restriction_type == restriction.GROUPS and user.is_authenticated:
            group_ids = group_ids if group_ids is not None else _user_group_ids(user)
        if not restriction_accepts(user, restriction, group_ids):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# The admin: editors' permissions stop at the reserved spaces.
#
# Wagtail's page and collection permissions run down the whole tree below the page (or
# collection) they are granted on, and cannot be subtracted. The portal stops them at every
# reserved space: a grant does not reach into a subtree whose ``groups`` view restriction refuses
# the user (a reserved area or working group they are not a member of, a private collection),
# unless the grant is on that subtree's root or inside it (the groups a community may one day get
# to edit its own area). ``communities/admin_permissions.py`` makes Wagtail's admin ask this.
# Login and password restrictions are no boundary: editors work on the general area too.
# ---------------------------------------------------------------------------------------------


def refused_page_spaces(user) -> tuple[str, ...]:
    """Tree paths of the pages whose ``groups`` view restriction refuses ``user`` (none for a
    superuser). From the restriction snapshot; remembered on the user object."""

    def compute():
        restrictions, _aliases = _restriction_snapshot()
        return tuple(
            restriction.path
            for restriction in restrictions
            if restriction.kind == PageViewRestriction.GROUPS and not _accepts(user, restriction)
        )

    if user is None or not user.is_authenticated:
        return ()
    return _cache(user, "_access_refused_pages", compute)


def refused_collection_spaces(user) -> tuple[str, ...]:
    """Tree paths of the collections whose ``groups`` view restriction refuses ``user`` (none
    for a superuser); remembered on the user object."""
    from wagtail.models import CollectionViewRestriction

    def compute():
        group_ids = _user_group_ids(user)
        restrictions = CollectionViewRestriction.objects.filter(
            restriction_type=CollectionViewRestriction.GROUPS
        ).select_related("collection")
        return tuple(
            restriction.collection.path
            for restriction in restrictions.prefetch_related("groups")
            if not restriction_accepts(user, restriction, group_ids)
        )

    if user is None or not user.is_authenticated:
        return ()
    return _cache(user, "_access_refused_collections", compute)


def grant_exclusions(refused: tuple[str, ...], grant_path: str) -> list[str]:
    """The refused spaces (tree paths from ``refused_page_spaces`` or
    ``refused_collection_spaces``) that a permission granted at ``grant_path`` does not reach:
    those strictly below it."""
    return [path for path in refused if len(path) > len(grant_path) and path.startswith(grant_path)]


def grant_reaches(refused: tuple[str, ...], grant_path: str, path: str) -> bool:
    """Whether a permission granted on the node at ``grant_path`` covers the node at ``path``:
    ``path`` is in its subtree and no refused space lies between them."""
    if not path or not path.startswith(grant_path):
        return False
    return not any(path.startswith(space) for space in grant_exclusions(refused, grant_path))


def page_grant_reaches(user, grant_path: str, page_path: str) -> bool:
    """``grant_reaches`` for the pages: whether an admin permission of ``user`` granted on the
    page at ``grant_path`` covers the page at ``page_path``."""
    return grant_reaches(refused_page_spaces(user), grant_path, page_path)


def groups_restrictions_covering(page: Page) -> list[tuple[str, frozenset[int]]]:
    """``(path, group ids)`` of the ``groups`` view restrictions on ``page`` and its ancestors."""
    covering = _restrictions_covering(page)
    if covering is not None:
        return [
            (restriction.path, restriction.groups)
            for restriction in covering
            if restriction.kind == PageViewRestriction.GROUPS
        ]
    return [
        (restriction.page.path, frozenset(group.pk for group in restriction.groups.all()))
        for restriction in page.get_view_restrictions()
        .filter(restriction_type=PageViewRestriction.GROUPS)
        .select_related("page")
        .prefetch_related("groups")
    ]


# ---------------------------------------------------------------------------------------------
# Communities of practice: roles and actions.
#
# ``can(user, action, obj)`` is the one answer to "may this user do this to this object" for the
# communities. ``docs/permissions.md`` holds the matrix; tests/communities/test_permissions.py
# tests every cell. Roles are looked up once per user object (i.e. once per request) and cached
# on it; the community of a page is looked up once per page object and cached on it.
# ---------------------------------------------------------------------------------------------

PARTICIPANT = "participant"
DESIGNATED = "designated"
COORDINATOR = "coordinator"
SUPPORT = "support"
MANAGER_ROLES = frozenset({COORDINATOR, SUPPORT})
#: Roles that may open topics and join working groups.
DESIGNATED_ROLES = frozenset({DESIGNATED, COORDINATOR, SUPPORT})

WG_MEMBER = "member"
WG_COORDINATOR = "coordinator"


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
    # Discussions (a topic or a reply; the community/working-group rules above apply to them,
    # plus what depends on the object itself: locks, authorship, the edit window)
    EDIT_REPLY = "edit_reply"
    DELETE_REPLY = "delete_reply"
    REPLY_OBJECT = (EDIT_REPLY, DELETE_REPLY)
    FLAG_TOPIC = "flag_topic"
    EDIT_TOPIC = "edit_topic"
    DELETE_TOPIC = "delete_topic"
    TOPIC_OBJECT = (FLAG_TOPIC, EDIT_TOPIC, DELETE_TOPIC)
    #: The rows of the permission matrix whose target is a topic (hide/restore is ``MODERATE``).
    TOPIC = (FLAG_TOPIC, MODERATE, EDIT_TOPIC, DELETE_TOPIC)
    DESIGNATION = (VIEW_DESIGNATION_ACT, REQUEST_DESIGNATION_COPY, VERIFY_DESIGNATION)


#: Actions that only a registered member takes for themselves: superusers get no exemption.
SELF_ACTIONS = frozenset(
    {Action.JOIN, Action.LEAVE, Action.SWITCH_ROLE, Action.JOIN_WORKING_GROUP, Action.APPEAL}
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
    }
)


def is_registered(user) -> bool:
    """A SPID/CIE member who completed the registration (onboarding)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "fiscal_number", None)
        and getattr(user, "onboarded_at", None)
        and not getattr(user, "deleted_at", None)
    )


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def _cache(user, attr, compute):
    """``compute()``, remembered on the user object (one request's ``request.user``)."""
    cached = getattr(user, attr, None)
    if cached is None:
        cached = compute()
        with contextlib.suppress(AttributeError):
            setattr(user, attr, cached)
    return cached


def _roles(user) -> dict:
    """``{community translation_key: role}`` of the user's active memberships, less the ones
    suspended now (one query, shared with ``_measures``)."""
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, "_access_roles", None)
    if cached is None:
        cached = _load_memberships(user)[0]
    return cached


# The managers' measures on a member (``Measure.kind``).
REMOVED = "removed"
SUSPENDED = "suspended"
REVOKED = "revoked"
MEMBER_ROLES = frozenset({PARTICIPANT, DESIGNATED})


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
    query as ``_roles``, once per request)."""
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, "_access_measures", None)
    if cached is None:
        cached = _load_memberships(user)[1]
    return cached


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
    re-opened). Remembered on the user object as ``_access_roles`` and ``_access_measures``."""
    from .models import Designation, Membership

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
        if roles.get(key) == DESIGNATED:
            entry.pop("revoked_at", None)
        if entry:
            measures[key] = Measure(**entry)
    with contextlib.suppress(AttributeError):
        user._access_roles = roles
        user._access_measures = measures
    return roles, measures


def _working_groups(user) -> dict:
    """``{working group translation_key: (role, status)}`` of the user's open working group
    memberships (invited, requested, active; one query)."""
    if user is None or not user.is_authenticated:
        return {}

    def compute():
        from .models import WorkingGroupMembership

        rows = WorkingGroupMembership.objects.filter(
            user=user, status__in=WorkingGroupMembership.OPEN_STATUSES
        ).values_list("group__translation_key", "role", "status")
        return {key: (role, status) for key, role, status in rows}

    return _cache(user, "_access_wg", compute)


def _support_kinds(user) -> dict:
    """``{community translation_key: support kind}`` of the user's active support-team
    memberships (one query, asked only about a member of a support team)."""
    if user is None or not user.is_authenticated:
        return {}

    def compute():
        from .models import Membership

        return dict(
            Membership.objects.filter(
                user=user, left_at__isnull=True, role=Membership.Role.SUPPORT
            ).values_list("community__translation_key", "support_kind")
        )

    return _cache(user, "_access_support_kinds", compute)


CACHE_ATTRIBUTES = (
    "_access_group_ids",
    "_access_hidden_paths",
    "_access_roles",
    "_access_measures",
    "_access_wg",
    "_access_spaces",
    "_access_refused_pages",
    "_access_refused_collections",
    "_access_support_kinds",
)


def forget(user) -> None:
    """Drop what the policy cached on ``user`` (after changing their memberships)."""
    for attr in CACHE_ATTRIBUTES:
        with contextlib.suppress(AttributeError):
            delattr(user, attr)


def _context_keys(obj):
    """``(community translation_key, working group translation_key or None)`` of ``obj``.

    ``obj`` is a page (a community, its reserved area, a working group or a page below them), a
    ``Membership``, a ``Designation`` or a ``WorkingGroupMembership``. No query for a page (the
    community and working group pages come from ``_space_pages``); cached on the object.
    """
    from discussions.models import Reply, Topic

    from .models import (
        CommunityPage,
        Designation,
        Membership,
        WorkingGroupMembership,
        WorkingGroupPage,
    )

    if isinstance(obj, Reply):
        obj = obj.topic
    if isinstance(obj, Topic):
        community_key = obj.community.translation_key
        wg_key = obj.space.translation_key if obj.space_id != obj.community_id else None
        return community_key, wg_key
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
    from .models import CommunityPage, WorkingGroupPage

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
    from cms import snapshots

    return snapshots.cached("access:space-pages", _load_space_pages)


def _content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk  # cached by Django


def role_in(user, community) -> str | None:
    """The user's role in ``community`` (or the community of a page/membership), or ``None``."""
    community_key, _wg = _context_keys(community)
    if community_key is None:
        return None
    return _roles(user).get(community_key)


def working_group_role(user, group) -> tuple[str, str] | None:
    """``(role, status)`` of the user's open membership of a working group, or ``None``.

    ``None`` as well while the user is not an active member of the group's community: a
    suspension keeps the working-group membership open (it is back when the suspension ends),
    but until then it counts for nothing, as for ``VIEW_WORKING_GROUP``."""
    community_key, wg_key = _context_keys(group)
    if wg_key is None or _roles(user).get(community_key) is None:
        return None
    return _working_groups(user).get(wg_key)


def _is_active_wg_member(user, community_role, wg_key) -> str | None:
    """The user's active role in the working group (only while still in the community)."""
    if community_role is None or wg_key is None:
        return None
    entry = _working_groups(user).get(wg_key)
    if entry is None or entry[1] != "active":
        return None
    return entry[0]


def can(user, action: str, obj) -> bool:
    """Whether ``user`` may take ``action`` on ``obj``. The only place these rules live."""
    if user is None:
        user = AnonymousUser()
    if not user.is_authenticated or not user.is_active:
        return False
    if action not in SELF_ACTIONS and user.is_superuser:
        return True
    if action in STAFF_ACTIONS and is_staff(user):
        return True
    community_key, wg_key = _context_keys(obj)
    if community_key is None:
        return False
    role = _roles(user).get(community_key)

    if action in Action.DESIGNATION:
        # The member may always see their own act; managers handle designations.
        if action == Action.VIEW_DESIGNATION_ACT and _owns(user, obj):
            return True
        return role in MANAGER_ROLES

    measured = _MEASURED_RULES.get(action)
    if measured is not None:
        return measured(user, role, _measures(user).get(community_key))

    if action in Action.REPLY_OBJECT:
        return _may_change_own_reply(user, action, obj)
    if action in Action.TOPIC_OBJECT:
        return _may_act_on_topic(user, action, obj)
    if action == Action.EXPORT_MEMBERS:
        return _may_export_members(user, role, community_key)
    if action == Action.REPLY and _is_locked_topic(obj) and role not in MANAGER_ROLES:
        # a locked topic, or one whose opening post the moderators hid, takes replies from the
        # community's managers only
        return False
    if wg_key is not None and action in _WORKING_GROUP_DISCUSSION_ACTIONS:
        action = Action.VIEW_WORKING_GROUP  # a working group's space is read and written alike
    rule = _RULES.get(action)
    if rule is None:
        raise ValueError(f"Unknown action: {action!r}")
    return rule(user, role, wg_key)


_WORKING_GROUP_DISCUSSION_ACTIONS = frozenset(
    {Action.READ_DISCUSSIONS, Action.REPLY, Action.OPEN_TOPIC, Action.FLAG}
)

#: How long the author of a reply may edit it.
REPLY_EDIT_WINDOW = timedelta(minutes=15)
#: How long the author of a topic may edit its opening post (the moderators always may).
TOPIC_EDIT_WINDOW = REPLY_EDIT_WINDOW

#: Support-team kinds that may export a community's members (with their contact data): the
#: institutional referents (ANCI/DTD, national body), not the external domain experts.
EXPORTING_SUPPORT_KINDS = frozenset({"anci_dtd", "national"})


def _may_export_members(user, role, community_key) -> bool:
    """The members' CSV (names, contact addresses, designations): the coordinator, the
    support team's institutional referents and staff; never a domain expert."""
    if role == COORDINATOR:
        return True
    return role == SUPPORT and _support_kinds(user).get(community_key) in EXPORTING_SUPPORT_KINDS


def _is_locked_topic(obj) -> bool:
    from discussions.models import Reply, Topic

    if isinstance(obj, Reply):
        obj = obj.topic
    return isinstance(obj, Topic) and (obj.locked or obj.hidden_at is not None)


def _may_change_own_reply(user, action, reply) -> bool:
    """The author edits a reply within ``REPLY_EDIT_WINDOW`` while they may still reply to the
    topic and no moderator hid it, and deletes it (softly) while they may still read the
    discussion."""
    from discussions.models import Reply

    if not isinstance(reply, Reply) or reply.user_id != user.pk or reply.is_removed:
        return False
    if action == Action.DELETE_REPLY:
        return can(user, Action.READ_DISCUSSIONS, reply.topic)
    if reply.hidden_at is not None:
        return False  # hidden by a moderator: the author can no longer change what they judged
    if timezone.now() - reply.submit_date > REPLY_EDIT_WINDOW:
        return False
    return can(user, Action.REPLY, reply.topic)


def _may_act_on_topic(user, action, topic) -> bool:
    """A topic's opening post.

    - ``FLAG_TOPIC``: who may flag in the discussion reports the opening post of someone else,
      while it is not hidden;
    - ``EDIT_TOPIC``, ``DELETE_TOPIC``: the moderators (``MODERATE``) always; the author edits
      it within ``TOPIC_EDIT_WINDOW`` while they may still open topics in its space, and deletes
      it while nobody replied and they may still read the discussion; never once a moderator
      hid it.
    """
    from discussions.models import Topic

    if not isinstance(topic, Topic):
        return False
    own = topic.author_id is not None and topic.author_id == user.pk
    if action == Action.FLAG_TOPIC:
        return not own and topic.hidden_at is None and can(user, Action.FLAG, topic)
    if can(user, Action.MODERATE, topic):
        return True
    if not own or topic.hidden_at is not None:
        return False
    if action == Action.DELETE_TOPIC:
        return topic.reply_count == 0 and can(user, Action.READ_DISCUSSIONS, topic)
    if timezone.now() - topic.created_at > TOPIC_EDIT_WINDOW:
        return False
    return can(user, Action.OPEN_TOPIC, topic)


def _owns(user, obj) -> bool:
    from .models import Designation

    return isinstance(obj, Designation) and obj.membership.user_id == user.pk


def _wg_required(rule):
    def wrapped(user, role, wg_key):
        return wg_key is not None and rule(user, role, wg_key)

    return wrapped


def _view_working_group(user, role, wg_key):
    return role in MANAGER_ROLES or _is_active_wg_member(user, role, wg_key) is not None


def _join_working_group(user, role, wg_key):
    return role == DESIGNATED and is_registered(user) and wg_key not in _working_groups(user)


def _manage_working_group(user, role, wg_key):
    return role in MANAGER_ROLES or _is_active_wg_member(user, role, wg_key) == WG_COORDINATOR


def _join(user, role, measure):
    # Removed (not readmitted) or suspended: not until the managers readmit them, or the date.
    blocked = measure is not None and measure.blocks_join
    return role is None and is_registered(user) and not blocked


def _leave(user, role, measure):
    # A suspended member may still leave (the suspension keeps them out until its date).
    return role in MEMBER_ROLES or (measure is not None and measure.suspended_role in MEMBER_ROLES)


def _switch_role(user, role, measure):
    # A revoked designation is not declared again until a manager re-opens it.
    revoked = role == PARTICIPANT and measure is not None and measure.revoked_at is not None
    return role in MEMBER_ROLES and is_registered(user) and not revoked


def _appeal(user, role, measure):
    """Ask the managers to reconsider a measure in force on them."""
    return measure is not None and measure.kind is not None and is_registered(user)


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
    Action.OPEN_TOPIC: lambda user, role, wg: role in DESIGNATED_ROLES,
    Action.MODERATE: lambda user, role, wg: role in MANAGER_ROLES,
    Action.CREATE_WORKING_GROUP: lambda user, role, wg: role in MANAGER_ROLES,
    Action.MANAGE_MEMBERSHIPS: lambda user, role, wg: role == COORDINATOR,
    Action.ASSIGN_COORDINATOR: lambda user, role, wg: False,  # staff only
    Action.SUSPEND_MEMBER: lambda user, role, wg: role in MANAGER_ROLES,
    Action.VIEW_WORKING_GROUP: _wg_required(_view_working_group),
    Action.JOIN_WORKING_GROUP: _wg_required(_join_working_group),
    Action.INVITE_TO_WORKING_GROUP: _wg_required(_manage_working_group),
    Action.MANAGE_WORKING_GROUP: _wg_required(_manage_working_group),
}


def communities_of(user, roles=None):
    """The community pages (every translation) where ``user`` has an active membership,
    optionally only with one of ``roles``."""
    from .models import CommunityPage

    memberships = _roles(user)
    keys = [key for key, role in memberships.items() if roles is None or role in roles]
    return CommunityPage.objects.filter(translation_key__in=keys)


def working_groups_of(user, statuses=("active",)):
    """The working group pages where ``user`` has a membership in one of ``statuses``."""
    from .models import WorkingGroupPage

    keys = [key for key, (_role, status) in _working_groups(user).items() if status in statuses]
    return WorkingGroupPage.objects.filter(translation_key__in=keys)


def can_invite(inviter, invitee, group) -> bool:
    """Whether ``inviter`` may invite ``invitee`` to working group ``group``: only designated
    participants of the community without an open membership of the group."""
    if not can(inviter, Action.INVITE_TO_WORKING_GROUP, group):
        return False
    community_key, wg_key = _context_keys(group)
    return (
        is_registered(invitee)
        and _roles(invitee).get(community_key) == DESIGNATED
        and wg_key not in _working_groups(invitee)
    )


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
        roles = _roles(user)
        if not roles:
            return frozenset()
        all_communities, all_groups = _space_pages()
        communities = [row for row in all_communities if row[2] in roles]
        ids = {pk for pk, _path, _key in communities}
        managed = tuple(path for _pk, path, key in communities if roles[key] in MANAGER_ROLES)
        active = {
            key for key, (_role, status) in _working_groups(user).items() if status == "active"
        }
        member_of = tuple(path for _pk, path, _key in communities)
        for pk, path, key in all_groups:
            if path.startswith(managed) or (key in active and path.startswith(member_of)):
                ids.add(pk)
        return frozenset(ids)

    return _cache(user, "_access_spaces", compute)


def visible_topics(user, queryset=None):
    """Topics ``user`` may read (members of the community; of the group for group topics)."""
    from discussions.models import Topic

    queryset = Topic.objects.all() if queryset is None else queryset
    space_ids = discussion_space_ids(user)
    return queryset if space_ids is None else queryset.filter(space_id__in=space_ids)


def searchable_topics(user, queryset=None):
    """Topics ``user`` may find by search: the ones they may read, except those whose opening
    post a moderator hid (out of search for everyone until restored; replies stay findable)."""
    return visible_topics(user, queryset).filter(hidden_at__isnull=True)


def visible_replies(user, queryset=None):
    """Published replies ``user`` may read (hidden and deleted ones excluded)."""
    from discussions.models import Reply

    queryset = Reply.objects.all() if queryset is None else queryset
    queryset = queryset.filter(is_public=True, is_removed=False)
    space_ids = discussion_space_ids(user)
    return queryset if space_ids is None else queryset.filter(space_id__in=space_ids)


def prime(users) -> None:
    """Look up the community and working group roles of many users at once (two queries) and
    remember them on each user object, as ``_roles``/``_working_groups`` would one by one, so
    that ``can`` then answers for all of them without a query (notifications to followers)."""
    from .models import Membership, WorkingGroupMembership

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
        with contextlib.suppress(AttributeError):
            user._access_roles = roles[user.pk]
            user._access_wg = groups[user.pk]


# ---------------------------------------------------------------------------------------------
# Working-group rules as querysets (the dashboard's and the coordinators' listings).
# ---------------------------------------------------------------------------------------------


def _under_communities(keys) -> Q:
    """A condition matching pages below the community pages (every translation) of ``keys``."""
    from .models import CommunityPage

    condition = Q(pk__in=[])
    for path in CommunityPage.objects.filter(translation_key__in=keys).values_list(
        "path", flat=True
    ):
        condition |= Q(path__startswith=path)
    return condition


def joinable_working_groups(user, queryset=None):
    """Working groups ``user`` may ask to join: ``JOIN_WORKING_GROUP`` as a queryset (groups of
    the communities where they are a designated participant, without an open membership)."""
    from .models import WorkingGroupPage

    queryset = WorkingGroupPage.objects.all() if queryset is None else queryset
    if not is_registered(user):
        return queryset.none()
    keys = [key for key, role in _roles(user).items() if role == DESIGNATED]
    if not keys:
        return queryset.none()
    return queryset.filter(_under_communities(keys)).exclude(
        translation_key__in=list(_working_groups(user))
    )


def manageable_working_groups(user, community):
    """Working groups of ``community`` that ``user`` may manage: ``MANAGE_WORKING_GROUP`` as a
    queryset (all of them for the community's managers, staff and superusers; otherwise the ones
    the user actively coordinates)."""
    from .models import WorkingGroupPage

    groups = WorkingGroupPage.objects.descendant_of(community)
    if user is None or not user.is_authenticated or not user.is_active:
        return groups.none()
    if user.is_superuser or is_staff(user) or role_in(user, community) in MANAGER_ROLES:
        return groups
    if role_in(user, community) is None:
        return groups.none()
    coordinated = [
        key
        for key, (role, status) in _working_groups(user).items()
        if role == WG_COORDINATOR and status == "active"
    ]
    return groups.filter(translation_key__in=coordinated)


def remember_context(page, community_key, working_group_key=None) -> None:
    """Tell the policy which community (and working group) ``page`` belongs to, when the caller
    already knows it (a listing that looked the communities up in one query)."""
    with contextlib.suppress(AttributeError):
        page._access_context = (community_key, working_group_key)
