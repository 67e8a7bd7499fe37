"""The site search: a registry of sources, each searched with the user's visibility filter in
the query itself; facets by type, a tag filter, relevance or date order, exact counts.

A *source* searches one kind of indexed object (the pages; the topics; the replies) and reports
per-facet counts. Every queryset a source searches is built by the access policy
(``cms.access``: ``visible_pages``, ``searchable_topics``, ``visible_replies``) before
the backend sees it, so what a user may not read is never counted, never ranked and never shown.

The result list of all types is merged from the sources: for page *n* each source returns its
first ``n × page_size`` hits in the requested order, and the merge keeps the right window. Counts
are the sources' exact counts. Nothing is filtered after the query.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.urls import NoReverseMatch
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from cms import access
from cms.settings.search import is_database_backend
from discussions import permissions as discussion_permissions

from . import postgres, text

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
#: The deepest results page served (the list of all types is merged up to this depth).
MAX_PAGE = 50
RELEVANCE = "relevance"
DATE = "date"
SORTS = (RELEVANCE, DATE)


@dataclass(frozen=True)
class Facet:
    key: str
    label: Any


FACETS = [
    Facet("news", _("News")),
    Facet("faq", _("FAQ")),
    Facet("kit", _("Document kits")),
    Facet("webinar", _("Webinars")),
    Facet("resource", _("Resources")),
    Facet("community", _("Community pages")),
    Facet("course", _("Academy courses")),
    Facet("topic", _("Discussion topics")),
    Facet("reply", _("Replies")),
    Facet("other", _("Other pages")),
]
FACET_LABELS = {facet.key: facet.label for facet in FACETS}

#: The facet of each page type; page types not listed are "other".
PAGE_FACETS = {
    "cms.newsindexpage": "news",
    "cms.newspage": "news",
    "faq.faqindexpage": "faq",
    "kits.kitindexpage": "kit",
    "kits.kitpage": "kit",
    "webinars.webinarindexpage": "webinar",
    "webinars.webinarpage": "webinar",
    "cms.resourcespage": "resource",
    "materials.materialpage": "resource",
    "communities.communityindexpage": "community",
    "communities.communitypage": "community",
    "communities.communityareapage": "community",
    "communities.reservedpage": "community",
    "communities.workinggrouppage": "community",
    "academy.academypage": "course",
    "academy.coursepage": "course",
}
#: Page types whose tags the tag filter looks at (``tags`` through a TaggedItemBase).
TAGGED_PAGE_MODELS = (
    "cms.NewsPage",
    "kits.KitPage",
    "webinars.WebinarPage",
    "materials.MaterialPage",
)


@dataclass
class SearchRequest:
    user: Any
    text: str
    locale: Any = None
    kind: str = ""
    tag: str = ""
    sort: str = RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE
    prefix: bool = False  # the typo-tolerant second try: words as prefixes
    http_request: Any = None  # for page URLs relative to the current site
    autocomplete: bool = False  # the header's suggestions: titles starting with the words

    @property
    def stop(self) -> int:
        return self.page * self.page_size


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    date: datetime.datetime | None
    score: float
    obj: Any = None
    body: Any = None  # a callable giving the plain text the snippet is cut from
    snippet: SafeString = ""
    context: str = ""
    tags: list = field(default_factory=list)

    @property
    def kind_label(self):
        return FACET_LABELS.get(self.kind, self.kind)

    def sort_key(self, sort):
        """The merge key. Only the order's own value: the merge is a stable sort, so hits of one
        source keep the backend's order (and its tie-breaks) and pages never overlap."""
        if sort == DATE:
            return self.date or datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return self.score


def relevance(obj) -> float:
    """The backend's score of ``obj``, higher is better (SQLite's bm25 is lower-is-better)."""
    score = float(getattr(obj, "_score", 0) or 0)
    if connection.vendor == "sqlite" and is_database_backend():
        return -score
    return score


