"""Seed the load test: N registered members of the first community, each with a Django session,
and the URLs the locustfile visits. Writes JSON (``--out``).

SPID/CIE sign-in is a SAML round trip with an external identity provider: out of scope for load
generation. Sessions are created here exactly as ``django.contrib.auth.login`` stores them
(user id, backend, session auth hash), so every request the members make is a real signed-in
request through the whole stack. Idempotent: members are reused on the next run.

Run with the load test's environment (DJANGO_SETTINGS_MODULE, DATABASE_URL...):
    .venv/bin/python bench/loadtest/seed.py --members 30 --out var/loadtest/seed.json
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from communities import services as community_services  # noqa: E402
from communities.models import CommunityPage, Membership  # noqa: E402
from membership.models import Consent, Ente  # noqa: E402
from membership.registration import current_versions  # noqa: E402

PREFIX = "LDTST"


def fiscal_code(n):
    return f"{PREFIX}{n:05d}A01H501Z"[:16]


def member(n, versions, ente):
    user_model = get_user_model()
    code = fiscal_code(n)
    user, _created = user_model.objects.get_or_create(
        fiscal_number=code,
        defaults={
            "username": code,
            "first_name": "Carico",
            "last_name": f"Prova {n:02d}",
            "email": f"carico{n}@example.org",
        },
    )
    if user.onboarded_at is None:
        user.set_unusable_password()
        user.ente = ente
        user.office = "Servizi informativi"
        user.position = "Funzionario"
        user.contact_email = user.email
        user.onboarded_at = timezone.now()
        user.save()
    for kind in (Consent.Kind.RULES, Consent.Kind.PRIVACY):
        Consent.objects.get_or_create(
            user=user,
            kind=kind,
            version=versions.for_kind(kind),
            defaults={"accepted_at": timezone.now()},
        )
    return user


def join(user, community, role):
    if Membership.objects.filter(
        user=user, community__translation_key=community.translation_key, left_at__isnull=True
    ).exists():
        return
    if role == Membership.Role.DESIGNATED:
        community_services.join(
            user, community, role, signed_by="sindaco", act_date=timezone.localdate()
        )
    else:
        community_services.join(user, community, role)


def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # Members sign in through SPID/CIE: the session names the backend that authenticated them.
    store[BACKEND_SESSION_KEY] = "djangosaml2.backends.Saml2Backend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(6 * 60 * 60)
    store.create()
    return store.session_key


def reserved_area_url(community):
    from communities.models import CommunityAreaPage

    area = CommunityAreaPage.objects.child_of(community).live().first()
    return area.url if area else None


def topics(community, users, count):
    """Topic URLs of the community; topics (with replies) are opened when the demo has fewer."""
    if not apps.is_installed("discussions"):
        return []
    from discussions import services as discussions
    from discussions.models import Topic

    designated = users[:3]
    existing = Topic.objects.filter(space__in=[community]).count()
    for n in range(existing, count):
        topic = discussions.create_topic(
            designated[n % len(designated)],
            community,
            title=f"Prova di carico: esperienze a confronto n. {n + 1}",
            body="Come avete organizzato il piano di risposta agli incidenti? " * 5,
        )
        for r in range(12):
            discussions.post_reply(
                users[(n * 12 + r) % len(users)],
                topic,
                f"Risposta {r + 1}: nel nostro Comune abbiamo iniziato così.",
            )
    # These posts count towards the members' rate limits: run.sh flushes the cache afterwards.
    return [
        {
            "url": reverse("discussions:topic", kwargs={"pk": t.pk, "slug": t.slug}),
            "reply": reverse("discussions:reply", args=[t.pk]),
        }
        for t in Topic.objects.filter(space__in=[community]).order_by("pk")[:count]
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--topics", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    translation.activate(settings.LANGUAGE_CODE)

    community = CommunityPage.objects.live().filter(locale__language_code="it").first()
    if community is None:
        sys.exit("No community: run load_demo first.")
    versions = current_versions()
    ente = Ente.objects.order_by("pk").first()
    users = [member(n, versions, ente) for n in range(args.members)]
    for n, user in enumerate(users):
        # A few designated participants (they may open topics), the others participants.
        role = Membership.Role.DESIGNATED if n < 3 else Membership.Role.PARTICIPANT
        join(user, community, role)
    topic_urls = topics(community, users, args.topics)

    from cms.access import forget as access_forget  # per-request caches, if any

    for user in users:
        access_forget(user)
    news_index = apps.get_model("cms", "NewsIndexPage").objects.live().first()
    news = apps.get_model("cms", "NewsPage").objects.live().public().order_by("-pk").first()
    pages = {
        "home": "/",
        "news_index": news_index.url if news_index else None,
        "news": news.url if news else None,
        "faq": _first_url("faq", "FAQIndexPage"),
        "kit": _first_url("kits", "KitPage") or _first_url("kits", "KitIndexPage"),
        "webinar": _first_url("webinars", "WebinarPage")
        or _first_url("webinars", "WebinarIndexPage"),
        "search": reverse("search") + "?q=sicurezza",
    }
    data = {
        "sessions": [session_for(user) for user in users],
        "pages": {k: v for k, v in pages.items() if v},
        "reserved_area": reserved_area_url(community),
        "community": community.url,
        "topics": topic_urls,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(data, indent=2))
    print(
        f"seed: {len(users)} members, {len(topic_urls)} topics, "
        f"reserved area {data['reserved_area']}, pages {sorted(data['pages'])}"
    )


def _first_url(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    page = model.objects.live().public().filter(locale__language_code="it").first()
    return page.url if page else None


if __name__ == "__main__":
    main()
