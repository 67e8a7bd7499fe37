"""Topic page benchmark: page 1 of a topic with 1,000 and with 10,000 replies, as a member.

    bench.py seed      # one community, a member, two topics with 1,000 and 10,000 threaded replies
    bench.py measure   # renders page 1 of each topic; RESULT line last

Run through ``bench/discussions/run.sh`` (``make bench-discussions``), which creates the
PostgreSQL database. Replies are bulk-inserted with correct django-comments-xtd thread data:
a third of them open a thread (level 0), the rest are nested up to level 2 (depth 3), threads of
varying size; ``thread_id``, ``parent_id``, ``level``, ``order`` (depth-first position in the
thread) and ``nested_count`` are what ``XtdComment.save`` would have computed.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = (1_000, 10_000)
AUTHORS = 60
SEED = 20261122
MEMBER_USERNAME = "bench-member"
RUNS = int(os.environ.get("BENCH_RUNS", "25"))
WARMUPS = 2
TITLE = "Benchmark: {n} risposte"

WORDS = [
    "comune",
    "servizi",
    "cittadini",
    "sicurezza",
    "informatica",
    "rete",
    "dati",
    "aperti",
    "interoperabilità",
    "piattaforma",
    "cloud",
    "migrazione",
    "identità",
    "accesso",
    "spid",
    "cie",
    "pagopa",
    "appio",
    "backup",
    "continuità",
    "operativa",
    "incidente",
    "vulnerabilità",
    "patch",
    "fornitore",
    "contratto",
    "gara",
    "linee",
    "guida",
    "agid",
    "acn",
    "responsabile",
    "transizione",
    "digitale",
    "ufficio",
    "protocollo",
    "documento",
    "conservazione",
    "firma",
]


def text(rng, low, high):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    if rng.random() < 0.1:
        words.append("https://www.agid.gov.it/it/linee-guida")
    return " ".join(words) + "."


def thread_shapes(total, rng):
    """Thread shapes summing to ``total`` replies, a third of them top-level: a list of threads,
    each a list of (level, parent index within the thread or None) in depth-first order."""
    threads = []
    remaining = total
    top_level = total // 3
    nested = total - top_level
    for t in range(top_level):
        # Spread the nested replies over the threads: 0 to 4 each, on average 2.
        left_threads = top_level - t
        if left_threads == 1:
            k = nested
        else:
            k = min(nested, rng.choice((0, 1, 2, 2, 3, 4)))
            k = max(k, nested - 4 * (left_threads - 1))  # leave room: at most 4 per thread
        nested -= k
        shape = [(0, None)]
        last_level1 = None
        for _ in range(k):
            if last_level1 is not None and rng.random() < 0.5:
                shape.append((2, last_level1))
            else:
                shape.append((1, 0))
                last_level1 = len(shape) - 1
        threads.append(shape)
        remaining -= len(shape)
    assert remaining == 0, remaining
    return threads


def _depth_first(shape):
    """Order the thread's replies as django-comments-xtd does: children after their parent,
    in posting order (``order`` is the 1-based position)."""
    children = {i: [] for i in range(len(shape))}
    for i, (_level, parent) in enumerate(shape):
        if parent is not None:
            children[parent].append(i)
    ordered = []

    def visit(i):
        ordered.append(i)
        for child in children[i]:
            visit(child)

    visit(0)
    return ordered


def seed():
    from django_comments.models import Comment
    from django_comments_xtd.models import XtdComment

    from communities.models import Membership
    from discussions.markdown import render
    from discussions.models import Reaction, Reply, Topic
    from tests.communities.conftest import make_member
    from tests.communities.factories import CommunityAreaPageFactory, RegisteredUserFactory
    from tests.conftest import build_site
    from tests.factories import CommunityPageFactory

    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        tree = build_site()
        community = CommunityPageFactory(
            parent=tree.communities, title="Cybersicurezza", slug="cybersicurezza"
        )
        CommunityAreaPageFactory(parent=community)
        member = RegisteredUserFactory(username=MEMBER_USERNAME)
        make_member(community, Membership.Role.PARTICIPANT, user=member)
        authors = [make_member(community, Membership.Role.DESIGNATED) for _ in range(AUTHORS)]
        topic_ct = ContentType.objects.get_for_model(Topic)
        now = timezone.now()
        setup_seconds = time.perf_counter() - started

        for size in SIZES:
            started_topic = time.perf_counter()
            topic = Topic.objects.create(
                space=community,
                community=community,
                title=TITLE.format(n=size),
                body="Come gestite il piano di continuità operativa?",
                body_html=render("Come gestite il piano di continuità operativa?"),
                author=authors[0],
                created_at=now - timezone.timedelta(days=30),
            )
            shapes = thread_shapes(size, rng)
            # A pool of texts rendered once (Markdown rendering is not what is measured here).
            pool = [text(rng, 12, 70) for _ in range(500)]
            rendered = {body: render(body) for body in pool}
            # Parent rows (django_comments), all at once: ids come back from PostgreSQL.
            comments, plan = [], []
            minute = 0
            for shape in shapes:
                for level, parent in shape:
                    minute += 1
                    body = rng.choice(pool)
                    author = authors[rng.randrange(AUTHORS)]
                    comments.append(
                        Comment(
                            content_type=topic_ct,
                            object_pk=str(topic.pk),
                            site_id=settings.SITE_ID,
                            user=author,
                            user_name=author.get_full_name(),
                            user_email=author.email,
                            comment=body,
                            submit_date=topic.created_at + timezone.timedelta(minutes=minute),
                            is_public=True,
                            is_removed=False,
                        )
                    )
                    plan.append((level, parent))
            comments = Comment.objects.bulk_create(comments, batch_size=5000)
            # Child rows (xtd, then discussions_reply) with the thread data.
            xtd, replies = [], []
            position = 0
            for shape in shapes:
                rows = comments[position : position + len(shape)]
                position += len(shape)
                thread_id = rows[0].pk
                order = {i: n + 1 for n, i in enumerate(_depth_first(shape))}
                nested = [0] * len(shape)
                for _level, parent in shape:
                    while parent is not None:
                        nested[parent] += 1
                        parent = shape[parent][1]
                for i, (level, parent) in enumerate(shape):
                    comment = rows[i]
                    xtd.append(
                        XtdComment(
                            comment_ptr_id=comment.pk,
                            thread_id=thread_id,
                            parent_id=comment.pk if parent is None else rows[parent].pk,
                            level=level,
                            order=order[i],
                            followup=False,
                            nested_count=nested[i],
                        )
                    )
                    replies.append(
                        Reply(
                            xtdcomment_ptr_id=comment.pk,
                            topic_id=topic.pk,
                            space_id=community.pk,
                            body_html=rendered[comment.comment],
                        )
                    )
            for i in range(0, len(xtd), 5000):
                XtdComment._base_manager._insert(
                    xtd[i : i + 5000], fields=XtdComment._meta.local_concrete_fields, raw=True
                )
                Reply._base_manager._insert(
                    replies[i : i + 5000], fields=Reply._meta.local_concrete_fields, raw=True
                )
            # Some reactions (one reply in five), as a lively topic has.
            reactions = [
                Reaction(
                    reply_id=comment.pk,
                    user=authors[rng.randrange(AUTHORS)],
                    kind=rng.choice(Reaction.Kind.values),
                )
                for comment in comments
                if rng.random() < 0.2
            ]
            Reaction.objects.bulk_create(reactions, batch_size=5000, ignore_conflicts=True)
            Topic.objects.filter(pk=topic.pk).update(
                reply_count=size,
                last_activity_at=comments[-1].submit_date,
                last_reply_author=comments[-1].user,
            )
            print(
                f"seeded topic {topic.pk}: replies={size} threads={len(shapes)} "
                f"in {time.perf_counter() - started_topic:.1f} s"
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seed: setup {setup_seconds:.1f} s, total {time.perf_counter() - started:.1f} s "
        f"(bulk inserts: django_comments, then xtd and reply rows in batches of 5,000)"
    )
    check_threads()


def check_threads():
    """The seeded thread data is what django-comments-xtd computes (spot-checked)."""
    from django.db.models import Count, F, Max, Min

    from discussions.models import Reply, Topic

    for topic in Topic.objects.all():
        replies = Reply.objects.filter(topic=topic)
        levels = dict(replies.order_by().values_list("level").annotate(n=Count("pk")))
        top = levels.get(0, 0)
        assert top == topic.reply_count // 3, (top, topic.reply_count)
        assert max(levels) <= settings.COMMENTS_XTD_MAX_THREAD_LEVEL
        bad_roots = replies.filter(level=0).exclude(parent_id=F("pk")).count()
        assert bad_roots == 0
        stats = (
            replies.order_by()
            .values("thread_id")
            .annotate(n=Count("pk"), lo=Min("order"), hi=Max("order"))
        )
        for row in stats:
            assert row["lo"] == 1 and row["hi"] == row["n"], row
        print(f"checked topic {topic.pk}: levels {dict(sorted(levels.items()))}")


def measure():
    from django.contrib.auth import get_user_model

    from discussions.models import Topic

    member = get_user_model().objects.get(username=MEMBER_USERNAME)
    client = Client()
    client.force_login(member)
    results = []
    for size in SIZES:
        topic = Topic.objects.get(title=TITLE.format(n=size))
        url = topic.get_absolute_url()
        for _ in range(WARMUPS):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        captured_queries = list(captured.captured_queries)  # before the next request resets it
        shown = response.content.decode().count('id="r')
        timings, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        p50 = statistics.median(timings)
        slowest = sorted(captured_queries, key=lambda q: float(q["time"]), reverse=True)
        print(
            f"topic replies={size}: queries={len(captured_queries)} replies shown={shown} "
            f"p50={p50:.1f} ms min={min(timings):.1f} max={max(timings):.1f} (n={RUNS}); "
            f"CPU p50={statistics.median(cpu):.1f} ms; SQL "
            f"{sum(float(q['time']) for q in captured_queries) * 1000:.0f} ms in one request; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        for query in slowest[:3]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        results.append((size, len(captured_queries), p50))
    print(
        "RESULT "
        + " ".join(
            f"replies={size} queries={queries} p50_ms={p50:.0f}" for size, queries, p50 in results
        )
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "seed":
        seed()
    elif command == "measure":
        measure()
    else:
        sys.exit(__doc__)