def run_backend(request: SearchRequest, queryset, order_by=None):
    """The backend's search (or prefix search) of ``queryset``, already visibility-filtered."""
    backend = get_search_backend()
    method = backend.autocomplete if request.prefix or request.autocomplete else backend.search
    query_text = text.loosened(request.text) if request.prefix else request.text
    # The typo-tolerant try accepts any of the words (only the last one is a prefix).
    operator = "or" if request.prefix else "and"
    if request.sort == DATE and order_by:
        return method(
            query_text, queryset.order_by(*order_by), operator=operator, order_by_relevance=False
        )
    return method(query_text, queryset, operator=operator, order_by_relevance=True)


class Source:
    facet_keys: tuple[str, ...] = ()
    #: Whether the header's autocomplete offers this source's titles.
    suggests = False

    def available(self) -> bool:
        return True

    def counts(self, request: SearchRequest) -> dict[str, int]:
        raise NotImplementedError

    def hits(self, request: SearchRequest, keys: set[str], stop: int) -> list[Hit]:
        raise NotImplementedError

    def search(self, request: SearchRequest, keys: set[str], stop: int):
        """``(counts, hits)``: the counts of every facet of this source and the first ``stop``
        hits of the facets in ``keys``. The backend's path: a count query, then a hits query;
        on PostgreSQL sources override it with one statement (``search.postgres``)."""
        counts = self.counts(request)
        hits = []
        if keys and any(counts[key] for key in keys):
            hits = self.hits(request, keys, stop)
        return counts, hits


class PageSource(Source):
    """Every page type, in the request's language, as the access policy lets the user see."""

    facet_keys = ("news", "faq", "kit", "webinar", "resource", "community", "course", "other")
    suggests = True

    @cached_property
    def _facet_of_content_type(self) -> dict[int, str]:
        mapping = {}
        for model in apps.get_models():
            if issubclass(model, Page) and model is not Page:
                label = model._meta.label_lower
                content_type = ContentType.objects.get_for_model(model)
                mapping[content_type.pk] = PAGE_FACETS.get(label, "other")
        return mapping

    def facet_of(self, content_type_id) -> str:
        return self._facet_of_content_type.get(content_type_id, "other")

    def content_types_for(self, keys) -> list[int]:
        return [pk for pk, key in self._facet_of_content_type.items() if key in keys]

    def queryset(self, request: SearchRequest):
        pages = Page.objects.filter(depth__gt=1)
        if request.locale is not None:
            pages = pages.filter(locale=request.locale)
        if request.tag:
            pages = pages.filter(pk__in=tagged_page_ids(request.tag))
        return access.visible_pages(request.user, pages)

    def counts(self, request):
        results = run_backend(request, self.queryset(request))
        counts = dict.fromkeys(self.facet_keys, 0)
        for content_type_id, count in results.facet("content_type_id").items():
            counts[self.facet_of(content_type_id)] += count
        return counts

    def hits(self, request, keys, stop):
        queryset = self.queryset(request)
        if set(keys) != set(self.facet_keys):
            queryset = queryset.filter(content_type__in=self.content_types_for(keys))
        results = run_backend(
            request, queryset.specific(), order_by=("-first_published_at", "-id")
        ).annotate_score("_score")
        return [self.hit(request, page, relevance(page)) for page in results[:stop]]

    def hit(self, request, page, score) -> Hit:
        return Hit(
            kind=self.facet_of(page.content_type_id),
            title=page.title,
            url=page.get_url(request.http_request) or "",
            body=partial(text.searchable_text, page),
            date=page.first_published_at,
            score=score,
            obj=page,
        )

    def search(self, request, keys, stop):
        if not postgres.available(request):
            return super().search(request, keys, stop)
        config = postgres.config_for(request)
        if config:  # English pages, stemmed as English
            ranked = postgres.pages_in_language(self.queryset(request), request.text, config)
        else:
            results = run_backend(request, self.queryset(request)).annotate_score("_score")
            ranked = postgres.backend_query(results)
        ranked = ranked.annotate(_date=F("first_published_at"))
        by_type, rows = postgres.facets_and_hits(
            ranked, "content_type_id", self.content_types_for(keys), request.sort, stop
        )
        counts = dict.fromkeys(self.facet_keys, 0)
        for content_type_id, count in by_type.items():
            counts[self.facet_of(content_type_id)] += count
        pages = Page.objects.filter(pk__in=[pk for pk, _score in rows]).specific().in_bulk()
        return counts, [self.hit(request, pages[pk], score) for pk, score in rows if pk in pages]


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # the discussions' URLs are not mounted
        return ""


