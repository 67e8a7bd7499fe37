"""Site search. The visible set comes from the access policy and is part of the query."""

import logging
import re

from django.db import DatabaseError
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from cms.models import paginate
from communities import access

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
# Full-text backends give operators and punctuation their own meaning; visitors mean words.
NON_WORD = re.compile(r"[^\w\s'’-]+", re.UNICODE)


def clean_query(raw: str) -> str:
    """What the visitor typed, as plain words: no operators, control characters or excess."""
    text = NON_WORD.sub(" ", raw.replace("\x00", " "))
    words = [w.strip("'’-") for w in text.split()]
    words = [w for w in words if w and w.upper() not in {"AND", "OR", "NOT", "NEAR"}]
    return " ".join(words)[:MAX_QUERY_LENGTH]


def search(request):
    shown_query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    query = clean_query(shown_query)
    results = None
    if query:
        pages = access.visible_pages(request.user, Page.objects.all())
        locale = Locale.objects.filter(language_code=get_language()).first()
        if locale:
            pages = pages.filter(locale=locale)
        try:
            results = paginate(request, pages.search(query, operator="and"), per_page=10)
            results.object_list = list(results.object_list)
        except DatabaseError:
            logger.warning("search failed for a cleaned query", exc_info=True)
            results = paginate(request, [], per_page=10)
    return TemplateResponse(
        request, "search/search.html", {"search_query": shown_query, "results": results}
    )
