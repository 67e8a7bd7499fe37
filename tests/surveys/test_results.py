"""The results of a questionnaire: aggregation in the database, filters, k-anonymity, who sees
them, the free-text answers, the query budget, and the SQL recount of the cells."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from surveys import results as r
from surveys import services
from surveys.models import ResultCell
from tests.communities.factories import RegisteredUserFactory
from tests.events.factories import grant_edit
from tests.factories import EnteFactory

from .factories import SurveyPageFactory, field, q, section, valid_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The figures' labels and the pages in English (the source strings; the site's /en/)."""
    with translation.override("en"):
        yield


def respondent(region="Lazio", kind="comune", population=3000, position="employee"):
    ente = EnteFactory(region=region, kind=kind, population=population)
    return RegisteredUserFactory(ente=ente, position=position)


def answer(survey, user=None, **overrides):
    user = user or respondent()
    return services.submit(user, survey, valid_answers(survey, **overrides))


def by_code(data):
    return {
        result["question"]["code"]: result
        for section_ in data["sections"]
        for result in section_["questions"]
    }


def counts(result):
    return {row["label"]: row["count"] for row in result["rows"]}


def close(page, *, visibility=None):
    page.opens_at = timezone.now() - datetime.timedelta(days=10)
    page.closes_at = timezone.now() - datetime.timedelta(minutes=5)
    if visibility:
        page.results_visibility = visibility
    page.save()


