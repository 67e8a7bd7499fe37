"""Site search: the results page (``/cerca/``). The search API and the header's autocomplete
are in ``search/api/``; both read the request the same way (``search/query.py``) and ask the
same engine (``search.engine``).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from . import engine, text
from .query import private, promotions, read_request, run


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
    return private(TemplateResponse(request, "search/search.html", context), request)
