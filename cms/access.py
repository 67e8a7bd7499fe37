"""The portal's access policy: its core, and the one question every caller asks.

``can(user, action, obj)`` answers "may this user do this to this object". The core answers for
what it owns — pages, collections, documents, images and the admin — and dispatches every other
action to the app that owns it: each app's ``permissions.py`` registers its actions here
(``register``) when the app is ready (``communities/permissions.py``,
``discussions/permissions.py``). Views, templates, the API, search, feeds and the sitemap call
these functions; none of them re-implements a rule.

Page visibility follows Wagtail's own ``PageViewRestriction``: a page is visible to a user when
every restriction on the page or on one of its ancestors accepts that user.

- ``login`` restrictions (the Community's general area) accept any signed-in user;
- ``groups`` restrictions (reserved areas) accept members of one of the groups, and superusers;
- ``password`` restrictions are never listed: such a page is reached only by its URL.

The restrictions themselves (with their groups) are the same for everyone: they come from a
snapshot cached per page-cache generation (``cms/snapshots.py``; saving or deleting a
restriction, changing its groups, deleting a group bumps it). What depends on the user — their
groups, and what the apps' rules look up (community roles, working groups) — is looked up once
per request and remembered on the user object (``memo``); ``forget`` drops all of it at once.

This module depends only on Django and Wagtail: the apps above it plug in through ``register``
(actions) and ``withhold_groups`` (groups that count for nothing for a while, e.g. a suspended
member's community groups).
"""

from __future__ import annotations

import contextlib
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from . import snapshots
from .cache import ADMIN_ACCESS_KEY

# ---------------------------------------------------------------------------------------------
# What the policy remembers about one user, for one request.
# ---------------------------------------------------------------------------------------------

#: The attribute of the user object where the policy and the apps' rules remember what they
#: looked up (one dict; ``forget`` drops it). Set with ``setattr`` so that it lands on the
#: wrapped user when ``request.user`` is Django's lazy object.
_MEMO = "_portal_access"


def memo(user, key: str, compute):
    """``compute()``, remembered on the user object under ``key`` (one request's
    ``request.user``: the policy never shares what depends on a user between requests)."""
    store = getattr(user, _MEMO, None)
    if store is None:
        store = {}
        try:
            setattr(user, _MEMO, store)
        except AttributeError:  # exotic user objects without a __dict__
            return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def remembered(user, key: str, default=None):
    """What ``memo`` remembered on ``user`` under ``key`` (``default`` if nothing)."""
    return (getattr(user, _MEMO, None) or {}).get(key, default)


def remember(user, key: str, value) -> None:
    """Remember ``value`` on ``user`` under ``key``, as ``memo`` would have computed it (a
    caller that looked many users up at once)."""
    memo(user, key, lambda: value)
    getattr(user, _MEMO, {})[key] = value


def forget(user) -> None:
    """Drop everything the policy remembered on ``user`` (after changing their groups,
    memberships or roles)."""
    with contextlib.suppress(AttributeError):
        delattr(user, _MEMO)


# ---------------------------------------------------------------------------------------------
# Groups: which of the user's groups count now.
# ---------------------------------------------------------------------------------------------

_WITHHELD_GROUPS = []
_WITHHELD_BULK: dict = {}


def withhold_groups(subquery, *, bulk=None) -> None:
    """Register ``subquery(user)``: a queryset of group ids (``values("...")``) that count for
    nothing for ``user`` now although they are members (a community's groups while the member is
    suspended: ``communities/permissions.py``). ``bulk(user_ids)``, when given, answers the same
    for many users at once, ``{user_id: group ids}`` in a fixed number of queries
    (``users_group_ids``)."""
    if subquery not in _WITHHELD_GROUPS:
        _WITHHELD_GROUPS.append(subquery)
    if bulk is not None:
        _WITHHELD_BULK[subquery] = bulk


def user_group_ids(user) -> set[int]:
    """The ids of the groups that count for ``user`` now (one query, once per request): their
    Django groups, less the ones an app withholds (``withhold_groups``)."""
    if not user.is_authenticated:
        return set()

    def compute():
        groups = user.groups.all()
        for subquery in _WITHHELD_GROUPS:
            groups = groups.exclude(pk__in=subquery(user))
        return set(groups.values_list("id", flat=True))

    return memo(user, "group_ids", compute)


