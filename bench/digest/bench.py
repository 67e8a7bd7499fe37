"""Digest benchmark: the daily and weekly digests of 10,000 members across 5 communities.

    bench.py seed      # 5 communities (area, 2 working groups each), MEMBERS members,
                       # announcements, topics, replies, follows (bulk-inserted)
    bench.py measure   # send_digests daily + weekly to a counting null mail backend;
                       # RESULT line last

Run through ``bench/digest/run.sh`` (``make bench-digest``), which creates the PostgreSQL
database. Every member receives digests (70% daily, 30% weekly) and takes part in one or two
communities; a third of them are designated, some in working groups, some follow topics.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
COMMUNITIES = 5
SEED = 20261206


def seed():
    from django.contrib.auth import get_user_model

    from communities.models import Membership, WorkingGroupMembership
    from discussions.markdown import render
    from discussions.models import Follow, Topic
    from mailing.models import AnnouncementPage, Subscription
    from tests.communities.factories import CommunityAreaPageFactory, WorkingGroupPageFactory
    from tests.conftest import build_site
    from tests.discussions.factories import ReplyFactory
    from tests.factories import CommunityPageFactory

    rng = random.Random(SEED)
    started = time.perf_counter()
    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        tree = build_site()
        spaces = []
        for index in range(COMMUNITIES):
            community = CommunityPageFactory(
                parent=tree.communities, title=f"Comunità {index + 1}", slug=f"comunita-{index + 1}"
            )
            area = CommunityAreaPageFactory(parent=community)
            groups = [
                WorkingGroupPageFactory(parent=area, title=f"Gruppo {index + 1}.{g + 1}")
                for g in range(2)
            ]
            spaces.append((community, area, groups))

        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench{i}",
                    email=f"bench{i}@comune.example.it",
                    first_name="Membro",
                    last_name=f"Numero {i}",
                    fiscal_number=f"BNCMBR80A01{i:05d}",
                    onboarded_at=now,
                )
                for i in range(MEMBERS)
            ],
            batch_size=2000,
        )
        memberships, wg_rows, subscriptions = [], [], []
        joined = now - timedelta(days=60)
        for i, user in enumerate(users):
            chosen = rng.sample(range(COMMUNITIES), 2 if rng.random() < 0.3 else 1)
            frequency = "daily" if rng.random() < 0.7 else "weekly"
            for c in chosen:
                community, _area, groups = spaces[c]
                designated = rng.random() < 0.33
                role = "designated" if designated else "participant"
                if i < 2 * COMMUNITIES and i % COMMUNITIES == c:
                    role = "coordinator" if i < COMMUNITIES else "support"
                memberships.append(
                    Membership(
                        user=user,
                        community=community,
                        role=role,
                        support_kind="anci_dtd" if role == "support" else "",
                        joined_at=joined,
                    )
                )
                if designated and rng.random() < 0.3:
                    wg_rows.append(
                        WorkingGroupMembership(
                            user=user, group=rng.choice(groups), status="active", created_at=joined
                        )
                    )
                subscriptions.append(
                    Subscription(
                        user=user,
                        community=community,
                        frequency=frequency,
                        created_at=joined,
                        started_at=joined,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=2000)
        WorkingGroupMembership.objects.bulk_create(wg_rows, batch_size=2000)
        Subscription.objects.bulk_create(subscriptions, batch_size=2000)

        # Announcements (published an hour ago: in every digest), to the area and the groups.
        for community, area, groups in spaces:
            for n, (parent, audience) in enumerate(
                [(area, "all"), (area, "all"), (area, "designated"), (groups[0], "all")]
            ):
                page = AnnouncementPage(
                    title=f"Annuncio {n + 1} di {community.title}",
                    body="<p>Riunione plenaria lunedì alle 10.</p>",
                    audience=audience,
                    summary="Riunione plenaria",
                )
                parent.add_child(instance=page)
                page.save_revision().publish(skip_permission_checks=True)
        AnnouncementPage.objects.update(first_published_at=now - timedelta(hours=1))

        # Topics (in the communities and the groups) and replies in some of them.
        authors = [m.user for m in memberships if m.role == "designated"][:200]
        topics = []
        for community, _area, groups in spaces:
            for space in [community] * 8 + groups * 2:
                title = f"Tema {len(topics) + 1}: continuità operativa"
                topics.append(
                    Topic(
                        space=space,
                        community=community,
                        title=title,
                        slug=f"tema-{len(topics) + 1}",
                        body="Come gestite il piano?",
                        body_html=render("Come gestite il piano?"),
                        author=rng.choice(authors),
                        created_at=now - timedelta(hours=2),
                        last_activity_at=now - timedelta(hours=2),
                    )
                )
        topics = Topic.objects.bulk_create(topics)
        for topic in rng.sample(topics, 20):
            for _ in range(3):
                ReplyFactory(topic=topic, user=rng.choice(authors))
        follows = []
        community_topics = [t for t in topics if t.space_id == t.community_id]
        for user in rng.sample(users, MEMBERS // 3):
            for topic in rng.sample(community_topics, 2):
                follows.append(Follow(user=user, topic=topic))
        Follow.objects.bulk_create(follows, ignore_conflicts=True, batch_size=2000)
    print(
        f"seeded: {MEMBERS} members, {len(memberships)} memberships, {len(wg_rows)} working-group "
        f"members, {len(topics)} topics, {len(follows)} follows in "
        f"{time.perf_counter() - started:.1f} s"
    )


class CountingBackend:
    """A null mail backend that counts the messages and keeps the first one (the bench measures
    building the digests, not serialising MIME for a mail server)."""

    sent = 0
    first = None

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        if CountingBackend.first is None and messages:
            CountingBackend.first = messages[0]
        CountingBackend.sent += len(messages)
        return len(messages)


def measure():
    from django.test import override_settings

    from mailing.models import Subscription
    from mailing.tasks import send_digests

    members = Subscription.objects.values("user_id").distinct().count()
    backend = {"default": {"BACKEND": "__main__.CountingBackend"}}
    started = time.perf_counter()
    with override_settings(MAILERS=backend), CaptureQueriesContext(connection) as queries:
        considered = 0
        for frequency in ("daily", "weekly"):
            considered += send_digests.call(frequency=frequency)
    seconds = time.perf_counter() - started
    sent = CountingBackend.sent
    sample = CountingBackend.first
    assert sample is not None and "Annuncio" in sample.body
    assert "List-Unsubscribe" in sample.extra_headers
    print(f"digests sent: {sent} (members considered: {considered}, subscribed: {members})")
    print(
        f"RESULT members={considered} seconds={seconds:.1f} "
        f"queries_per_member={len(queries) / max(considered, 1):.3f}"
    )


if __name__ == "__main__":
    {"seed": seed, "measure": measure}[sys.argv[1]]()
