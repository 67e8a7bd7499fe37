"""Answering a questionnaire in a real browser: the conditions hide and show questions live, the
draft saves itself, a refused send keeps what was typed; axe-core (no serious or critical
violation) on the questionnaire's page, its error state, "Sondaggi" and La mia area > Sondaggi."""

import pytest

from .conftest import axe_violations, italian, sign_in_as, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_answering_a_questionnaire(page, live_server):
    from surveys.models import Draft, Participation
    from tests.conftest import build_site
    from tests.surveys.factories import SurveyIndexPageFactory, SurveyPageFactory, field

    base = live_server.url.rstrip("/")
    tree = build_site()
    index = SurveyIndexPageFactory(parent=tree.home)
    survey = SurveyPageFactory(parent=index, title="Sondaggio sui servizi cloud")
    from tests.communities.factories import RegisteredUserFactory

    member = RegisteredUserFactory()
    report = {}

    page.goto(base + survey.url)  # a visitor: the rules and the sign-in link
    report["visitor"] = axe_violations(page)

    sign_in_as(page, base, member)
    page.goto(base + survey.url)
    report["form"] = axe_violations(page)
    provider = page.locator(f'[data-question="{field(survey, "provider")}"]')
    # The question about the provider waits for "Sì" (its inputs disabled meanwhile); "No"
    # hides it again.
    assert provider.is_hidden()
    assert page.locator(f'input[name="{field(survey, "provider")}"]').first.is_disabled()
    tick(page, page.get_by_role("radio", name="Sì", exact=True).first)
    assert provider.is_visible()
    tick(page, page.get_by_role("radio", name="No", exact=True).first)
    assert provider.is_hidden()
    tick(page, page.get_by_role("radio", name="Sì", exact=True).first)
    assert page.locator("[data-survey-announce]").inner_text()
    # The draft saves itself a few seconds after the last change.
    page.locator(f'input[name="{field(survey, "referente")}"]').fill("Ufficio CED")
    status = page.locator("[data-survey-status]")
    status.filter(has_text=italian("Draft saved at %(time)s.").split("%")[0].strip()).wait_for(
        timeout=10_000
    )
    assert Draft.objects.get(user=member).data[field(survey, "referente")] == ["Ufficio CED"]

    # Sending with answers missing: 400, the summary first, what was typed kept.
    page.get_by_role("button", name=italian("Send"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#survey-errors").is_visible()
    assert page.locator(f'input[name="{field(survey, "referente")}"]').input_value() == (
        "Ufficio CED"
    )
    report["errors"] = axe_violations(page)
    assert not Participation.objects.exists()

    page.goto(base + index.url)
    report["index"] = axe_violations(page)
    page.goto(base + "/la-mia-area/sondaggi/")
    assert survey.title in page.content()
    report["my_surveys"] = axe_violations(page)
    assert not any(report.values()), f"axe-core serious/critical violations: {report}"
