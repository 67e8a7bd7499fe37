"""Content at every visibility level, each carrying the same unique word, for the search tests."""

from types import SimpleNamespace

import pytest

from tests import factories as base
from tests.communities import factories
from tests.communities.conftest import build_world
from tests.conftest import restrict_to_login

#: A word no other content uses (Italian, so that stemming applies).
WORD = "ornitorinco"


def add_search_content(world):
    tree = world.tree
    c = SimpleNamespace()
    c.public_news = base.NewsPageFactory(
        parent=tree.news_index, title="Notizia pubblica", summary=f"Un {WORD} tra i Comuni."
    )
    c.login_kit = base.KitPageFactory(
        parent=tree.kit_index, title="Kit per iscritti", summary=f"Il kit dell'{WORD}."
    )
    restrict_to_login(c.login_kit)
    c.reserved = factories.ReservedPageFactory(
        parent=world.area, title="Comunicazione ai partecipanti", summary=f"Avviso {WORD}."
    )
    c.group_page = factories.ReservedPageFactory(
        parent=world.group, title="Bozza del gruppo", summary=f"Bozza {WORD} del gruppo."
    )
    c.other_reserved = factories.ReservedPageFactory(
        parent=world.other_area, title="Avviso di un'altra comunità", summary=f"{WORD} altrove."
    )
    add_discussions(world, c)
    world.content = c
    return world


def topics_indexable() -> bool:
    """Whether topics can be indexed: their tags (a ClusterTaggableManager) need a ParentalKey
    from ``TaggedTopic``; with a plain ForeignKey reading ``topic.tags`` fails."""
    from modelcluster.fields import ParentalKey

    from discussions.models import TaggedTopic

    return isinstance(TaggedTopic._meta.get_field("content_object"), ParentalKey)


def make_topic(space, title, body):
    from tests.discussions.factories import TopicFactory

    if topics_indexable():
        return TopicFactory(space=space, title=title, body=body)
    # Until then: the topic exists (its replies need it) but is not in the index.
    from discussions.models import Topic
    from tests.discussions.factories import _community_of

    topic = Topic(space=space, community=_community_of(space), title=title, body=body, slug="t")
    return Topic.objects.bulk_create([topic])[0]


def add_discussions(world, c):
    from tests.discussions.factories import ReplyFactory

    c.topic_community = make_topic(
        world.community, "Argomento della comunità", f"Parliamo di {WORD}."
    )
    c.reply_community = ReplyFactory(topic=c.topic_community, comment=f"Un {WORD} anche qui.")
    c.reply_removed = ReplyFactory(
        topic=c.topic_community, comment=f"Un {WORD} rimosso.", is_removed=True
    )
    c.reply_unpublished = ReplyFactory(
        topic=c.topic_community, comment=f"Un {WORD} non pubblico.", is_public=False
    )
    c.topic_group = make_topic(world.group, "Argomento del gruppo", f"Il {WORD} del gruppo.")
    c.reply_group = ReplyFactory(topic=c.topic_group, comment=f"Il gruppo e l'{WORD}.")
    c.topic_other = make_topic(world.other, "Argomento altrove", f"Un {WORD} in altra comunità.")
    c.reply_other = ReplyFactory(topic=c.topic_other, comment=f"Risposta sull'{WORD}.")


_PUBLIC = {"public_news"}
_REGISTERED = _PUBLIC | {"login_kit"}
_MEMBER = _REGISTERED | {"reserved", "topic_community", "reply_community"}
_GROUP = _MEMBER | {"group_page", "topic_group", "reply_group"}

#: What each column of the permission matrix finds with WORD (names of ``world.content``).
_EXPECTED = {
    "anonymous": _PUBLIC,
    "registered": _REGISTERED,
    "participant": _MEMBER,
    "designated": _MEMBER,
    "wg_member": _GROUP,
    "wg_coordinator": _GROUP,
    "coordinator": _GROUP,
    "support": _GROUP,
    "other_member": _REGISTERED | {"other_reserved", "topic_other", "reply_other"},
    "staff": _REGISTERED,
}


def expected(column) -> set[str]:
    """What ``column`` finds (topics only once they can be indexed: see topics_indexable)."""
    names = _EXPECTED[column]
    if not topics_indexable():
        names = {name for name in names if not name.startswith("topic")}
    return names


KIND_OF = {
    "public_news": "news",
    "login_kit": "kit",
    "reserved": "community",
    "group_page": "community",
    "other_reserved": "community",
    "topic_community": "topic",
    "topic_group": "topic",
    "topic_other": "topic",
    "reply_community": "reply",
    "reply_group": "reply",
    "reply_other": "reply",
}


@pytest.fixture
def search_world(site_tree):
    return add_search_content(build_world(site_tree))


@pytest.fixture(scope="module")
def shared_search_world(django_db_setup, django_db_blocker):
    """The same world, built once per module for read-only tests."""
    from django.db import transaction

    from tests.conftest import build_site

    with django_db_blocker.unblock(), transaction.atomic():
        yield add_search_content(build_world(build_site()))
        transaction.set_rollback(True)
