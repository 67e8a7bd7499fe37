"""Site search: the results page (/cerca/), the search API and the header's autocomplete.

The three share one reading of the request (``read_request``) and one engine
(``search.engine``): the same visibility, facets, counts and order whichever door is used.
"""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from cms import access

from . import engine, text

logger = logging.getLogger(__name__)

MAX_TAG_LENGTH = 100
AUTOCOMPLETE_LIMIT = 8


class _Window:
    """The current page of merged hits, posing as the whole list for Django's Paginator."""

    def __init__(self, outcome):
        self.outcome = outcome

    def count(self):
        return min(self.outcome.count, engine.MAX_PAGE * self.outcome.request.page_size)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        return self.outcome.hits


def _language(request) -> str:
    wanted = request.GET.get("lang", "")[:8]
    languages = {code for code, _name in _languages()}
    return wanted if wanted in languages else translation.get_language()


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


def _locale(language_code):
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
        locale=_locale(language or translation.get_language()),
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


def _private(response, request):
    if request.user.is_authenticated:
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@require_GET
def search(request):
    search_request, notes = read_request(request)
    outcome = run(search_request)
    results = None
    if outcome is not None:
        results = Paginator(_Window(outcome), search_request.page_size).page(search_request.page)
    context = {
        "search_query": notes["shown"],
        "notes": notes,
        "outcome": outcome,
        "results": results,
        "promotions": promotions(search_request, notes["shown"]) if outcome else [],
        "current_type": search_request.kind,
        "current_tag": search_request.tag,
        "current_sort": search_request.sort,
        "max_query_length": text.MAX_QUERY_LENGTH,
    }
    return _private(TemplateResponse(request, "search/search.html", context), request)


def _hit_json(hit):
    return {
        "type": hit.kind,
        "type_label": str(hit.kind_label),
        "title": hit.title,
        "url": hit.url,
        "snippet": text.plain(hit.snippet),
        "snippet_html": str(hit.snippet),
        "date": hit.date.isoformat() if hit.date else None,
        "tags": [{"name": name, "slug": slug} for name, slug in hit.tags],
    }


@require_GET
def api_search(request):
    """``GET /api/search/?q=&type=&tag=&sort=&page=&lang=``: the results page, as JSON."""
    language = _language(request)
    with translation.override(language):
        search_request, notes = read_request(request, language)
        outcome = run(search_request)
        data = {
            "query": notes["shown"],
            "searched": search_request.text,
            "language": language,
            "truncated": notes["truncated"],
            "type": search_request.kind or None,
            "tag": search_request.tag or None,
            "sort": search_request.sort,
            "count": 0,
            "total": 0,
            "page": 1,
            "num_pages": 1,
            "page_size": search_request.page_size,
            "similar_words": False,
            "facets": [],
            "promoted": [],
            "results": [],
        }
        if not search_request.text:
            data["message"] = (
                _("Type one or more words to search for.")
                if not notes["ignored"]
                else _("Your search contained no words we could look for. Try other words.")
            )
        if outcome is not None:
            data.update(
                count=outcome.count,
                total=outcome.total,
                page=search_request.page,
                num_pages=outcome.num_pages,
                similar_words=search_request.prefix,
                facets=[
                    {"type": key, "label": str(label), "count": count}
                    for key, label, count in outcome.facets
                ],
                promoted=promotions(search_request, notes["shown"]),
                results=[_hit_json(hit) for hit in outcome.hits],
            )
    return _private(JsonResponse(data, json_dumps_params={"ensure_ascii": False}), request)


@require_GET
def autocomplete(request):
    """``GET /api/search/autocomplete/?q=&lang=``: up to 8 titles (pages, topics) that start
    with the words typed, for the header's search box."""
    language = _language(request)
    with translation.override(language):
        query = text.clean_query(request.GET.get("q", ""))
        results = []
        if len(query) >= 2:
            search_request = engine.SearchRequest(
                user=request.user,
                text=query,
                locale=_locale(language),
                page_size=AUTOCOMPLETE_LIMIT,
                http_request=request,
            )
            try:
                results = [
                    {
                        "title": hit.title,
                        "url": hit.url,
                        "type": hit.kind,
                        "type_label": str(hit.kind_label),
                    }
                    for hit in engine.suggest(search_request, AUTOCOMPLETE_LIMIT)
                ]
            except DatabaseError:
                logger.warning("autocomplete failed for a cleaned query", exc_info=True)
    return _private(JsonResponse({"query": query, "results": results}), request)
