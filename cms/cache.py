"""The page cache: anonymous responses of public Wagtail pages, kept in the shared cache (Redis).

What is stored (all of it must hold):

- a GET (HEAD is answered from the GET entry) of a page served by Wagtail (``wagtail_serve``);
- a request without a session cookie: whoever carries one may be signed in, and is never served
  from, nor stored into, the cache (SAML's pre-login cookie counts as well);
- a 200 response, not streamed, without ``Set-Cookie``, without ``private``, ``no-store`` or
  ``no-cache``, from a page without a view restriction (``request.portal_private``), for a user
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
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
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


def current_generation(cache=None) -> str:
    """The current token, created when missing (first use, or evicted)."""
    cache = cache or page_cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def bump_generation() -> None:
    """Invalidate every stored page (a new token)."""
    try:
        page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage must not break publishing; entries expire anyway
        logger.exception("page cache: could not bump the generation")


def invalidate() -> None:
    """Bump now and again when the transaction commits.

    Bumping now hides the old pages at once; bumping on commit discards what a concurrent
    request may have stored from the old data between the two.
    """
    bump_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump_generation)


def is_cacheable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != SERVE_URL_NAME:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "portal_private", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
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
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site

    return (
        Page,
        PageViewRestriction,
        CollectionViewRestriction,
        Site,
        BaseSiteSetting,
        BaseGenericSetting,
        AbstractImage,
        AbstractDocument,
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
