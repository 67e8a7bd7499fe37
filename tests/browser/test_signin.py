"""Signing in in a real browser: SPID through the demo identity provider (the real SAML flow:
signed AuthnRequest, identity chooser, signed Response posted to the ACS), first-access
registration, the registration gate, and axe-core on the sign-in and demo IdP pages."""

import re

import pytest

from .conftest import axe_violations, italian, sign_in_with_spid, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def ente(transactional_db):
    from membership.models import Ente

    return Ente.objects.create(
        name="Collefiorito",
        kind=Ente.Kind.COMUNE,
        istat_code="099901",
        region="Lazio",
        province="Roma",
        status=Ente.Status.APPROVED,
    )


def test_newcomer_signs_in_with_spid_and_registers(saml_live, page, demo_site, ente):
    from membership.forms import CONSENT_LABELS, ProfileForm
    from membership.models import Consent, User

    person = sign_in_with_spid(page, saml_live, "nuovo")
    assert "/registrazione/" in page.url
    assert page.locator("h1").count() == 1

    # Registration form, filled in through its accessible labels.
    form = page.locator("form.portal-onboarding-form")
    for kind in (Consent.Kind.RULES, Consent.Kind.PRIVACY):
        prefix = italian(CONSENT_LABELS[kind]).split("%(version)s")[0].rstrip(" (")
        checkbox = form.get_by_role("checkbox", name=re.compile("^" + re.escape(prefix)))
        if checkbox.count():
            tick(page, checkbox)
    authority = form.get_by_role("combobox", name=italian("Name or code of your authority"))
    authority.fill("Collefior")
    form.get_by_role("option", name=re.compile("Collefiorito")).first.click()
    form.get_by_label(italian(ProfileForm.Meta.labels["office"])).fill("Servizi informatici")
    tick(page, form.get_by_role("radio", name=italian(User.Position.EMPLOYEE.label)))
    contact = form.get_by_label(
        italian(ProfileForm.base_fields["contact_email"].label), exact=False
    )
    assert contact.first.input_value() == person.email  # pre-filled from SPID
    form.get_by_role("button", name=italian("Complete registration")).click()

    page.wait_for_load_state()
    assert "/registrazione/" not in page.url, page.locator("main").inner_text()[:1500]
    assert page.url.rstrip("/") == saml_live
    # Signed in: the header shows the member's name.
    assert person.full_name in page.locator("header").inner_text()
    user = User.objects.get(fiscal_number=person.fiscal_code)
    assert user.onboarded_at is not None
    assert user.ente == ente


def test_unregistered_member_is_brought_back_to_registration(saml_live, page, demo_site):
    sign_in_with_spid(page, saml_live, "nuovo", next_path="/notizie/")
    assert "/registrazione/" in page.url
    for path in ("/", "/notizie/", "/cerca/?q=sicurezza", "/profilo/"):
        page.goto(saml_live + path)
        assert "/registrazione/" in page.url, path


def test_sign_in_and_demo_idp_pages_pass_axe(saml_live, page, demo_site):
    page.goto(f"{saml_live}/accedi/")
    assert page.locator("h1").count() == 1
    assert not axe_violations(page), "sign-in page"
    page.locator(".portal-signin-spid summary").click()
    assert not axe_violations(page), "sign-in page, SPID menu open"

    page.get_by_role("link", name="Ambiente dimostrativo (SPID)").click()
    page.wait_for_url("**/demo-idp/sso/**")
    assert page.locator("h1").count() == 1
    assert "Ambiente dimostrativo" in page.locator("h1").inner_text()
    assert not axe_violations(page), "demo IdP identity chooser"


def test_sign_in_page_works_without_javascript(saml_live, browser, demo_site):
    context = browser.new_context(java_script_enabled=False, locale="it-IT")
    try:
        tab = context.new_page()
        tab.goto(f"{saml_live}/accedi/?next=/notizie/")
        tab.locator(".portal-signin-spid summary").click()
        link = tab.get_by_role("link", name="Ambiente dimostrativo (SPID)")
        assert "next=%2Fnotizie%2F" in link.get_attribute("href")
        link.click()
        tab.wait_for_load_state()
        if "/spid/login/" in tab.url:  # the SP's HTTP-POST form waits for its button
            tab.get_by_role("button").first.click()
        tab.wait_for_url("**/demo-idp/sso/**")
        tab.get_by_role("button", name="Entra come Marco Rossi").click()
        # Without JavaScript the Response waits for the "Continua" button.
        tab.get_by_role("button", name="Continua").click()
        tab.wait_for_load_state()
        assert "/demo-idp/" not in tab.url and "/spid/acs/" not in tab.url
    finally:
        context.close()
