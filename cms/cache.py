"""The page cache: anonymous responses of public Wagtail pages, kept in the shared cache (Redis).

What is stored (all of it must hold):

- a GET (HEAD is answered from the GET entry) of a page served by Wagtail (``wagtail_serve``);
- a request without a session cookie: whoever carries one may be signed in, and is never served
  from, nor stored into, the cache (SAML's pre-login cookie counts as well);
- a 200 response, not streamed, without ``Set-Cookie``, without ``private``, ``no-store`` or
  ``no-cache``, from a page without a view restriction (``mark_private``), for a user
  who is not signed in.

The key is scheme + host + language + full path (with the query string). With
``i18n_patterns(prefix_default_language=False)`` the language comes from the URL alone (``/`` is
Italian, ``/en/`` English; neither ``Accept-Language`` nor the language cookie changes a page), so
a stored page is sent with ``Vary: Cookie`` (signed-in visitors carry one and get their own,
``private`` page) and without ``Vary: Accept-Language``, and with
``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`` for browsers and proxies.

Invalidation is a site-wide generation token: every stored entry carries the token current when
its request started, and an entry whose token is not the current one is never served. Any write
that can change what a public page shows bumps it (a new random token): saving, publishing,
unpublishing, moving or deleting a page (a page is listed by its parent, the home page, feeds
and the sitemap), a page or collection view restriction, a site, the portal settings, an image or
a document. Other data shown on public pages (e.g. member counts) may lag by PAGE_CACHE_TIMEOUT.
One token means one ``MGET`` per request (entry and token together) and no bookkeeping of which
page lists which.

The same token keys the shared data of signed-in pages (``cms/snapshots.py``: sites, portal
settings, locales, view restrictions, menus): so a locale, a view restriction's groups and a
group (whose deletion drops it from the restrictions) bump it as well. Other tokens (e.g. the
access policy's ``ADMIN_ACCESS_KEY``) follow the same rules: ``invalidate(key)``.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
#: Who may enter Wagtail's admin (the userbar): user groups, group and user permissions.
ADMIN_ACCESS_KEY = "portal:admin-access"
SERVE_URL_NAME = "wagtail_serve"
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
# Headers never replayed from a stored response.
DROPPED_HEADERS = {"set-cookie", "x-cache"}


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", False))


def has_session_cookie(request) -> bool:
    names = (settings.SESSION_COOKIE_NAME, getattr(settings, "SAML_SESSION_COOKIE_NAME", ""))
    return any(name and name in request.COOKIES for name in names)


def entry_key(request) -> str:
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    raw = f"{request.scheme}://{request.get_host()}|{language}|{request.get_full_path()}"
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


def current_token(key: str, cache=None) -> str:
    """The current token of ``key``, created when missing (first use, or evicted)."""
    cache = cache or page_cache()
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    return token


def current_generation(cache=None) -> str:
    """The current token, created when missing (first use, or evicted)."""
    return current_token(GENERATION_KEY, cache)


def bump_token(key: str) -> None:
    """A new token for ``key``: whatever was cached under the old one is never used again."""
    try:
        page_cache().set(key, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage must not break publishing; entries expire anyway
        logger.exception("page cache: could not bump %s", key)
    from . import snapshots

    snapshots.forget_token(key)


def bump_generation() -> None:
    """Invalidate every stored page (a new token)."""
    bump_token(GENERATION_KEY)


class _BumpOnCommit:
    """The on-commit half of ``invalidate``. ``pending`` marks a write made in a real transaction
    (not only in a test case's): until it commits, ``pending_invalidation`` returns it, and
    ``memo`` keeps what the transaction itself computed meanwhile (``cms/snapshots.py``): it goes
    with the transaction, committed or rolled back."""

    def __init__(self, key: str, pending: bool):
        self.key = key
        self.pending = pending
        self.memo: dict = {}

    def __call__(self):
        bump_token(self.key)


def invalidate(key: str = GENERATION_KEY) -> None:
    """Bump now and again when the transaction commits.

    Bumping now hides the old pages at once; bumping on commit discards what a concurrent
    request may have stored from the old data between the two.
    """
    bump_token(key)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(_BumpOnCommit(key, pending=not _test_case_only(connection)))


def _test_case_only(connection) -> bool:
    """Whether the only open transactions are a test case's (Django's ``TestCase``)."""
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def pending_invalidation(key: str = GENERATION_KEY) -> _BumpOnCommit | None:
    """The first write of the current transaction that bumps ``key`` and has not committed yet,
    if any: what the transaction reads may not be what other connections see (and may be rolled
    back), so it must neither be shared nor be answered from a shared cache."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block or _test_case_only(connection):
        # In a test case, what a finished inner transaction wrote counts as committed.
        return None
    for entry in connection.run_on_commit:
        func = entry[1]
        if isinstance(func, _BumpOnCommit) and func.pending and func.key == key:
            return func
    return None