def results_url(page, **params):
    url = reverse("surveys:results", args=[page.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


@pytest.fixture
def manager(world):
    """The staff editor, with the editors' grant on the home page (manages every survey)."""
    grant_edit([world.users["staff"]], world.tree.home, name="Redazione")
    return world.users["staff"]


@pytest.fixture
def answered(world):
    """Six responses to the portal survey: four from Lazio (three Comuni under 5,000, one
    union), two from Toscana (a mayor among them)."""
    s = world.survey
    answer(s, cloud="Sì", provider="Fornitore A", preparazione="2", dipendenti="10")
    answer(s, cloud="Sì", provider="__other__", provider__other="Fornitore C", dipendenti="300")
    answer(s, cloud="No", provider=None, preparazione="5", strumenti__r1=None, piano="no")
    answer(s, respondent(kind="unione", population=12000), cloud="Non so", temi="Incidenti")
    answer(s, respondent(region="Toscana"), commenti="Serve formazione", audit="2026-02-03")
    answer(s, respondent(region="Toscana", position="sindaco"), referente="=1+2")
    return s


def test_figures_are_summed_in_the_database_per_question(answered):
    data = r.survey_results(answered, manager=True)
    assert data["respondents"] == 6 and not data["suppressed"]
    figures = by_code(data)
    cloud = figures["cloud"]
    assert cloud["answered"] == 6
    assert counts(cloud) == {"Sì": 4, "No": 1, "Non so": 1}
    assert cloud["rows"][0]["percent"] == Decimal("66.7")
    provider = figures["provider"]
    assert provider["answered"] == 4  # asked only when cloud = Sì
    assert counts(provider) == {"Fornitore A": 3, "Fornitore B": 0, "Other": 1}
    assert provider["texts"] == ["Fornitore C"] and provider["texts_count"] == 1
    temi = figures["temi"]
    assert temi["multiple"] and counts(temi) == {
        "Backup": 5,
        "Phishing": 5,
        "Incidenti": 1,
        "Other": 0,
    }
    scale = figures["preparazione"]
    assert counts(scale)["2"] == 1 and counts(scale)["5 – Molto"] == 1
    assert scale["mean"] == Decimal("3.83")  # (2 + 4 + 5 + 4 + 4 + 4) / 6
    matrix = figures["strumenti"]["matrix"]
    antivirus, firewall = matrix["rows"]
    assert antivirus["answered"] == 6 and antivirus["mean"] == Decimal("3.00")
    assert firewall["answered"] == 5 and firewall["mean"] == Decimal("5.00")
    assert [cell["count"] for cell in antivirus["counts"]] == [0, 0, 6, 0, 0]
    number = figures["dipendenti"]
    assert number["mean"] == Decimal("79.67")  # (10 + 300 + 42 × 4) / 6
    assert counts(number) == {"0–200": 5, "200–400": 1, "400–600": 0, "600–800": 0, "800–1000": 0}
    audit = figures["audit"]
    assert [row["count"] for row in audit["rows"]] == [5, 1]  # January, then February 2026
    assert figures["piano"]["rows"][1]["count"] == 1
    texts = figures["referente"]
    assert texts["answered"] == 6 and texts["texts"][0] == "=1+2"  # newest first
    assert texts["chart"] is None


def test_filters_narrow_the_figures_and_offer_only_present_values(answered):
    choices = r.filter_choices(answered)
    assert [value for value, _label in choices["region"]] == ["Lazio", "Toscana"]
    assert [value for value, _label in choices["ente_kind"]] == ["comune", "unione"]
    assert [value for value, _label in choices["population_class"]] == ["lt5k", "5k-20k"]
    assert [value for value, _label in choices["position"]] == ["employee", "sindaco"]
    lazio = r.survey_results(answered, r.Filters(region="Lazio"))
    assert lazio["respondents"] is None and lazio["suppressed"]  # 4 < 5: not even the count
    with override_settings(SURVEYS_MIN_GROUP=3):
        lazio = r.survey_results(answered, r.Filters(region="Lazio"))
        assert lazio["respondents"] == 4 and not lazio["suppressed"]
        assert counts(by_code(lazio)["cloud"]) == {"Sì": 2, "No": 1, "Non so": 1}
        employees = r.survey_results(answered, r.Filters(region="Toscana", position="employee"))
        assert employees["respondents"] is None and employees["suppressed"]


def test_a_small_breakdown_shows_no_figures_on_the_page(answered, manager, client):
    client.force_login(manager)
    response = client.get(results_url(answered, region="Toscana"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "protect anonymity" in body and 'role="img"' not in body
    assert "Serve formazione" not in body
    texts = client.get(
        reverse("surveys:text_answers", args=[answered.pk, field(answered, "commenti")[2:]])
        + "?region=Toscana"
    )
    assert texts.status_code == 200 and "Serve formazione" not in texts.content.decode()
    # The filter selects list only the values present; the button and labels are there.
    assert '<option value="Toscana"' in body and '<option value="Umbria"' not in body
    assert '<label for="id_region">' in body


def test_the_whole_questionnaire_under_the_threshold_is_shown_to_managers_only(world):
    survey = world.survey
    answer(survey)
    answer(survey)
    manager_view = r.survey_results(survey, manager=True)
    assert manager_view["respondents"] == 2 and not manager_view["suppressed"]
    assert by_code(manager_view)["cloud"]["answered"] == 2
    public_view = r.survey_results(survey, manager=False)
    assert public_view["suppressed"] and public_view["sections"] == []


def test_the_page_shows_charts_with_their_tables(answered, manager, client):
    client.force_login(manager)
    response = client.get(results_url(answered))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = response.content.decode()
    charts = body.count('role="img"')
    assert charts >= 8 and body.count("<caption>") == charts
    assert '<th scope="col">' in body and '<th scope="row">' in body
    assert "Fornitore C" in body and "Serve formazione" in body
    assert reverse("surveys:export_xlsx", args=[answered.pk]) in body


def test_text_answers_are_paginated_newest_first(world, manager, client):
    survey = world.survey
    for n in range(23):
        answer(survey, commenti=f"Commento numero {n:02d}")
    client.force_login(manager)
    url = reverse("surveys:text_answers", args=[survey.pk, field(survey, "commenti")[2:]])
    first = client.get(url).content.decode()
    assert "Commento numero 22" in first and "Commento numero 03" in first
    assert "Commento numero 02" not in first
    second = client.get(url + "?page=2").content.decode()
    assert "Commento numero 02" in second and "Commento numero 00" in second
    assert client.get(reverse("surveys:text_answers", args=[survey.pk, "nope"])).status_code == 404


def test_an_option_dropped_by_a_new_version_is_kept_and_marked(world):
    survey = world.survey
    for _n in range(5):
        answer(survey, cloud="Non so", provider=None)
    stream = list(survey.questions.raw_data)
    stream[0]["value"]["questions"][0]["value"]["options"] = ["Sì", "No"]
    survey.questions = stream
    survey.save_revision().publish()
    assert services.current_version(survey).number == 2
    cloud = by_code(r.survey_results(survey, manager=True))["cloud"]
    assert [(row["label"], row["count"], row["earlier"]) for row in cloud["rows"]] == [
        ("Sì", 0, False),
        ("No", 0, False),
        ("Non so", 5, True),
    ]


# --- who sees the results -------------------------------------------------------------------


def test_managers_see_the_results_at_any_time(answered, manager, client, world):
    client.force_login(manager)
    assert client.get(results_url(answered)).status_code == 200
    grant_edit([world.users["coordinator"]], world.community)
    client.force_login(world.users["coordinator"])
    assert client.get(results_url(world.consultation)).status_code == 200


def test_respondents_see_the_results_after_the_close(world, client):
    survey = world.survey
    survey.results_visibility = survey.Results.RESPONDENTS
    survey.save()
    user = world.users["registered"]
    answer(survey, user)
    for _n in range(4):
        answer(survey)
    client.force_login(user)
    before = client.get(results_url(survey))
    assert before.status_code == 403 and "after its close" in before.content.decode()
    close(survey)
    assert client.get(results_url(survey)).status_code == 200
    client.force_login(world.users["participant"])  # did not answer
    assert client.get(results_url(survey)).status_code == 403


def test_anonymous_visitors_see_public_results_only_after_the_close(world, client):
    survey = world.survey
    survey.results_visibility = survey.Results.PUBLIC
    survey.save()
    for _n in range(5):
        answer(survey)
    before = client.get(results_url(survey))
    assert before.status_code == 302 and "?next=" in before["Location"]
    close(survey)
    response = client.get(results_url(survey))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]
    assert "esportazione" not in response.content.decode()  # no export link for visitors
    # Results for managers only: a visitor is asked to sign in; a member is refused.
    close(survey, visibility=survey.Results.MANAGERS)
    assert client.get(results_url(survey)).status_code == 302
    client.force_login(world.users["registered"])
    assert client.get(results_url(survey)).status_code == 403


def test_a_consultation_is_not_disclosed_to_outsiders(world, client):
    consultation = world.consultation
    close(consultation, visibility=consultation.Results.RESPONDENTS)
    client.force_login(world.users["other_member"])
    assert client.get(results_url(consultation)).status_code == 404
    client.logout()
    assert client.get(results_url(consultation)).status_code == 404
    client.force_login(world.users["participant"])  # a member who did not answer
    assert client.get(results_url(consultation)).status_code == 403
    assert client.get(reverse("surveys:results", args=[999999])).status_code == 404


def test_the_query_count_does_not_grow_with_the_responses(
    world, manager, client, django_assert_num_queries
):
    survey = world.survey
    for _n in range(5):
        answer(survey)
    client.force_login(manager)
    client.get(results_url(survey))  # warm the per-process snapshots
    with CaptureQueriesContext(connection) as few:
        assert client.get(results_url(survey, region="Lazio")).status_code == 200
    for _n in range(6):
        answer(survey, respondent(region="Toscana"), commenti="Altro commento")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(results_url(survey, region="Lazio"))
    assert response.status_code == 200 and "5 respondents" in response.content.decode()


# --- the cells recounted in SQL ----------------------------------------------------------------


def cell_table(survey):
    return {
        (c["question"], c["row"], c["option"], c["segment_id"]): (c["n"], c["t"])
        for c in ResultCell.objects.filter(survey=survey)
        .values("question", "row", "option", "segment_id")
        .annotate(n=Sum("count"), t=Sum("total"))
        if c["n"]
    }


def test_the_sql_recount_equals_rebuild_results(answered):
    answer(answered, respondent(region="Umbria"), cloud="No", provider=None, temi="__other__",
           temi__other="Altro tema")  # fmt: skip
    services.rebuild_results(answered)
    expected = cell_table(answered)
    ResultCell.objects.filter(survey=answered).delete()
    assert r.recount_cells_in_sql(answered) == 7
    assert cell_table(answered) == expected
    assert len(expected) > 40


def test_translated_labels_are_used_when_given(answered):
    definition = r.current_definition(answered)
    cloud = next(qq for qq in section_questions(definition) if qq["code"] == "cloud")
    labels = {cloud["key"]: {**cloud, "label": "Do you use cloud?", "options": ["Yes", "No", "?"]}}
    data = r.survey_results(answered, manager=True, labels=labels)
    result = by_code(data)["cloud"]
    assert result["question"]["label"] == "Do you use cloud?"
    assert counts(result) == {"Yes": 4, "No": 1, "?": 1}


def section_questions(definition):
    for s in definition["sections"]:
        yield from s["questions"]


def test_unpublished_questionnaire_has_no_results(world):
    page = SurveyPageFactory(parent=world.index, questions=[section("A", q("yes_no", "Ok?"))])
    data = r.survey_results(page, manager=True)
    assert not data["published"] and data["respondents"] == 0


def test_cached_sums_follow_every_new_or_edited_response(world):
    survey = world.survey
    user = respondent()
    answer(survey, user, cloud="No", provider=None)
    for _n in range(4):
        answer(survey)
    assert counts(by_code(r.survey_results(survey))["cloud"])["No"] == 1
    answer(survey, user)  # edited: now "Sì"
    assert counts(by_code(r.survey_results(survey))["cloud"])["No"] == 0
    answer(survey, cloud="No", provider=None)
    assert counts(by_code(r.survey_results(survey))["cloud"])["No"] == 1
