"""The registration form in headless Chromium: the authority combobox and axe-core."""

import pytest

from tests import factories
from tests.conftest import build_site

from .conftest import italian

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def tab(page):
    """The shared headless Chromium tab (tests/browser/conftest.py)."""
    return page


def site():
    """The page tree, also after another transactional test flushed Wagtail's root page."""
    from wagtail.models import Locale, Page

    locale = Locale.objects.get_or_create(language_code="it")[0]
    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=locale, live=True)
    return build_site()


def sign_in(tab, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    tab.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_combobox_registration_and_axe(tab, live_server, client):
    site()
    roma = factories.EnteFactory(name="Roma", istat_code="058091", province_code="RM")
    factories.EnteFactory(name="Romagnano Sesia", province_code="NO")
    fresh = factories.UserFactory(onboarded=False, email="m@spid.example.it")
    sign_in(tab, live_server, client, fresh)

    tab.goto(live_server.url + "/notizie/")
    assert "/registrazione/" in tab.url

    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(tab).response["violations"]
    assert not violations, [v["id"] for v in violations]

    box = tab.locator("#id_ente_query")
    box.fill("rom")
    option = tab.get_by_role("option", name="Roma (RM)", exact=False).first
    option.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Roma (RM)"
    assert tab.locator("#id_ente").input_value() == str(roma.pk)

    # Bootstrap Italia draws checkboxes and radios on their labels.
    tab.locator("label[for=id_accept_rules]").click()
    tab.locator("label[for=id_accept_privacy]").click()
    tab.locator("#id_office").fill("Anagrafe")
    tab.locator("label[for=id_position_0]").click()
    tab.get_by_role("button", name=italian("Complete registration")).click()
    tab.wait_for_url(live_server.url + "/notizie/")
    fresh.refresh_from_db()
    assert fresh.ente == roma and fresh.onboarded_at is not None


def test_error_summary_takes_focus(tab, live_server, client):
    site()
    fresh = factories.UserFactory(onboarded=False)
    sign_in(tab, live_server, client, fresh)
    tab.goto(live_server.url + "/registrazione/")
    tab.get_by_role("button", name=italian("Complete registration")).click()
    tab.wait_for_selector("#form-errors")
    assert tab.evaluate("document.activeElement.id") == "form-errors"
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(tab).response["violations"]
    assert not violations, [v["id"] for v in violations]


def test_profile_and_deletion_pages_pass_axe(tab, live_server, client):
    site()
    member = factories.UserFactory()
    sign_in(tab, live_server, client, member)
    from axe_playwright_python.sync_playwright import Axe

    for path in ("/profilo/", "/profilo/elimina/", "/en/profilo/"):
        tab.goto(live_server.url + path)
        violations = Axe().run(tab).response["violations"]
        assert not violations, (path, [v["id"] for v in violations])
