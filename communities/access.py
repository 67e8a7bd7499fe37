"""The portal's single access policy.

Every "may this user see or do this" question is answered here, and every queryset of what a user
may see is built here. Views, templates, the API, search, feeds and the sitemap call these
functions; none of them re-implements a rule.

Page visibility follows Wagtail's own ``PageViewRestriction``: a page is visible to a user when
every restriction on the page or on one of its ancestors accepts that user.

- ``login`` restrictions (the Community's general area) accept any signed-in user;
- ``groups`` restrictions (reserved areas) accept members of one of the groups, and superusers;
- ``password`` restrictions are never listed: such a page is reached only by its URL.
"""

from __future__ import annotations

import contextlib

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


def _user_group_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_access_group_ids", None)
    if cached is None:
        cached = set(user.groups.values_list("id", flat=True))
        user._access_group_ids = cached
    return cached


def restriction_accepts(user, restriction: PageViewRestriction, group_ids=None) -> bool:
    """Whether ``restriction`` lets ``user`` see the page it protects (and its subtree)."""
    kind = restriction.restriction_type
    if kind == PageViewRestriction.NONE:
        return True
    if kind == PageViewRestriction.LOGIN:
        return bool(user.is_authenticated)
    if kind == PageViewRestriction.GROUPS:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        if group_ids is None:
            group_ids = _user_group_ids(user)
        return any(group.pk in group_ids for group in restriction.groups.all())
    # Password-protected pages are never listed anywhere.
    return False


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
    restrictions = PageViewRestriction.objects.select_related("page").only(
        "restriction_type", "page__path"
    )
    needs_groups = user.is_authenticated and not user.is_superuser
    if needs_groups:
        restrictions = restrictions.prefetch_related("groups")
    group_ids = None
    hidden = []
    for restriction in restrictions:
        is_groups = restriction.restriction_type == PageViewRestriction.GROUPS
        if is_groups and needs_groups and group_ids is None:
            group_ids = _user_group_ids(user)
        if not restriction_accepts(user, restriction, group_ids):
            hidden.append(restriction.page.path)
    return hidden


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
    group_ids = None
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == PageViewRestriction.GROUPS and user.is_authenticated:
            group_ids = group_ids if group_ids is not None else _user_group_ids(user)
        if not restriction_accepts(user, restriction, group_ids):
            return False
    return True


def is_restricted(page: Page) -> bool:
    """Whether a page is restricted in any way (its responses must never be shared-cached)."""
    return page.get_view_restrictions().exists()


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
