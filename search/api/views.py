"""The search API: ``/api/search/`` (the results page as JSON) and ``/api/search/autocomplete/``
(the header's search box). Same reading of the request and same engine as the results page."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import engine, text
from ..query import locale_for, private, promotions, read_request, request_language, run

logger = logging.getLogger(__name__)

AUTOCOMPLETE_LIMIT = 8


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
    language = request_language(request)
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
    return private(JsonResponse(data, json_dumps_params={"ensure_ascii": False}), request)


@require_GET
def autocomplete(request):
    """``GET /api/search/autocomplete/?q=&lang=``: up to 8 titles (pages, topics) that start
    with the words typed, for the header's search box."""
    language = request_language(request)
    with translation.override(language):
        query = text.clean_query(request.GET.get("q", ""))
        results = []
        if len(query) >= 2:
            search_request = engine.SearchRequest(
                user=request.user,
                text=query,
                locale=locale_for(language),
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
    return private(JsonResponse({"query": query, "results": results}), request)
