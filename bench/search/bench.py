"""Site search benchmark: seed 20,000 pages and 100,000 replies, then time 50 mixed searches.

    bench.py seed      # bulk-creates the content in the DATABASE_URL database and indexes it
    bench.py measure   # times /cerca/ as an anonymous visitor and as a member; RESULT line last

Run through ``bench/search/run.sh`` (``make bench-search``), which creates the database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
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
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402
from wagtail.models import Page, PageViewRestriction, Site  # noqa: E402

PAGES = 20_000
REPLIES = 100_000
TOPICS = 2_000
COMMUNITIES = 10
GROUPS_PER_COMMUNITY = 2
SEED = 20261122
MEMBER_USERNAME = "bench-member"

WORDS = [
    "comune",
    "amministrazione",
    "digitale",
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
    "pagamenti",
    "pagopa",
    "app",
    "io",
    "notifiche",
    "sito",
    "accessibilità",
    "linee",
    "guida",
    "agid",
    "transizione",
    "responsabile",
    "ufficio",
    "protocollo",
    "documento",
    "conservazione",
    "fascicolo",
    "procedura",
    "appalto",
    "fornitore",
    "contratto",
    "bando",
    "finanziamento",
    "pnrr",
    "misura",
    "progetto",
    "comunità",
    "pratica",
    "gruppo",
    "lavoro",
    "incidente",
    "vulnerabilità",
    "backup",
    "ripristino",
    "formazione",
    "competenze",
    "personale",
    "dipendenti",
    "sindaco",
    "giunta",
    "consiglio",
    "regolamento",
    "privacy",
    "trattamento",
    "consenso",
    "registro",
    "attività",
    "anagrafe",
    "stato",
    "civile",
    "tributi",
    "scuola",
    "mobilità",
    "ambiente",
    "rifiuti",
    "energia",
    "territorio",
    "mappa",
    "open",
    "source",
    "riuso",
    "software",
    "licenza",
    "codice",
    "sviluppo",
    "test",
    "rilascio",
    "manutenzione",
    "assistenza",
    "sportello",
    "telematico",
    "modulo",
    "istanza",
    "domanda",
    "firma",
    "digitale",
    "posta",
    "certificata",
    "pec",
    "email",
    "casella",
    "utenti",
    "password",
    "autenticazione",
    "autorizzazione",
    "ruolo",
    "permesso",
    "profilo",
    "portale",
    "pubblicazione",
    "notizia",
    "evento",
    "webinar",
    "kit",
    "modello",
    "esempio",
    "buona",
    "pratica",
    "esperienza",
    "confronto",
    "proposta",
]
RARE = ["zafferano", "ornitorinco", "caleidoscopio", "mongolfiera", "pergamena"]


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def text(rng, low, high):
    body = sentence(rng, rng.randint(low, high))
    if rng.random() < 0.001:
        body += " " + rng.choice(RARE)
    return body


# --- Seeding ---------------------------------------------------------------------------------


def _add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def structure():
    """The page tree's fixed part (with signals: restrictions, groups) and the member."""
    from cms.models import HomePage, NewsIndexPage, StandardPage
    from communities.models import (
        CommunityAreaPage,
        CommunityIndexPage,
        CommunityPage,
        Membership,
        WorkingGroupMembership,
        WorkingGroupPage,
    )
    from kits.models import KitIndexPage
    from tests.communities.factories import RegisteredUserFactory
    from webinars.models import WebinarIndexPage

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    root.refresh_from_db()
    home = HomePage(title="Community dei Comuni Digitali", slug="home", hero_title="Benvenuti")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    tree = {
        "news": _add(home, NewsIndexPage(title="Notizie", slug="notizie")),
        "communities": _add(home, CommunityIndexPage(title="Comunità", slug="comunita")),
        "kits": _add(home, KitIndexPage(title="Kit documentali", slug="kit")),
        "webinars": _add(home, WebinarIndexPage(title="Webinar", slug="webinar")),
        "members": _add(home, StandardPage(title="Area iscritti", slug="area-iscritti")),
    }
    PageViewRestriction.objects.create(
        page=tree["members"], restriction_type=PageViewRestriction.LOGIN
    )
    spaces = []  # (community, area or group page, is_group)
    for n in range(COMMUNITIES):
        community = _add(
            tree["communities"],
            CommunityPage(
                title=f"Comunità {n}",
                slug=f"comunita-{n}",
                theme="Trasformazione digitale",
                mission="<p>Condividere pratiche.</p>",
            ),
        )
        area = _add(community, CommunityAreaPage(title="Area riservata", slug="area"))
        spaces.append((community, area, False))
        for g in range(GROUPS_PER_COMMUNITY):
            group = _add(
                area,
                WorkingGroupPage(
                    title=f"Gruppo {n}.{g}",
                    slug=f"gruppo-{g}",
                    goal="<p>Linee guida.</p>",
                    deliverable="Linee guida",
                ),
            )
            spaces.append((community, group, True))
    member = RegisteredUserFactory(username=MEMBER_USERNAME)
    first = spaces[0][0]
    Membership.objects.create(user=member, community=first, role=Membership.Role.DESIGNATED)
    WorkingGroupMembership.objects.create(
        user=member,
        group=spaces[1][1].specific,
        role=WorkingGroupMembership.Role.MEMBER,
        status=WorkingGroupMembership.Status.ACTIVE,
    )
    second = spaces[GROUPS_PER_COMMUNITY + 1][0]
    Membership.objects.create(user=member, community=second, role=Membership.Role.PARTICIPANT)
    return tree, spaces


