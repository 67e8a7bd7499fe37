"""Discussions fixtures: the communities' world (one user per column of the permission matrix)
plus a topic in the community and one in its working group.

``disc.users[column]`` as in tests/communities/conftest.py; ``user_for(disc, column)`` gives a
fresh user object (or AnonymousUser). Rate limits are off unless a test sets
``settings.DISCUSSIONS_RATE_LIMITS`` (fixture ``rate_limits``).
"""

import copy

import pytest
from django.core.cache import cache

from tests.communities.conftest import (  # noqa: F401
    COLUMNS,
    build_world,
    fresh,
    user_for,
)
from tests.conftest import build_site, module_transaction

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


@pytest.fixture(scope="module")
def _disc_rows(django_db_setup, django_db_blocker):
    """The discussions world's rows, built once per module (tests/communities/conftest.py)."""
    with module_transaction(django_db_blocker):
        yield build_discussions(build_world(build_site()))


@pytest.fixture
def disc(_disc_rows, db):
    """The communities world with topics and replies, for one test: the module's rows (tests may
    write: their writes are rolled back after them) and a fresh copy of the objects."""
    return copy.deepcopy(_disc_rows)


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
def rate_limits(settings, monkeypatch):
    """Low limits, and the limiter's clock stopped at the start of an hour: its windows are fixed
    (aligned to the clock), so on a slow run five posts could otherwise straddle a minute and
    land in two windows."""
    import functools
    import time

    from discussions.services import common

    settings.DISCUSSIONS_RATE_LIMITS = {
        "reply": [(5, 60), (30, 3600)],
        "topic": [(5, 3600)],
    }
    now = time.time() // 3600 * 3600 + 1
    monkeypatch.setattr(common, "_keys", functools.partial(common._keys, now=now))
    return settings.DISCUSSIONS_RATE_LIMITS
