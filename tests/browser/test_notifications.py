"""Follow and notify in a real browser: the header's unread count, the notifications page and
the unsubscribe page from an email, with axe-core (no serious or critical violation)."""

import re

import pytest
from django.core import mail
from django.utils import translation

from .conftest import axe_violations, italian, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_notifications_and_unsubscribe_pages(page, live_server, settings):
    from discussions import notifications, services
    from tests.communities.conftest import build_world, fresh
    from tests.conftest import build_site
    from tests.discussions.conftest import build_discussions

    base = live_server.url.rstrip("/")
    settings.WAGTAILADMIN_BASE_URL = base
    settings.DISCUSSIONS_RATE_LIMITS = {}
    disc = build_discussions(build_world(build_site()))
    coordinator = disc.users["coordinator"]
    notifications.follow(fresh(coordinator), topic=disc.topic)
    mail.outbox.clear()
    services.post_reply(fresh(disc.users["participant"]), disc.topic, "Una risposta da leggere.")
    assert len(mail.outbox) == 1

    sign_in_as(page, base, coordinator)
    page.goto(f"{base}/discussioni/notifiche/")
    with translation.override("it"):
        unread = translation.ngettext(
            "%(counter)s unread notification", "%(counter)s unread notifications", 1
        ) % {"counter": 1}
    header_link = page.locator(".portal-notifications")
    assert unread in header_link.inner_text()
    assert page.locator("h1").inner_text() == italian("Notifications")
    assert axe_violations(page) == []

    page.locator(".discussion-notifications a").first.click()
    page.wait_for_url(re.compile(r"/discussioni/\d+-"))
    assert "Una risposta da leggere." in page.content()
    assert page.locator(".portal-notifications [data-unread-count]").count() == 0

    # The email's unsubscribe link works without signing in.
    unsubscribe = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    page.context.clear_cookies()
    page.goto(unsubscribe)
    assert axe_violations(page) == []
    page.get_by_role("button", name=italian("Stop the emails")).click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible()
    assert axe_violations(page) == []
    assert not notifications.Follow.objects.get(user=coordinator, topic=disc.topic).email