def bulk_pages(parent, model, count, rng, make_fields):
    """``count`` live pages of ``model`` under ``parent``, inserted in bulk (no signals)."""
    parent = Page.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(model)
    locale = parent.locale_id
    now = timezone.now()
    base_rows, specific_rows = [], []
    start = parent.numchild
    for i in range(count):
        title = sentence(rng, rng.randint(3, 7))[:-1]
        slug = f"p-{uuid.uuid4().hex[:12]}"
        published = now - timezone.timedelta(minutes=rng.randint(0, 60 * 24 * 900))
        base_rows.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(parent.path, parent.depth + 1, start + i + 1),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                live_revision=None,
                locale_id=locale,
                translation_key=uuid.uuid4(),
            )
        )
    created = Page.objects.bulk_create(base_rows, batch_size=2000)
    for page in created:
        specific = model(page_ptr_id=page.pk, **make_fields(rng))
        specific_rows.append(specific)
    fields = model._meta.local_concrete_fields
    for i in range(0, len(specific_rows), 2000):
        model._base_manager._insert(specific_rows[i : i + 2000], fields=fields, raw=True)
    Page.objects.filter(pk=parent.pk).update(numchild=start + count)


def seed():
    import datetime

    from django_comments.models import Comment
    from django_comments_xtd.models import XtdComment

    from cms.models import NewsPage, StandardPage
    from communities.models import ReservedPage
    from discussions.models import Reply, Topic
    from webinars.models import WebinarPage

    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        tree, spaces = structure()
        structural = Page.objects.filter(depth__gt=1).count()
        leaves = PAGES - structural
        reserved = leaves * 30 // 100
        login_only = leaves * 15 // 100
        webinars = leaves * 15 // 100
        news = leaves - reserved - login_only - webinars

        def news_fields(rng):
            return {"summary": text(rng, 15, 30), "date": datetime.date(2026, 1, 1), "body": []}

        bulk_pages(tree["news"], NewsPage, news, rng, news_fields)
        start = timezone.now()
        bulk_pages(
            tree["webinars"],
            WebinarPage,
            webinars,
            rng,
            lambda rng: {
                "summary": text(rng, 10, 20),
                "description": f"<p>{text(rng, 20, 50)}</p>",
                "start": start,
                "end": start + timezone.timedelta(hours=1),
                "speakers": [],
            },
        )
        bulk_pages(
            tree["members"],
            StandardPage,
            login_only,
            rng,
            lambda rng: {"summary": text(rng, 15, 30), "body": []},
        )
        per_space = reserved // len(spaces)
        for index, (_community, space, _is_group) in enumerate(spaces):
            count = per_space if index < len(spaces) - 1 else reserved - per_space * index
            bulk_pages(
                space,
                ReservedPage,
                count,
                rng,
                lambda rng: {
                    "summary": text(rng, 15, 30),
                    "date": datetime.date(2026, 1, 1),
                    "kind": "announcement",
                    "body": [],
                },
            )
        # Topics and replies, spread over every space.
        topics = []
        now = timezone.now()
        for i in range(TOPICS):
            community, space, _is_group = spaces[i % len(spaces)]
            topics.append(
                Topic(
                    space_id=space.pk,
                    community_id=community.pk,
                    title=sentence(rng, rng.randint(4, 8))[:-1],
                    slug=f"argomento-{i}",
                    body=text(rng, 30, 80),
                    created_at=now,
                    last_activity_at=now - timezone.timedelta(minutes=rng.randint(0, 500000)),
                )
            )
        topics = Topic.objects.bulk_create(topics, batch_size=2000)
        topic_ct = ContentType.objects.get_for_model(Topic)
        site_id = settings.SITE_ID
        comments = []
        for i in range(REPLIES):
            topic = topics[i % len(topics)]
            comments.append(
                Comment(
                    content_type=topic_ct,
                    object_pk=str(topic.pk),
                    site_id=site_id,
                    user_name="Bench",
                    comment=text(rng, 15, 60),
                    submit_date=now - timezone.timedelta(minutes=rng.randint(0, 500000)),
                    is_public=True,
                    is_removed=rng.random() < 0.01,
                )
            )
        comments = Comment.objects.bulk_create(comments, batch_size=5000)
        xtd, replies = [], []
        for comment, i in zip(comments, range(REPLIES), strict=True):
            topic = topics[i % len(topics)]
            xtd.append(XtdComment(comment_ptr_id=comment.pk, thread_id=comment.pk, order=1))
            replies.append(
                Reply(
                    xtdcomment_ptr_id=comment.pk,
                    topic_id=topic.pk,
                    space_id=topic.space_id,
                    body_html=f"<p>{escape(comment.comment)}</p>",
                )
            )
        for i in range(0, REPLIES, 5000):
            XtdComment._base_manager._insert(
                xtd[i : i + 5000], fields=XtdComment._meta.local_concrete_fields, raw=True
            )
            Reply._base_manager._insert(
                replies[i : i + 5000], fields=Reply._meta.local_concrete_fields, raw=True
            )
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    # As autovacuum would on a live database: statistics, and the visibility map that lets
    # PostgreSQL answer from an index alone (bulk inserts leave it unset).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    indexed = time.perf_counter() - started
    pages = Page.objects.filter(depth__gt=1).count()
    print(
        f"seeded pages={pages} topics={Topic.objects.count()} replies={Reply.objects.count()} "
        f"in {seeded:.0f} s; indexed in {indexed:.0f} s"
    )