def uncommitted_invalidation(key: str = GENERATION_KEY) -> bool:
    return pending_invalidation(key) is not None


#: Set by ``mark_private`` on a request whose response is restricted.
_PRIVATE_ATTR = "portal_private"


def mark_private(request) -> None:
    """The response to ``request`` is restricted, whoever asks: it is sent ``private, no-store``
    (``cms.middleware.PrivateResponseMiddleware``) and never stored in the page cache. Call it
    from the view (or hook) that decides, before the response leaves the middleware."""
    setattr(request, _PRIVATE_ATTR, True)


def is_private(request) -> bool:
    """Whether ``mark_private`` was called on ``request``."""
    return bool(getattr(request, _PRIVATE_ATTR, False))


def is_cacheable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != SERVE_URL_NAME:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if is_private(request):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    if get_nonce(request):
        # The page carries this request's CSP nonce: a replay would carry a stale one (the CSP
        # middleware, outside this one, sends a fresh policy with every response).
        return False
    return "*" not in response.get("Vary", "")


def mark_public(response) -> None:
    """``public, max-age`` and ``Vary: Cookie`` (not ``Accept-Language``: see the module)."""
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    vary = [v for v in vary if v.lower() not in {"accept-language", "cookie"}] + ["Cookie"]
    response["Vary"] = ", ".join(vary)


class PageCacheMiddleware:
    """Serve and store anonymous public pages (see the module). Place it right after
    WhiteNoise, before the session middleware: a hit costs one cache round trip and skips
    sessions, i18n, authentication and the page's rendering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or request.method not in ("GET", "HEAD") or has_session_cookie(request):
            return self.get_response(request)
        cache = page_cache()
        key = entry_key(request)
        try:
            found = cache.get_many([key, GENERATION_KEY])
        except Exception:
            logger.exception("page cache: lookup failed")
            return self.get_response(request)
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            return self.replay(request, entry)

        response = self.get_response(request)
        if request.method == "GET" and is_cacheable(request, response):
            mark_public(response)
            try:
                if generation is None:
                    generation = current_generation(cache)
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in DROPPED_HEADERS
                ]
                cache.set(
                    key,
                    (generation, response.status_code, headers, response.content),
                    timeout=settings.PAGE_CACHE_TIMEOUT,
                )
                response["X-Cache"] = "MISS"
            except Exception:
                logger.exception("page cache: store failed")
        return response

    @staticmethod
    def replay(request, entry):
        _generation, status, headers, content = entry
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        response["X-Cache"] = "HIT"
        return response


# --- Invalidation --------------------------------------------------------------------------


def _invalidating_models():
    from django.contrib.auth.models import Group
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction, Site

    return (
        Page,
        PageViewRestriction,
        CollectionViewRestriction,
        Site,
        BaseSiteSetting,
        BaseGenericSetting,
        AbstractImage,
        AbstractDocument,
        # Shared data of signed-in pages (cms/snapshots.py): the locales, and the groups of the
        # view restrictions (deleting a group drops it from them without an m2m signal).
        Locale,
        Group,
    )


_MODELS: tuple = ()
_SETTINGS: tuple = ()


def _on_model_change(sender, instance, created=False, **kwargs):
    if isinstance(instance, _MODELS):
        # A settings row created on first read holds the defaults pages already show.
        if created and isinstance(instance, _SETTINGS):
            return
        invalidate()


def _on_page_event(sender, **kwargs):
    invalidate()


def _on_restriction_groups_change(sender, action, **kwargs):
    """The groups of a page or collection view restriction (a form saves them after the
    restriction itself: without this, a request in between could cache the old groups under the
    new token)."""
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate()


def connect_signals() -> None:
    """Called from CmsConfig.ready()."""
    global _MODELS, _SETTINGS
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.signals import page_published, page_unpublished, post_page_move

    _MODELS = _invalidating_models()
    _SETTINGS = (BaseSiteSetting, BaseGenericSetting)
    post_save.connect(_on_model_change, dispatch_uid="pagecache_post_save")
    post_delete.connect(_on_model_change, dispatch_uid="pagecache_post_delete")
    page_published.connect(_on_page_event, dispatch_uid="pagecache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="pagecache_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="pagecache_moved")

    from django.db.models.signals import m2m_changed
    from wagtail.models import CollectionViewRestriction, PageViewRestriction

    for model in (PageViewRestriction, CollectionViewRestriction):
        m2m_changed.connect(
            _on_restriction_groups_change,
            sender=model.groups.through,
            dispatch_uid=f"pagecache_groups_{model.__name__}",
        )

    # The shared data of signed-in pages: a token read once per request.
    from . import snapshots

    snapshots.connect_signals()
