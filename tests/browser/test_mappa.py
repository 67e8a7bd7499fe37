"""The Mappa dei Comuni Digitali in a real browser, on the demo content (issue 17's "Done when"):
a member whose Comune is under 5,000 inhabitants (the demo's "partecipante", of Monteverde, 750
inhabitants, left out of the synthetic responses) signs in through the real SAML flow, opens the
campaign and asks to compile for their Comune (the declaration); the staff approve the request in
Wagtail's admin ("Mappa: compilers"); the member is offered the simplified questionnaire because
the Comune is under 5,000 inhabitants (the staff also read a territory of the competence-centre
survey), answers part of it, saves a draft (a plain form post),
comes back and finds the answers kept, completes and sends it, reads the report with the
comparison (region, population class, Italy) and its radar chart, and downloads the PDF. Then an
anonymous visitor opens the public dashboard with the map of Italy and its table.
axe-core: no serious or critical violation on every page of the path.

Forms are found by their action and fields by name, not by their labels (the UI is Italian).
"""

import pytest

from .conftest import axe_violations, italian, sign_in_with_spid, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGN = "/mappa/campagne/mappa-2026/"
DASHBOARD = "/mappa-dei-comuni-digitali/"
TERRITORIES = "/mappa/campagne/centro-competenze-2026/territori/"
#: The first section of the simplified questionnaire, answered before the draft is saved.
FIRST = {"rtd_nominato": "yes", "personale_ict": "2"}