# --- Measuring -------------------------------------------------------------------------------


def queries(rng):
    common = rng.sample(WORDS, 20)
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(WORDS, 10), rng.sample(WORDS, 10), strict=True)]
    typos = [word[:3] + word[3] * 2 + word[4:] for word in rng.sample(WORDS, 5) if len(word) > 5]
    typos += [w + "x" for w in rng.sample(WORDS, 5 - len(typos))]
    out = [{"q": q} for q in common + pairs + RARE + typos]
    kinds = ["news", "reply", "topic", "community", "webinar"]
    out += [{"q": rng.choice(WORDS), "type": kind} for kind in kinds]
    out += [{"q": rng.choice(WORDS), "sort": "date"} for _ in range(3)]
    out += [{"q": rng.choice(WORDS), "page": "2"} for _ in range(2)]
    assert len(out) == 50, len(out)
    return out


def timed(client, params):
    started = time.perf_counter()
    response = client.get("/cerca/", params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{params} answered {response.status_code}")
    return elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def measure():
    from django.contrib.auth import get_user_model
    from wagtail.search.models import IndexEntry

    from discussions.models import Reply

    rng = random.Random(SEED + 1)
    mixed = queries(rng)
    anonymous = Client()
    member = Client()
    member.force_login(get_user_model().objects.get(username=MEMBER_USERNAME))
    figures = {}
    for name, client in (("anon", anonymous), ("member", member)):
        for params in mixed:  # warm-up: connections, caches, plans
            timed(client, params)
        samples = [timed(client, params) for _round in range(2) for params in mixed]
        figures[name] = (statistics.median(samples), percentile(samples, 0.95))
        slowest = sorted(zip(samples, mixed + mixed, strict=True), key=lambda s: -s[0])[:3]
        print(f"{name}: slowest " + ", ".join(f"{ms:.0f} ms {p}" for ms, p in slowest))
    docs = Page.objects.filter(depth__gt=1).count() + Reply.objects.count()
    print(
        f"database={connection.vendor} index_entries={IndexEntry.objects.count()} "
        f"samples={2 * len(mixed)} per role"
    )
    print(
        f"RESULT docs={docs} anon_p50_ms={figures['anon'][0]:.1f} "
        f"anon_p95_ms={figures['anon'][1]:.1f} member_p50_ms={figures['member'][0]:.1f} "
        f"member_p95_ms={figures['member'][1]:.1f}"
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "seed":
        seed()
    elif command == "measure":
        measure()
    else:
        raise SystemExit(__doc__)