def finish(hits: list[Hit], query: str) -> list[Hit]:
    """Snippets and tags for the hits shown (one query per tagged model among them)."""
    by_model: dict[type, list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.body is not None:
            hit.snippet = text.snippet(" ".join(str(hit.body() or "").split()), query)
        through = getattr(getattr(type(hit.obj), "tags", None), "through", None)
        if through is not None:
            by_model[through].append(hit)
    for through, group in by_model.items():
        tags = defaultdict(list)
        rows = through.objects.filter(
            content_object_id__in=[hit.obj.pk for hit in group]
        ).select_related("tag")
        for row in rows.order_by("tag__name"):
            tags[row.content_object_id].append((row.tag.name, row.tag.slug))
        for hit in group:
            hit.tags = tags[hit.obj.pk]
    return hits


def tagged_page_ids(tag_slug: str) -> list[int]:
    """Ids of the pages tagged ``tag_slug`` (one query per tagged page type, small lists)."""
    ids: list[int] = []
    for label in TAGGED_PAGE_MODELS:
        model = apps.get_model(label)
        through = model.tags.through
        ids += through.objects.filter(tag__slug=tag_slug).values_list(
            "content_object_id", flat=True
        )
    return ids


def filters_on_tag_slug(model) -> bool:
    """Whether ``model``'s index can filter on its tags' slug (``RelatedFields("tags", [...,
    FilterField("slug")])``): without it a tag filter cannot be part of the query, and the
    model's objects are left out of tag-filtered searches rather than filtered afterwards."""
    for search_field in model.get_search_fields():
        if isinstance(search_field, index.RelatedFields) and search_field.field_name == "tags":
            return any(
                isinstance(sub, index.FilterField) and sub.field_name == "slug"
                for sub in search_field.fields
            )
    return False


class TopicSource(Source):
    facet_keys = ("topic",)
    suggests = True

    def available(self):
        return apps.is_installed("discussions")

    def queryset(self, request):
        from discussions.models import Topic

        topics = discussion_permissions.searchable_topics(request.user, Topic.objects.all())
        if request.tag:
            if not filters_on_tag_slug(Topic):
                return topics.none()
            topics = topics.filter(tags__slug=request.tag)
        return topics

    def _results(self, request):
        return run_backend(request, self.queryset(request), order_by=("-last_activity_at",))

    def counts(self, request):
        return {"topic": self._results(request).count()}

    def hits(self, request, keys, stop):
        results = self._results(request).annotate_score("_score")
        return [self.hit(topic, relevance(topic)) for topic in results[:stop]]

    def hit(self, topic, score) -> Hit:
        return Hit(
            kind="topic",
            title=topic.title,
            url=_url(topic),
            body=partial(getattr, topic, "body"),
            date=topic.last_activity_at,
            score=score,
            obj=topic,
        )

    def search(self, request, keys, stop):
        if not postgres.available(request):
            return super().search(request, keys, stop)
        results = self._results(request).annotate_score("_score")
        count, topics = postgres.count_and_hits(
            postgres.backend_query(results),
            "last_activity_at",
            request.sort,
            stop if keys else 0,
            lambda pks: self.queryset(request).in_bulk(pks),
        )
        return {"topic": count}, [self.hit(topic, score) for topic, score in topics]


class ReplySource(Source):
    facet_keys = ("reply",)

    def available(self):
        return apps.is_installed("discussions")

    def model(self):
        from discussions.models import Reply

        return Reply

    def queryset(self, request):
        from discussions.models import Reply

        return discussion_permissions.visible_replies(
            request.user, Reply.objects.select_related("topic")
        )

    def _results(self, request):
        return run_backend(request, self.queryset(request), order_by=("-submit_date",))

    def counts(self, request):
        if request.tag:  # replies carry no tags
            return {"reply": 0}
        return {"reply": self._results(request).count()}

    def hits(self, request, keys, stop):
        if request.tag:
            return []
        results = self._results(request).annotate_score("_score")
        return [self.hit(reply, relevance(reply)) for reply in results[:stop]]

    def hit(self, reply, score) -> Hit:
        return Hit(
            kind="reply",
            title=reply.topic.title,
            url=_url(reply),
            body=partial(getattr, reply, "comment"),
            date=reply.submit_date,
            score=score,
            obj=reply,
        )

    def search(self, request, keys, stop):
        if (
            request.prefix or request.autocomplete
        ) and not self.model().get_autocomplete_search_fields():
            # Prefix queries look at autocomplete fields only (titles): replies have none, so
            # nothing can match and the backend need not join every visible reply to find out.
            return {"reply": 0}, []
        if request.tag or not postgres.available(request):
            return super().search(request, keys, stop)
        queryset = self.queryset(request)
        count, replies = postgres.count_and_hits(
            postgres.matching_replies(self._results(request), queryset),
            "submit_date",
            request.sort,
            stop if keys else 0,
            queryset.in_bulk,
        )
        return {"reply": count}, [self.hit(reply, score) for reply, score in replies]


#: The registry: a new kind of searchable content is one more source here.
SOURCES: list[Source] = [PageSource(), TopicSource(), ReplySource()]


def sources() -> list[Source]:
    return [source for source in SOURCES if source.available()]


@dataclass
class Outcome:
    request: SearchRequest
    hits: list[Hit]
    count: int
    facets: list[tuple[str, Any, int]]
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.count // self.request.page_size)))


def search(request: SearchRequest) -> Outcome:
    """Search every source for ``request``: the current page of hits, counts per facet."""
    active = sources()
    available = {key for source in active for key in source.facet_keys}
    keys = {request.kind} if request.kind in available else available
    request.page = max(1, min(request.page, MAX_PAGE))
    counts: dict[str, int] = {}
    found: dict[Source, list[Hit]] = {}
    for source in active:
        source_counts, found[source] = source.search(
            request, keys & set(source.facet_keys), request.stop
        )
        counts.update(source_counts)
    facets = [(f.key, f.label, counts[f.key]) for f in FACETS if f.key in counts]
    total = sum(counts.values())
    count = sum(counts[key] for key in keys)
    page_count = max(1, min(MAX_PAGE, -(-count // request.page_size)))
    if request.page > page_count:  # past the last page: show the last one (a second pass)
        request.page = page_count
        for source in active:
            wanted = keys & set(source.facet_keys)
            found[source] = (
                source.hits(request, wanted, request.stop)
                if wanted and any(counts[key] for key in wanted)
                else []
            )
    hits: list[Hit] = [hit for source in active for hit in found[source]]
    hits.sort(key=lambda hit: hit.sort_key(request.sort), reverse=True)
    start = (request.page - 1) * request.page_size
    return Outcome(
        request=request,
        hits=finish(hits[start : start + request.page_size], request.text),
        count=count,
        facets=facets,
        total=total,
    )


def search_with_fallback(request: SearchRequest) -> Outcome:
    """The search; when nothing matches, a second, typo-tolerant try (words as prefixes)."""
    outcome = search(request)
    if outcome.total == 0 and request.text and text.loosened(request.text) != "":
        request.prefix = True
        retry = search(request)
        if retry.total:
            return retry
        request.prefix = False
    return outcome


def suggest(request: SearchRequest, limit: int) -> list[Hit]:
    """Titles for the header's autocomplete: the best ``limit`` pages and topics whose title
    words start with what was typed, as the user may see them."""
    request.autocomplete = True
    request.page = 1
    hits: list[Hit] = []
    for source in sources():
        if source.suggests:
            hits += source.hits(request, set(source.facet_keys), limit)
    hits.sort(key=lambda hit: hit.sort_key(RELEVANCE), reverse=True)
    return hits[:limit]
