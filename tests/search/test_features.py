"""Facets, tags, order, pagination across sources, typo tolerance, promotions, query counts."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search import engine
from tests import factories as base
from tests.communities.conftest import user_for
from tests.discussions.factories import ReplyFactory, TopicFactory

pytestmark = pytest.mark.django_db

WORD = "mongolfiera"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The search world plus 14 news items, 2 topics and 9 replies carrying WORD."""
    from django.db import transaction

    from tests.conftest import build_site

    from .conftest import add_search_content, build_world

    with django_db_blocker.unblock(), transaction.atomic():
        w = add_search_content(build_world(build_site()))
        start = timezone.now() - datetime.timedelta(days=100)
        w.news = [
            base.NewsPageFactory(
                parent=w.tree.news_index,
                title=f"Volo numero {n}",
                summary=f"Una {WORD} sopra il Comune {n}.",
                first_published_at=start + datetime.timedelta(days=3 * n),
            )
            for n in range(14)
        ]
        w.news[0].tags.add("sicurezza")
        w.news[0].save()
        w.topics = [
            TopicFactory(
                space=w.community,
                title=f"Discussione {n}",
                body=f"La {WORD} e il vento.",
                tags=["sicurezza"] if n == 0 else [],
            )
            for n in range(2)
        ]
        w.replies = [
            ReplyFactory(
                topic=w.topics[n % 2],
                comment=f"Risposta {n} sulla {WORD}.",
                submit_date=start + datetime.timedelta(days=3 * n + 1),
            )
            for n in range(9)
        ]
        yield w
        transaction.set_rollback(True)


def run(world, column="participant", **kwargs):
    return engine.search(engine.SearchRequest(user=user_for(world, column), text=WORD, **kwargs))


@pytest.mark.parametrize("sort", engine.SORTS)
def test_pages_of_merged_results_partition_the_results(world, sort):
    seen = []
    for page in (1, 2, 3):
        outcome = run(world, sort=sort, page=page)
        assert outcome.count == 25
        assert len(outcome.hits) == (10 if page < 3 else 5)
        seen += [(hit.kind, hit.obj.pk) for hit in outcome.hits]
    assert len(set(seen)) == 25
    assert {kind for kind, _pk in seen} == {"news", "topic", "reply"}


def test_newest_first_is_in_date_order_across_pages(world):
    dates = []
    for page in (1, 2, 3):
        dates += [hit.date for hit in run(world, sort=engine.DATE, page=page).hits]
    assert dates == sorted(dates, reverse=True)


def test_a_page_past_the_end_shows_the_last_page(world):
    outcome = run(world, page=99)
    assert outcome.request.page == 3
    assert len(outcome.hits) == 5


def test_anonymous_visitors_count_only_public_hits(world):
    outcome = run(world, column="anonymous")
    assert outcome.count == 14
    assert {hit.kind for hit in outcome.hits} == {"news"}


def test_tag_filter_is_part_of_the_query(world):
    outcome = run(world, tag="sicurezza")
    found = {(hit.kind, hit.obj.pk) for hit in outcome.hits}
    expected = {("news", world.news[0].pk)}
    if engine.filters_on_tag_slug(type(world.topics[0])):
        expected.add(("topic", world.topics[0].pk))
    assert found == expected
    assert outcome.count == len(expected)
    assert run(world, tag="nessuno").count == 0


def test_typos_are_tolerated_by_a_second_try(world):
    outcome = engine.search_with_fallback(
        engine.SearchRequest(user=user_for(world, "anonymous"), text="Notiziaa pubbliccaa")
    )
    assert outcome.request.prefix
    assert [hit.title for hit in outcome.hits] == [world.content.public_news.title]


def test_results_page_shows_snippets_facets_and_pagination(world):
    client = Client()
    client.force_login(world.users["participant"])
    html = client.get("/cerca/", {"q": WORD, "page": "2"}).content.decode()
    assert f"<mark>{WORD}</mark>" in html
    assert 'aria-current="page"' in html  # page 2 of the pagination
    assert "?q=mongolfiera&amp;type=reply" in html or "type=reply" in html
    html = client.get("/cerca/", {"q": WORD, "type": "reply"}).content.decode()
    assert "9 risultati" in html


def test_promotions_respect_visibility(world):
    query = Query.objects.create(query_string=WORD)
    SearchPromotion.objects.create(query=query, page=world.content.reserved, sort_order=0)
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://www.example.org/",
        external_link_text="Guida esterna",
        sort_order=1,
    )
    anonymous = Client().get("/api/search/", {"q": WORD}).json()["promoted"]
    assert [pick["title"] for pick in anonymous] == ["Guida esterna"]
    member = Client()
    member.force_login(world.users["participant"])
    picks = member.get("/api/search/", {"q": WORD.upper()}).json()["promoted"]
    assert [pick["title"] for pick in picks] == [world.content.reserved.title, "Guida esterna"]


@pytest.mark.parametrize(("column", "queries"), [("anonymous", 6), ("participant", 15)])
def test_results_page_query_count_is_fixed(world, column, queries, django_assert_num_queries):
    client = Client()
    if world.users[column]:
        client.force_login(world.users[column])
    client.get("/cerca/", {"q": WORD})  # warm the process caches (content types, site)
    with django_assert_num_queries(queries):
        response = client.get("/cerca/", {"q": WORD})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_results(world):
    client = Client()
    client.force_login(world.users["participant"])
    client.get("/cerca/", {"q": "riscaldamento"})
    with CaptureQueriesContext(connection) as few:
        client.get("/cerca/", {"q": WORD, "type": "reply"})
    with CaptureQueriesContext(connection) as many:
        client.get("/cerca/", {"q": WORD, "type": "reply", "page": "1", "sort": "date"})
    assert len(many) == len(few)


def test_snippets_come_from_streamfield_bodies(world, client):
    """The snippet is cut from the page's searchable text, StreamField blocks included."""
    import json

    base.NewsPageFactory(
        parent=world.tree.news_index,
        title="Bilancio",
        summary="",
        body=json.dumps(
            [{"type": "paragraph", "value": "<p>Il <b>caleidoscopio</b> dei servizi.</p>"}]
        ),
    )
    data = client.get("/api/search/", {"q": "caleidoscopio"}).json()
    assert data["count"] == 1
    assert data["results"][0]["snippet_html"] == "Il <mark>caleidoscopio</mark> dei servizi."
