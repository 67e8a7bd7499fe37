"""A questionnaire's whole life in a real browser, on the demo content: an editor builds it in
Wagtail's admin with a condition, a member signed in through the real SAML flow saves a draft,
comes back to it from La mia area and sends it, and the editor reads the chart and downloads
the XLSX. axe-core (no serious or critical violation) on every portal page of the flow."""

import datetime
import io

import pytest
from django.utils import timezone

from .conftest import axe_violations, italian, publish_in_admin, sign_in_with_spid, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in_to_admin(page, base):
    from demo.people import ADMIN_PASSWORD, ADMIN_USERNAME

    page.goto(base + "/admin/login/")
    page.fill('input[name="username"]', ADMIN_USERNAME)
    page.fill('input[name="password"]', ADMIN_PASSWORD)
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/admin/")


def add_question(page, kind_label):
    """Wagtail's StreamField: the last "+" of the section's questions, then the block type."""
    inner = page.locator('[data-contentpath="questions"] [data-contentpath="questions"]').first
    inner.locator("button.c-sf-add-button").last.click()
    page.locator(".w-combobox__option", has_text=kind_label).first.click()


def test_a_questionnaire_from_the_editor_to_the_results(saml_live, browser, page, demo_site):
    from surveys.models import Participation, SurveyIndexPage, SurveyPage

    base = saml_live
    index = SurveyIndexPage.objects.get(locale__language_code="it")
    report = {}

    # --- The editor builds it in the admin: a yes/no question and one shown only after "yes".
    editor = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    admin = editor.new_page()
    admin.set_default_timeout(15_000)
    sign_in_to_admin(admin, base)
    admin.goto(f"{base}/admin/pages/add/surveys/surveypage/{index.pk}/")
    admin.fill('input[name="title"]', "Sondaggio sui servizi cloud")
    closes = timezone.localtime() + datetime.timedelta(days=14)
    admin.fill('input[name="closes_at"]', closes.strftime("%Y-%m-%d %H:%M"))
    admin.locator("button.c-sf-add-button").first.click()
    admin.fill('input[name="questions-0-value-title"]', "Il tuo Ente")
    add_question(admin, italian("Yes/no"))
    admin.fill('input[name="questions-0-value-questions-0-value-label"]', "Usate servizi cloud?")
    admin.fill('input[name="questions-0-value-questions-0-value-code"]', "cloud")
    add_question(admin, italian("Short text"))
    prefix = "questions-0-value-questions-1-value"
    admin.fill(f'input[name="{prefix}-label"]', "Quale fornitore usate?")
    admin.fill(f'input[name="{prefix}-condition-question"]', "cloud")
    admin.fill(f'input[name="{prefix}-condition-answer"]', "sì")
    publish_in_admin(admin)
    survey = SurveyPage.objects.get(title="Sondaggio sui servizi cloud")
    assert survey.live and survey.versions.count() == 1
    question, conditional = survey.versions.get().definition["sections"][0]["questions"]
    assert conditional["condition"] == {"question": question["key"], "value": "yes"}

    # --- A member answers the first question and saves a draft (no JavaScript needed).
    sign_in_with_spid(page, base, "partecipante", next_path=survey.url)
    page.goto(base + survey.url)
    provider = page.locator(f'[data-question="q_{conditional["key"]}"]')
    assert provider.is_hidden()  # shown only after "Sì"
    tick(page, page.get_by_role("radio", name=italian("Yes"), exact=True).first)
    assert provider.is_visible()
    report["survey page"] = axe_violations(page)
    page.get_by_role("button", name=italian("Save draft"), exact=True).click()
    page.wait_for_load_state()

    # ... goes elsewhere, comes back from La mia area: the answer is still there.
    page.goto(base + "/")
    page.goto(base + "/la-mia-area/sondaggi/")
    report["la mia area"] = axe_violations(page)
    page.get_by_role("link", name="Sondaggio sui servizi cloud").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("radio", name=italian("Yes"), exact=True).first.is_checked()
    page.locator(f'input[name="q_{conditional["key"]}"]').fill("Fornitore Alfa")
    page.get_by_role("button", name=italian("Send"), exact=True).click()
    page.wait_for_load_state()
    assert "inviato=1" in page.url
    report["sent"] = axe_violations(page)
    assert Participation.objects.filter(survey=survey).count() == 1

    # --- The editor reads the results (a chart with its table) and downloads the XLSX.
    admin.goto(f"{base}/questionari/{survey.pk}/risultati/")
    assert admin.locator("main svg").count() >= 1
    assert admin.locator("main table").count() >= 1
    report["results"] = axe_violations(admin)
    with admin.expect_download() as download:
        admin.locator(f'a[href$="/questionari/{survey.pk}/esportazione.xlsx"]').first.click()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert {"Riepilogo", "Risposte"} <= set(workbook.sheetnames)
    rows = [
        [cell for cell in row if cell] for row in workbook["Risposte"].iter_rows(values_only=True)
    ]
    assert any("Fornitore Alfa" in row for row in rows)
    # Every free-text answer, paginated.
    admin.goto(f"{base}/questionari/{survey.pk}/risultati/risposte/{conditional['key']}/")
    assert "Fornitore Alfa" in admin.locator("main").inner_text()
    report["text answers"] = axe_violations(admin)
    editor.close()
    assert not any(report.values()), f"axe-core serious/critical violations: {report}"