def new_context(browser):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def goto_ok(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    return response


def submit(page, form):
    form.locator('button[type="submit"], input[type="submit"]').first.click()
    page.wait_for_load_state()


def sign_in_to_admin(page, base):
    from demo.people import ADMIN_PASSWORD, ADMIN_USERNAME

    page.goto(base + "/admin/login/")
    page.fill('input[name="username"]', ADMIN_USERNAME)
    page.fill('input[name="password"]', ADMIN_PASSWORD)
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/admin/")


def answer(page, form, question, value=None):
    """Answer ``question`` (a definition's question) by its field's name: ``value`` for a text
    or number, the option ``value`` (or the first one) for a choice."""
    controls = form.locator(f'[name="q_{question["key"]}"]')
    assert controls.count() >= 1, f"no field for {question['code']}"
    first = controls.first
    tag = first.evaluate("element => element.tagName.toLowerCase()")
    kind = first.get_attribute("type") or ""
    if kind in ("radio", "checkbox"):
        control = form.locator(f'[name="q_{question["key"]}"][value="{value}"]') if value else first
        tick(page, control)
    elif tag == "select":
        first.select_option(value=value) if value else first.select_option(index=1)
    else:
        first.fill(value or "3")


def neighbours():
    """Comuni that answered both campaigns before the member (the demo's synthetic responses, by
    ``demo.mappa.load_synthetic``): the test database has no registry of Comuni, so the groups
    of the comparison (Monteverde's region, its population class, Italy) are built here, each
    of at least 5 Comuni, and the staff have a territory to read."""
    from demo.mappa import load_synthetic
    from mappa.models import Campaign
    from membership.models import Ente

    enti = [
        Ente.objects.create(
            kind=Ente.Kind.COMUNE,
            status=Ente.Status.APPROVED,
            name=f"Comune di prova {number} (Avellino)",
            istat_code=f"0649{number:02d}",
            region="Campania",
            province="Avellino",
            province_code="AV",
            population=500 + 50 * number,
        )
        for number in range(1, 9)
    ] + [
        Ente.objects.create(
            kind=Ente.Kind.COMUNE,
            status=Ente.Status.APPROVED,
            name=f"Comune di prova {number} (Modena)",
            istat_code=f"0369{number:02d}",
            region="Emilia-Romagna",
            province="Modena",
            province_code="MO",
            population=800 * number,
        )
        for number in range(1, 9)
    ]
    for slug, seed in (("mappa-2026", 2026), ("centro-competenze-2026", 2026)):
        campaign = Campaign.objects.get(slug=slug)
        assert load_synthetic(campaign, enti, seed) == len(enti)


def test_a_small_comune_compiles_the_mappa_and_reads_its_report(
    saml_live, browser, page, demo_site
):
    from demo_idp import identities
    from mappa.models import Accreditation, Campaign, EnteDraft, Submission
    from membership.models import User
    from surveys.definition import questions
    from surveys.services import version_for_answering

    base = saml_live
    member = User.objects.get(fiscal_number=identities.get("partecipante").fiscal_code)
    ente = member.ente
    assert ente.kind == "comune" and ente.population < 5000, (ente, ente.population)
    campaign = Campaign.objects.get(slug="mappa-2026")
    assert not Submission.objects.filter(campaign=campaign, ente=ente).exists()
    neighbours()
    report = {}

    # --- The member signs in and asks to compile for their Comune (the declaration).
    sign_in_with_spid(page, base, "partecipante", next_path=CAMPAIGN)
    goto_ok(page, base + CAMPAIGN)
    report["campaign (not a compiler)"] = axe_violations(page)
    form = page.locator(f'form[action$="{CAMPAIGN}"]')
    tick(page, form.locator('input[name="authorised_by"][value="mayor"]'))
    form.locator('input[name="authorisation_date"]').fill("2026-11-02")
    tick(page, form.locator('input[name="declaration"]'))
    submit(page, form)
    accreditation = Accreditation.objects.get(campaign=campaign, user=member)
    assert accreditation.status == Accreditation.Status.REQUESTED and accreditation.ente == ente
    assert page.locator("#mappa-state").count() == 1
    report["campaign (request pending)"] = axe_violations(page)
    # Not a compiler yet: the questionnaire is refused.
    response = page.request.get(base + CAMPAIGN + "compila/", max_redirects=0)
    assert response.status == 403, response.status

    # --- The staff approve it in Wagtail's admin, from the "Mappa: compilers" listing.
    staff = new_context(browser)
    sign_in_to_admin(staff, base)
    goto_ok(staff, base + "/admin/mappa/accreditations/?status=requested")
    edit = f"/admin/mappa/accreditations/edit/{accreditation.pk}/"
    staff.locator(f'a[href$="{edit}"]').first.click()
    staff.wait_for_load_state()
    admin_form = staff.locator(f'form[action$="{edit}"]')
    admin_form.locator('select[name="status"]').select_option("approved")
    admin_form.locator('button[type="submit"]:not([name])').first.click()
    staff.wait_for_load_state()
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.APPROVED, staff.url
    assert accreditation.is_referent  # the Ente's first compiler
    # The staff also read the competence-centre survey's territories (all of them, for staff).
    goto_ok(staff, base + TERRITORIES)
    report["territories (staff)"] = axe_violations(staff)
    staff.locator("main table tbody th a").first.click()
    staff.wait_for_load_state()
    assert "/territorio/" in staff.url, staff.url
    assert staff.locator("main #territory-topics-table").count() == 1
    report["territory (staff)"] = axe_violations(staff)
    staff.context.close()

    # --- The member is offered the simplified questionnaire: the Comune is under 5,000.
    goto_ok(page, base + CAMPAIGN)
    report["campaign (compiler)"] = axe_violations(page)
    page.locator(f'main a[href$="{CAMPAIGN}compila/"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith(CAMPAIGN + "compila/")
    variant = page.locator("#mappa-variant").inner_text()
    assert "5.000" in variant and ente.name in variant and "750" in variant, variant
    survey = campaign.simplified_survey
    definition = version_for_answering(survey).definition
    by_code = {question["code"]: question for question in questions(definition)}
    full = version_for_answering(campaign.full_survey).definition
    assert len(by_code) < len(list(questions(full)))
    assert "rtd_forma" not in by_code  # a question of the full version only
    report["compile"] = axe_violations(page)

    # ... answers the first section and saves a draft (a plain form post)...
    form = page.locator(f'form[action$="{CAMPAIGN}compila/"]')
    for code, value in FIRST.items():
        answer(page, form, by_code[code], value)
    form.locator('button[name="action"][value="draft"]').click()
    page.wait_for_load_state()
    draft = EnteDraft.objects.get(campaign=campaign, ente=ente)
    assert draft.variant == Campaign.Variant.SIMPLIFIED
    assert not Submission.objects.filter(campaign=campaign, ente=ente).exists()

    # ... goes elsewhere and comes back: the answers are kept.
    goto_ok(page, base + "/")
    goto_ok(page, base + CAMPAIGN)
    report["campaign (draft saved)"] = axe_violations(page)
    page.locator(f'main a[href$="{CAMPAIGN}compila/"]').first.click()
    page.wait_for_load_state()
    form = page.locator(f'form[action$="{CAMPAIGN}compila/"]')
    rtd = by_code["rtd_nominato"]["key"]
    assert form.locator(f'input[name="q_{rtd}"][value="yes"]').is_checked()
    personale = by_code["personale_ict"]["key"]
    assert form.locator(f'[name="q_{personale}"]').input_value() == "2"

    # ... completes the questionnaire and sends it.
    for code, question in by_code.items():
        if code not in FIRST and question.get("required", True):
            answer(page, form, question)
    form.locator('button[name="action"][value="submit"]').click()
    page.wait_for_load_state()
    submission = Submission.objects.get(campaign=campaign, ente=ente)
    assert submission.variant == Campaign.Variant.SIMPLIFIED and not submission.is_demo
    assert submission.submitted_by == member and submission.scores.exists()

    # --- The report: the scores compared with the region, the class and Italy, a radar chart.
    assert page.url.endswith(CAMPAIGN + "report/"), page.url
    main = page.locator("main")
    headers = main.locator("#report-table thead th[scope=colgroup]")
    assert headers.count() == 3, headers.all_inner_texts()
    labels = " | ".join(headers.all_inner_texts())
    assert ente.region in labels and italian("All Comuni in Italy") in labels, labels
    total = main.locator('section[aria-labelledby="report-total"]').inner_text()
    assert ente.region in total and italian("All Comuni in Italy") in total, total
    # Every group has at least 5 Comuni: every comparison has its figures.
    assert main.locator("#report-table tbody td[colspan]").count() == 0
    assert main.locator(".portal-mappa-chart svg").count() == 1
    report["report"] = axe_violations(page)
    response = page.request.get(base + CAMPAIGN + "report.pdf")
    assert response.status == 200 and response.body()[:5] == b"%PDF-", response.status
    # The campaign page now says the response was sent and leads to the report.
    goto_ok(page, base + CAMPAIGN)
    assert page.locator(f'main a[href$="{CAMPAIGN}report/"]').count() >= 1
    report["campaign (sent)"] = axe_violations(page)

    # --- An anonymous visitor opens the public dashboard and the map of Italy.
    visitor = new_context(browser)
    goto_ok(visitor, base + DASHBOARD)
    svg = visitor.locator("main svg.portal-map")
    assert svg.count() == 1
    assert svg.locator("a.portal-map-region").count() == 20
    assert visitor.locator("main #mappa-table-regions").count() == 1
    rows = visitor.locator("main #mappa-table-regions tbody tr")
    assert rows.count() >= 20, rows.count()
    report["dashboard"] = axe_violations(visitor)
    visitor.context.close()

    assert not any(report.values()), f"axe-core serious/critical violations: {report}"
