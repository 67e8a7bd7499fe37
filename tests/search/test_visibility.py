"""Every role finds exactly what it may read, with the right counts, through every door: the
engine, the results page and the JSON API. The filter is part of the query."""

from collections import Counter

import pytest
from django.test import Client
from django.utils.html import escape

from search import engine
from tests.communities.conftest import COLUMNS, user_for

from .conftest import KIND_OF, WORD, expected, topics_indexable

pytestmark = pytest.mark.django_db


def names_of(world, hits):
    """The names (in ``world.content``) of the objects behind ``hits``."""
    by_identity = {(obj._meta.label, obj.pk): name for name, obj in vars(world.content).items()}
    names = set()
    for hit in hits:
        obj = hit.obj.specific if hasattr(hit.obj, "specific") else hit.obj
        names.add(by_identity[(obj._meta.label, obj.pk)])
    return names


def url_of(obj):
    from wagtail.models import Page

    return obj.url if isinstance(obj, Page) else obj.get_absolute_url()


def client_for(world, column):
    client = Client()
    user = world.users[column]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("column", COLUMNS)
def test_engine_finds_exactly_what_the_role_may_read(shared_search_world, column):
    world = shared_search_world
    outcome = engine.search(engine.SearchRequest(user=user_for(world, column), text=WORD))
    allowed = expected(column)
    assert names_of(world, outcome.hits) == allowed
    assert outcome.count == outcome.total == len(allowed)
    counts = {key: count for key, _label, count in outcome.facets if count}
    assert counts == dict(Counter(KIND_OF[name] for name in allowed))


@pytest.mark.parametrize("column", COLUMNS)
def test_results_page_lists_exactly_the_allowed_hits(shared_search_world, column):
    world = shared_search_world
    response = client_for(world, column).get("/cerca/", {"q": WORD})
    assert response.status_code == 200
    html = response.content.decode()
    allowed = expected(column)
    shown = {hit.url for hit in response.context["outcome"].hits}
    assert shown == {url_of(getattr(world.content, name)) for name in allowed}
    for name, obj in vars(world.content).items():
        if name.startswith("reply"):
            continue  # replies are titled by their topic
        assert (escape(obj.title) in html) == (name in allowed), name
    assert response.context["outcome"].count == len(allowed)
    assert f"{len(allowed)} risultat" in html


@pytest.mark.parametrize("column", COLUMNS)
def test_api_gives_the_same_answer(shared_search_world, column):
    world = shared_search_world
    data = client_for(world, column).get("/api/search/", {"q": WORD}).json()
    allowed = expected(column)
    assert data["count"] == data["total"] == len(allowed)
    assert {hit["url"] for hit in data["results"]} == {
        url_of(getattr(world.content, name)) for name in allowed
    }
    assert sum(facet["count"] for facet in data["facets"]) == len(allowed)


@pytest.mark.parametrize("column", ["anonymous", "participant", "wg_member", "other_member"])
@pytest.mark.parametrize("kind", ["news", "kit", "community", "topic", "reply"])
def test_type_filter_counts_match(shared_search_world, column, kind):
    world = shared_search_world
    outcome = engine.search(
        engine.SearchRequest(user=user_for(world, column), text=WORD, kind=kind)
    )
    allowed = {name for name in expected(column) if KIND_OF[name] == kind}
    assert names_of(world, outcome.hits) == allowed
    assert outcome.count == len(allowed)
    assert outcome.total == len(expected(column))


def test_removed_and_unpublished_replies_are_never_found(shared_search_world):
    world = shared_search_world
    outcome = engine.search(
        engine.SearchRequest(user=user_for(world, "coordinator"), text="rimosso pubblico")
    )
    assert outcome.total == 0


def test_topics_can_be_indexed():
    """discussions.TaggedTopic.content_object must be a ParentalKey (ClusterTaggableManager):
    with a ForeignKey, indexing a topic (reading its tags) raises AttributeError."""
    assert topics_indexable()


def test_autocomplete_offers_only_visible_titles(shared_search_world):
    world = shared_search_world
    anonymous = Client().get("/api/search/autocomplete/", {"q": "Comunicazione"}).json()
    assert anonymous["results"] == []
    member = client_for(world, "participant").get(
        "/api/search/autocomplete/", {"q": "Comunicazione"}
    )
    assert [item["title"] for item in member.json()["results"]] == [world.content.reserved.title]
    assert {"private", "no-store"} <= {part.strip() for part in member["Cache-Control"].split(",")}