def users_group_ids(users) -> dict:
    """``user_group_ids`` of many users at once (the digests): ``{user_id: group ids}``, in one
    query for their groups plus each withholding app's ``bulk`` answer (a fixed number of
    queries whatever the number of users; an app without a bulk form is asked user by user).
    Each user object remembers its answer, as ``user_group_ids`` would."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = [user for user in users if user is not None and user.is_authenticated]
    result = {user.pk: set() for user in users}
    if not users:
        return result
    through = get_user_model().groups.through
    for user_id, group_id in through.objects.filter(user_id__in=list(result)).values_list(
        "user_id", "group_id"
    ):
        result[user_id].add(group_id)
    for subquery in _WITHHELD_GROUPS:
        bulk = _WITHHELD_BULK.get(subquery)
        if bulk is not None:
            for user_id, withheld in bulk(list(result)).items():
                result[user_id] -= set(withheld)
            continue
        for user in users:
            withheld = Group.objects.filter(pk__in=subquery(user)).values_list("pk", flat=True)
            result[user.pk] -= set(withheld)
    for user in users:
        remember(user, "group_ids", result[user.pk])
    return result


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
        lambda: user_group_ids(user) if group_ids is None else group_ids,
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
    return snapshots.cached("access:view-restrictions", _load_restrictions)


def _accepts(user, restriction: _Restriction) -> bool:
    """``restriction_accepts`` for a snapshot's restriction (the user's groups looked up lazily,
    only for a ``groups`` restriction)."""
    return _rule_accepts(
        user, restriction.kind, lambda: restriction.groups, lambda: user_group_ids(user)
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
    """Tree paths of the restricted subtrees that ``user`` may not see (once per request)."""
    return memo(user, "hidden_paths", lambda: _compute_hidden_paths(user))


def _compute_hidden_paths(user) -> list[str]:
    restrictions, _aliases = _restriction_snapshot()
    return [restriction.path for restriction in restrictions if not _accepts(user, restriction)]


def is_path_visible(user, path: str) -> bool:
    """Whether no restriction refusing ``user`` covers the page at tree path ``path`` (what
    ``visible_pages`` filters on, for one page already known to be live). Looks the user's
    groups up only if a ``groups`` restriction covers the path."""
    if user is None:
        user = AnonymousUser()
    hidden = remembered(user, "hidden_paths")
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
            group_ids = group_ids if group_ids is not None else user_group_ids(user)
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
    permission or a user deleted: ``cms/signal_handlers.py``); ``is_active`` and
    ``is_superuser`` are read from the request's user row.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.pk in _admin_user_ids()


def _admin_user_ids() -> frozenset:
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
    group_ids = user_group_ids(user)
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
            group_ids = group_ids if group_ids is not None else user_group_ids(user)
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
# to edit its own area). ``cms/admin_permissions.py`` makes Wagtail's admin ask this.
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
    return memo(user, "refused_pages", compute)


def refused_collection_spaces(user) -> tuple[str, ...]:
    """Tree paths of the collections whose ``groups`` view restriction refuses ``user`` (none
    for a superuser); remembered on the user object."""
    from wagtail.models import CollectionViewRestriction

    def compute():
        group_ids = user_group_ids(user)
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
    return memo(user, "refused_collections", compute)


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
# The one question: ``can(user, action, obj)``.
# ---------------------------------------------------------------------------------------------

#: ``{action: [(object types or None, decide)]}``: who answers each action, the most specific
#: registration (for given object types) first.
_DECIDERS: dict[str, list] = {}


def register(actions, decide, *, on: tuple[type, ...] | None = None) -> None:
    """Make ``decide(user, action, obj)`` answer ``actions`` (for objects of the types ``on``
    only, ahead of the general rule, when given). Called by each app's ``permissions.py``."""
    for action in actions:
        deciders = _DECIDERS.setdefault(action, [])
        entry = (on, decide)
        if entry in deciders:
            continue
        if on is None:
            deciders.append(entry)
        else:
            deciders.insert(0, entry)


def can(user, action: str, obj) -> bool:
    """Whether ``user`` may take ``action`` on ``obj``. A visitor or an inactive account may take
    none; otherwise the app that owns the action answers (``register``)."""
    if user is None:
        user = AnonymousUser()
    deciders = _DECIDERS.get(action)
    if deciders is None:
        raise ValueError(f"Unknown action: {action!r}")
    if not user.is_authenticated or not user.is_active:
        return False
    for types, decide in deciders:
        if types is None or isinstance(obj, types):
            return decide(user, action, obj)
    return False


def is_staff(user) -> bool:
    """An active staff account (the Wagtail editors)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
