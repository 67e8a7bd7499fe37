"""The topic page's first page is rendered with a number of SQL queries that does not grow with
the number of replies (10 vs 500), within an explicit budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussions.models import Reaction

from .conftest import user_for
from .factories import ReactionFactory, make_replies

pytestmark = pytest.mark.django_db

#: Queries for page 1 of a topic, as a member (session, user, policy, topic, replies,
#: reactions, flags, follow state, read marker, tags...). Raise only with a reason.
BUDGET = 21  # measured 18 on PostgreSQL (2026-11-22): the page chrome's shared data (site,
# settings, locales, menu, footer, restrictions, userbar) comes from cms/snapshots.py


def _render_queries(client, topic):
    client.get(topic.get_absolute_url())  # warm per-process caches (content types, site)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _seed(disc, total_top_level):
    members = [disc.users[c] for c in ("participant", "designated", "coordinator", "support")]
    # threads with children and grandchildren, like a real discussion
    tops = make_replies(disc.topic, total_top_level, members, children=1, grandchildren=1)
    for reply in tops[:25]:
        ReactionFactory(reply=reply, user=disc.users["designated"], kind=Reaction.Kind.LIKE)
        ReactionFactory(reply=reply, user=disc.users["coordinator"], kind=Reaction.Kind.THANKS)


def test_topic_page_queries_do_not_grow_with_replies(client, disc, django_assert_max_num_queries):
    client.force_login(user_for(disc, "participant"))
    _seed(disc, 3)  # ~10 replies (with the fixture's one)
    small, response = _render_queries(client, disc.topic)
    assert len(response.context["threads"]) == 4
    _seed(disc, 164)  # ~500 replies
    assert disc.topic.replies.count() >= 500
    large, response = _render_queries(client, disc.topic)
    assert len(response.context["threads"]) == 20  # page 1 of the top-level threads
    assert (
        sum(
            1 + len(t.children) + sum(len(c.children) for c in t.children)
            for t in response.context["threads"]
        )
        == 58  # 19 threads of 3 replies and the fixture reply alone
    )
    assert small == large, (small, large)
    assert large <= BUDGET, large
    with django_assert_max_num_queries(BUDGET):
        client.get(disc.topic.get_absolute_url())
