"""One reading of a search request, shared by the results page (``search/views.py``) and the
search API (``search/api/views.py``): what was asked (``read_request``), the engine's answer
(``run``), the editors' picks (``promotions``) and the caching headers (``private``).

Both doors use the same engine (``search.engine``): the same visibility, facets, counts and order
whichever door is used.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from cms import access

from . import engine, text

logger = logging.getLogger(__name__)

MAX_TAG_LENGTH = 100


def request_language(request) -> str:
    """The API's language: ``?lang=`` if it is one of the site's languages, else the request's."""
    wanted = request.GET.get("lang", "")[:8]
    languages = {code for code, _name in _languages()}
    return wanted if wanted in languages else translation.get_language()


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


def locale_for(language_code):
    return Locale.objects.filter(language_code=language_code).first()


def _int(value, default=1) -> int:
    try:
        return max(1, int(str(value)[:6]))
    except (TypeError, ValueError):
        return default


def read_request(request, language=None) -> tuple[engine.SearchRequest, dict]:
    """The search asked for by ``request.GET``, and notes on what was adjusted."""
    raw = request.GET.get("q", "")
    shown = text.shown_query(raw)
    query = text.clean_query(raw)
    kind = request.GET.get("type", "").strip()[:20]
    if kind not in engine.FACET_LABELS:
        kind = ""
    tag = text.shown_query(request.GET.get("tag", "")).strip()[:MAX_TAG_LENGTH]
    sort = request.GET.get("sort", engine.RELEVANCE)
    if sort not in engine.SORTS:
        sort = engine.RELEVANCE
    search_request = engine.SearchRequest(
        user=request.user,
        text=query,
        locale=locale_for(language or translation.get_language()),
        kind=kind,
        tag=tag,
        sort=sort,
        page=_int(request.GET.get("page", 1)),
        http_request=request,
    )
    notes = {
        "shown": shown,
        "truncated": len(" ".join(shown.split())) > text.MAX_QUERY_LENGTH,
        "ignored": bool(shown.strip()) and not query,
    }
    return search_request, notes


def run(search_request):
    """The engine's outcome, or ``None`` (logged) if the backend failed on this input."""
    if not search_request.text:
        return None
    try:
        return engine.search_with_fallback(search_request)
    except DatabaseError:
        logger.warning("search failed for a cleaned query", exc_info=True)
        return engine.Outcome(request=search_request, hits=[], count=0, facets=[], total=0)


def promotions(search_request, shown):
    """Editors' picks for this query (wagtail.contrib.search_promotions) that the user may see."""
    if not shown or search_request.kind or search_request.tag or search_request.page > 1:
        return []
    picks = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(shown)[:255])
        .select_related("page")
        .order_by("sort_order")
    )
    # Most queries have no picks: the access policy is asked only about the pages picked.
    page_ids = {pick.page_id for pick in picks if pick.page_id}
    if page_ids:
        visible = set(
            access.visible_pages(
                search_request.user, Page.objects.filter(pk__in=page_ids)
            ).values_list("pk", flat=True)
        )
        picks = [pick for pick in picks if not pick.page_id or pick.page_id in visible]
    return [
        {
            "title": pick.title,
            "url": pick.page.url if pick.page_id else pick.external_link_url,
            "description": pick.description,
        }
        for pick in picks
    ]


def private(response, request):
    """``response`` is never stored by a shared cache when the user is signed in; it varies
    with the session and the language."""
    if request.user.is_authenticated:
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
