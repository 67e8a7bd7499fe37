"""The Content-Security-Policy in a real browser (issue 12): the portal's own JavaScript (the
search combobox, the SAML auto-submitted forms with their nonce, Bootstrap Italia), the Swagger
UI page and the admin run without a single enforced violation."""

import pytest

from .conftest import sign_in_with_spid

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Every violation the page reports, enforced or report-only (``disposition``).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    disposition: event.disposition,
    sample: event.sample,
  });
});
"""


@pytest.fixture
def watched(page):
    """The page, with the violations it reports (``page.csp_messages``: the console's)."""
    page.add_init_script(WATCH)
    page.csp_messages = []
    page.on(
        "console",
        lambda message: (
            page.csp_messages.append(message.text)
            if "Content Security Policy" in message.text and "report-only" not in message.text
            else None
        ),
    )
    return page


def enforced_violations(page):
    found = page.evaluate("window.__cspViolations || []")
    return [v for v in found if v["disposition"] == "enforce"] + page.csp_messages


def test_public_pages_search_and_faq_run_without_violations(live_server, watched, demo_site):
    page = watched
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Cerca nel sito")
    box.press_sequentially("comu", delay=30)
    page.get_by_role("listbox").wait_for()  # combobox.js and search-autocomplete.js ran
    assert enforced_violations(page) == []
    page.goto(live_server.url + "/domande-frequenti/")
    assert page.locator("script[type='application/ld+json']").count() == 1
    assert enforced_violations(page) == []


def test_spid_sign_in_and_out_run_their_auto_submitted_forms(saml_live, watched, demo_site):
    """The AuthnRequest form to the IdP and the demo IdP's form back (both auto-submitted by a
    script with the response's nonce), the member's pages, the sign-out."""
    page = watched
    sign_in_with_spid(page, saml_live, "partecipante")
    assert "/accedi/" not in page.url
    page.goto(saml_live + "/profilo/")
    assert page.locator("h1").first.is_visible()
    assert enforced_violations(page) == []
    page.get_by_role("button", name="Esci").first.click()
    page.wait_for_load_state()
    page.goto(saml_live + "/")
    assert page.get_by_role("link", name="Accedi").first.is_visible()
    assert enforced_violations(page) == []


def test_swagger_ui_renders_under_the_policy(live_server, watched, demo_site):
    page = watched
    page.goto(live_server.url + "/api/community/v1/docs/")
    page.locator("#swagger-ui .information-container").wait_for()
    page.locator("#swagger-ui .opblock").first.wait_for()  # the schema was fetched and drawn
    assert enforced_violations(page) == []


def test_admin_runs_under_its_policy(live_server, watched, demo_site):
    """Wagtail's admin: nothing enforced is violated (its inline scripts are only reported)."""
    from demo.people import ADMIN_PASSWORD, ADMIN_USERNAME

    page = watched
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", ADMIN_USERNAME)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + "/admin/pages/")
    page.wait_for_load_state()
    assert enforced_violations(page) == []
