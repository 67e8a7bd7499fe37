"""Headless Chromium (Debian's) driven by Playwright, with axe-core for accessibility.

Browser tests never skip in CI: when Chromium is missing and CI is set they fail.
"""

import os
from pathlib import Path

import pytest
from django.utils import translation

from .demo_snapshot import DemoSnapshot, supported

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent.name == "browser":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # around it are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The database as ``load_demo`` left it in the session's first demo test (demo_snapshot.py)."""
    snapshot = DemoSnapshot()
    yield snapshot
    if snapshot.day is not None:
        from django.db import connection

        with django_db_blocker.unblock():
            snapshot.drop(connection)


@pytest.fixture
def demo_site(transactional_db, demo_snapshot):
    """The demo content, loaded by the real command once per session (and again should the date
    change), then restored from its snapshot for each test; on SQLite loaded for every test."""
    from django.core.management import call_command
    from django.db import connection

    if demo_snapshot.fresh():
        demo_snapshot.restore(connection)
        return
    call_command("load_demo", verbosity=0)
    if supported(connection):
        demo_snapshot.take(connection)


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the current page; return the violations of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
        if v["impact"] in impacts
    ]


@pytest.fixture
def saml_live(live_server, settings):
    """The SP and the demo IdP build their URLs from the live server's address."""
    base = live_server.url.rstrip("/")
    settings.WAGTAILADMIN_BASE_URL = base
    settings.SAML_BASE_URL = base
    settings.SAML_ENTITY_IDS = {"spid": f"{base}/spid/metadata/", "cie": f"{base}/cie/metadata/"}
    return base


def italian(text) -> str:
    """A UI string (an English msgid or a lazy translation) as the Italian pages show it."""
    with translation.override("it"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def tick(page, control):
    """Check a checkbox or radio with the keyboard (Bootstrap Italia's label covers the box)."""
    control.focus()
    page.keyboard.press("Space")
    assert control.is_checked()


def sign_in_with_spid(page, base, identity_key, next_path=""):
    """Sign in as a demo IdP identity through the real SAML flow; returns the identity."""
    from demo_idp import identities

    page.goto(f"{base}/accedi/" + (f"?next={next_path}" if next_path else ""))
    page.locator(".portal-signin-spid summary").click()
    page.get_by_role("link", name="Ambiente dimostrativo (SPID)").click()
    page.wait_for_url("**/demo-idp/sso/**")
    person = identities.get(identity_key)
    page.get_by_role("button", name=f"Entra come {person.full_name}").click()
    # The demo IdP auto-submits the signed Response to the ACS, which redirects onwards.
    page.wait_for_url(lambda url: "/demo-idp/" not in url and "/spid/acs/" not in url)
    return person


def sign_in_as(page, base, user):
    """Sign ``user`` in without the SAML flow (a session cookie from Django's test client), for
    tests about what a signed-in member sees rather than about signing in."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def publish_in_admin(page):
    """Wagtail's footer: "Publish" sits in the dropdown next to "Save draft"."""
    publish = page.locator('button[name="action-publish"]')
    if not publish.is_visible():
        page.locator(".w-dropdown-button .w-dropdown__toggle").first.click()
    publish.click()
    page.wait_for_load_state()
