"""The one-statement search path on PostgreSQL (``search/postgres.py``): replies matched on their
own generated ``search_vector``, counts and hits of each source in one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import engine
from tests.communities.conftest import user_for
from tests.discussions.factories import ReplyFactory

from .conftest import WORD

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the generated column exists on PostgreSQL only"
    ),
]


def found(world, column, text=WORD, **kwargs):
    outcome = engine.search(engine.SearchRequest(user=user_for(world, column), text=text, **kwargs))
    return outcome, {(hit.kind, hit.obj.pk) for hit in outcome.hits}


def test_the_path_is_taken_and_runs_one_statement_per_source(search_world):
    assert engine.postgres.available(engine.SearchRequest(user=None, text=WORD))
    with CaptureQueriesContext(connection) as queries:
        found(search_world, "participant", kind="news")
    statements = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("WITH m ")]
    assert len(statements) == 3  # pages, topics, replies: counts and hits together
    assert any("search_vector" in sql for sql in statements)


def test_an_edited_reply_is_found_by_its_new_words_only(search_world):
    from discussions import markdown
    from discussions.models import Reply

    reply = search_world.content.reply_community
    text = "Adesso parliamo di lampioni."  # as services.edit_reply writes it: an UPDATE
    Reply.objects.filter(pk=reply.pk).update(comment=text, body_html=markdown.render(text))
    _outcome, hits = found(search_world, "participant")
    assert ("reply", reply.pk) not in hits
    _outcome, hits = found(search_world, "participant", text="lampioni")
    assert hits == {("reply", reply.pk)}


def test_html_of_the_rendered_reply_is_not_searchable(search_world):
    reply = ReplyFactory(
        topic=search_world.content.topic_community,
        comment="Vedi [la guida](https://example.org/ghiandaia) **importante**.",
    )
    assert "<strong>" in reply.body_html and "href" in reply.body_html
    for markup in ("strong", "href", "ghiandaia"):
        outcome, _hits = found(search_world, "participant", text=markup)
        assert outcome.count == 0, markup
    _outcome, hits = found(search_world, "participant", text="guida importante")
    assert hits == {("reply", reply.pk)}


def test_a_moved_topic_takes_its_replies_out_of_the_old_readers_results(search_world):
    from discussions.services import moderation

    content = search_world.content
    before, hits = found(search_world, "participant", kind="reply")
    assert ("reply", content.reply_community.pk) in hits
    coordinator = user_for(search_world, "coordinator")
    moderation.move_topic(coordinator, content.topic_community, search_world.group)
    after, hits = found(search_world, "participant", kind="reply")
    assert ("reply", content.reply_community.pk) not in hits
    assert after.count == before.count - 1
    _outcome, hits = found(search_world, "wg_member", kind="reply")
    assert ("reply", content.reply_community.pk) in hits


@pytest.mark.parametrize("sort", engine.SORTS)
def test_counts_match_the_backends_path(search_world, sort, monkeypatch):
    fast, fast_hits = found(search_world, "coordinator", sort=sort)
    monkeypatch.setattr(engine.postgres, "available", lambda request: False)
    slow, slow_hits = found(search_world, "coordinator", sort=sort)
    assert fast.facets == slow.facets
    assert fast.count == slow.count
    assert fast_hits == slow_hits


def english_home(site_tree):
    from wagtail.models import Locale

    english = Locale.objects.create(language_code="en")
    home_en = site_tree.home.copy_for_translation(english)
    home_en.save_revision().publish()
    return english, home_en


def test_english_pages_are_stemmed_as_english(site_tree):
    from wagtail.models import Locale

    from tests import factories as base

    english, home_en = english_home(site_tree)
    news_en = base.NewsPageFactory(
        parent=home_en,
        title="Securing municipalities",
        summary="How councils are securing their networks.",
        locale=english,
    )
    base.NewsPageFactory(parent=site_tree.news_index, title="Securing", summary="In italiano.")

    def search(text, language="en"):
        locale = Locale.objects.get(language_code=language)
        outcome = engine.search(engine.SearchRequest(user=None, text=text, locale=locale))
        return outcome.count, [hit.obj.pk for hit in outcome.hits]

    # "municipality" and "secure" share their English stems with "municipalities", "securing".
    assert search("municipality") == (1, [news_en.pk])
    assert search("secure councils") == (1, [news_en.pk])
    # Only the English results page uses English stemming, and only for English pages.
    assert search("secure", language="it") == (0, [])


def test_english_search_keeps_the_visibility_filter(site_tree, client):
    """The English path builds its own query: a login-only English page stays hidden from
    visitors, on the engine, the results page and the API."""
    from tests import factories as base
    from tests.communities.factories import RegisteredUserFactory
    from tests.conftest import restrict_to_login

    english, home_en = english_home(site_tree)
    hidden = base.NewsPageFactory(
        parent=home_en, title="Councils only", summary="Restricted guidance.", locale=english
    )
    restrict_to_login(hidden)

    def engine_count(user):
        request = engine.SearchRequest(user=user, text="councils guidance", locale=english)
        return engine.search(request).count

    assert engine_count(None) == 0
    assert engine_count(RegisteredUserFactory()) == 1
    assert "Councils only" not in client.get("/en/cerca/", {"q": "council"}).text
    api = client.get("/api/search/", {"q": "council", "lang": "en"}).json()
    assert api["count"] == 0
    client.force_login(RegisteredUserFactory())
    assert "Councils only" in client.get("/en/cerca/", {"q": "council"}).text


@pytest.mark.parametrize("query", ["AND OR NOT", "'\"(:*&|!<->", "a" * 500, "città & co."])
def test_english_search_answers_odd_input_normally(site_tree, client, query):
    english_home(site_tree)
    response = client.get("/en/cerca/", {"q": query})
    assert response.status_code == 200
    assert client.get("/api/search/", {"q": query, "lang": "en"}).status_code in (200, 400)
