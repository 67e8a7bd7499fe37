"""One query per source on PostgreSQL (Wagtail's database backend): counts and hits together.

Wagtail's backend answers a count, a facet and a ranked page of results with one full-text query
each, so the results page ran four of them (page facets, page hits, reply count, reply hits), each
matching and ranking the same rows. Here each source runs **one** statement:

- pages: the backend's own query (visibility filter, language, tag, rank) becomes a materialised
  CTE, from which the facet counts (``GROUP BY content_type_id``) and the top hits are read;
- topics: the backend's ranked query with ``COUNT(*) OVER ()``: the count rides on the hits;
- replies: the backend's query over Wagtail's index joins every visible reply to its index entry
  and rechecks the text there (a member sees thousands of replies). Instead the text is matched
  on the reply row itself: ``discussions_reply.search_vector``, a stored generated column
  (``to_tsvector('italian', body_html)``, migration ``portal_search.0002``, PostgreSQL only) with
  a GIN index. The visibility filter (``space_id``) and the text filter then meet on one table
  (a ``BitmapAnd`` of two indexes) and only the matching visible replies are read. The column is
  computed by PostgreSQL from the rendered reply, so it can never be stale; HTML tags are not
  indexed by the text parser. The query (``tsquery``) and the rank weights are the backend's own.

- English pages: the backend indexes everything with one configuration (``italian``). A search
  in English (the English results page) matches the English pages' text with the ``english``
  configuration instead: the vector is computed from the index entry's plain text
  (``title_text``, ``body_text``) of each English page the user may see, in the query; English
  content is a small part of the portal, so no stored column or second index is kept for it.

Visibility is untouched: every queryset still comes from the access policy, as in ``engine``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, IntegerField, Value
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend

from cms.settings.search import is_database_backend

#: The generated column on ``discussions_reply`` (``portal_search.0002``).
REPLY_VECTOR_COLUMN = "search_vector"


def available(request) -> bool:
    """Whether the one-query path applies: PostgreSQL and the database backend. (The typo-tolerant
    try's prefix queries go through it too: the backend's autocomplete compiler builds them.)"""
    return connection.vendor == "postgresql" and is_database_backend()


def backend_query(results):
    """The backend's ranked, unsliced queryset behind ``results`` (a ``SearchResults``)."""
    return results.get_queryset()


def tsquery_of(results):
    """The backend's ``tsquery`` expression and rank weights for ``results``' query."""
    compiler = results.query_compiler
    config = compiler.get_config(get_search_backend())
    return compiler.build_tsquery(compiler.query, config=config), compiler.sql_weights


def facets_and_hits(queryset, facet_column, wanted_facets, order, limit):
    """One statement over ``queryset`` (the backend's matches, annotated ``_score`` and
    ``_date``): ``({facet value: count}, [(pk, score)])`` — the count of every row per value of
    ``facet_column``, and the first ``limit`` rows whose facet is in ``wanted_facets`` (all rows
    when None) by ``order`` (``relevance``: score; ``date``: newest first).

    The matches are a materialised CTE of four narrow columns, read twice: PostgreSQL matches
    and ranks once, and the whole objects are fetched afterwards for the hits shown only. (A
    plain ``ORDER BY date LIMIT n`` lets the planner walk a date index backwards and test every
    row's text until it has found ``n``: hundreds of milliseconds for a rare word.)"""
    inner = queryset.order_by().values_list("pk", facet_column, "_score", "_date")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. a tag no page carries)
        return {}, []
    order_sql = "score DESC, id DESC" if order == "relevance" else "date DESC NULLS LAST, id DESC"
    where, where_params = "", []
    if wanted_facets is not None:
        where, where_params = "WHERE facet = ANY(%s)", [list(wanted_facets)]
    statement = (
        f"WITH m (id, facet, score, date) AS MATERIALIZED ({sql}) "  # noqa: S608 - compiled SQL
        "SELECT 0 AS part, NULL AS id, facet, COUNT(*)::float8 AS score FROM m GROUP BY facet "
        "UNION ALL "
        f"(SELECT 1, id, facet, score FROM m {where} ORDER BY {order_sql} LIMIT %s)"
    )
    counts: dict = {}
    hits: list[tuple] = []
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *where_params, limit])
        for part, pk, facet, value in cursor.fetchall():
            if part == 0:
                counts[facet] = int(value)
            else:
                hits.append((pk, float(value or 0)))
    return counts, hits


def count_and_hits(queryset, date_column, order, limit, fetch):
    """``(count, [(object, score)])`` for a source of one facet: the count of ``queryset``'s
    rows and its first ``limit`` objects (``fetch(pks)`` gives them, as a dict by pk)."""
    ranked = queryset.annotate(_date=F(date_column), _facet=Value(0, output_field=IntegerField()))
    counts, rows = facets_and_hits(ranked, "_facet", None, order, max(limit, 0))
    count = sum(counts.values())
    if not rows:
        return count, []
    objects = fetch([pk for pk, _score in rows])
    return count, [(objects[pk], score) for pk, score in rows if pk in objects]


def reply_vector():
    return RawSQL(  # noqa: S611 - a constant column name, no parameters
        f'"discussions_reply"."{REPLY_VECTOR_COLUMN}"', [], output_field=SearchVectorField()
    )


def matching_replies(results, queryset):
    """The replies of ``queryset`` (visibility-filtered) matching ``results``' query on their
    own ``search_vector``, with ``_score``."""
    tsquery, weights = tsquery_of(results)
    if tsquery is None:
        return queryset.none()
    matched = queryset.annotate(_vector=reply_vector()).filter(_vector=tsquery)
    matched = matched.annotate(_score=SearchRank(F("_vector"), tsquery, weights=weights))
    return matched


#: Text search configuration of each language whose pages are not stemmed as Italian.
CONFIG_OF_LANGUAGE = {"en": "english"}


def config_for(request) -> str | None:
    """The configuration for ``request``'s pages when it is not the backend's own, else None."""
    locale = request.locale
    if locale is None or request.prefix or request.autocomplete:
        return None
    return CONFIG_OF_LANGUAGE.get(locale.language_code)


def pages_in_language(queryset, text: str, config: str):
    """The pages of ``queryset`` (visibility-filtered, one language) whose indexed text matches
    ``text`` as stemmed by ``config``, annotated ``_score``: the title weighs as the backend's
    title field does (``A``), the body as its body (``D``)."""
    from django.contrib.postgres.search import SearchQuery

    vector = RawSQL(  # noqa: S611 - the configuration comes from CONFIG_OF_LANGUAGE; no input
        "(SELECT setweight(to_tsvector(%s::regconfig, coalesce(e.title_text, '')), 'A')"
        " || to_tsvector(%s::regconfig, coalesce(e.body_text, ''))"
        " FROM wagtailsearch_indexentry e"
        ' WHERE e.content_type_id = "wagtailcore_page"."content_type_id"'
        ' AND e.object_id = ("wagtailcore_page"."id")::varchar)',
        [config, config],
        output_field=SearchVectorField(),
    )
    query = SearchQuery(text, config=config, search_type="plain")
    return (
        queryset.annotate(_vector=vector)
        .filter(_vector=query)
        .annotate(_score=SearchRank(F("_vector"), query))
    )
