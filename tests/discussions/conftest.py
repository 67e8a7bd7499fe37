"""Discussions fixtures: the communities' world (one user per column of the permission matrix)
plus a topic in the community and one in its working group.

``disc.users[column]`` as in tests/communities/conftest.py; ``user_for(disc, column)`` gives a
fresh user object (or AnonymousUser). Rate limits are off unless a test sets
``settings.DISCUSSIONS_RATE_LIMITS`` (fixture ``rate_limits``).
"""

import pytest
from django.core.cache import cache

from tests.communities.conftest import COLUMNS, build_world, fresh, user_for  # noqa: F401

from . import factories


def build_discussions(world):
    w = world
    w.topic = factories.TopicFactory(
        space=w.community,
        author=w.users["designated"],
        title="Piano di continuità operativa",
        body="Come avete scritto il **piano**? Link: https://www.agid.gov.it",
    )
    w.group_topic = factories.TopicFactory(
        space=w.group,
        author=w.users["wg_member"],
        title="Bozza delle linee guida",
        body="Commenti sulla bozza, per favore.",
    )
    w.other_topic = factories.TopicFactory(
        space=w.other, author=w.users["other_member"], title="Dati aperti di bilancio"
    )
    w.reply = factories.ReplyFactory(
        topic=w.topic, user=w.users["participant"], comment="Noi abbiamo usato il modello AgID."
    )
    w.group_reply = factories.ReplyFactory(
        topic=w.group_topic, user=w.users["wg_coordinator"], comment="Prima bozza pronta."
    )
    return w


@pytest.fixture
def disc(site_tree):
    """The communities world with topics and replies (function-scoped: tests may write)."""
    return build_discussions(build_world(site_tree))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_rate_limits(settings):
    settings.DISCUSSIONS_RATE_LIMITS = {}


@pytest.fixture
def rate_limits(settings):
    settings.DISCUSSIONS_RATE_LIMITS = {
        "reply": [(5, 60), (30, 3600)],
        "topic": [(5, 3600)],
    }
    return settings.DISCUSSIONS_RATE_LIMITS
