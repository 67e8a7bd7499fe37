"""The questionnaire engine: definitions, conditions, drafts, sending, editing, anonymity, one
response per authority, versions and the result cells."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from cms import errors
from surveys import definition as d
from surveys import services
from surveys.models import Answer, Draft, Participation, Response, ResultCell
from tests.factories import UserFactory

from .factories import SurveyPageFactory, field, q, section, valid_answers

pytestmark = pytest.mark.django_db


def cells_of(survey):
    return {
        (c.question, c.row, c.option): (c.count, c.total)
        for c in ResultCell.objects.filter(survey=survey)
        .values("question", "row", "option")
        .annotate(count=Sum("count"), total=Sum("total"))
        .values_list("question", "row", "option", "count", "total", named=True)
        if c.count
    }


def test_definition_resolves_conditions_and_kinds(world):
    version = services.version_for_answering(world.survey)
    definition = version.definition
    kinds = [question["kind"] for question in d.questions(definition)]
    assert set(kinds) == set(d.KINDS) and len(kinds) == 10
    by_code = {question["code"]: question for question in d.questions(definition)}
    assert by_code["provider"]["condition"] == {"question": by_code["cloud"]["key"], "value": "Sì"}
    assert (by_code["dipendenti"]["min"], by_code["dipendenti"]["max"]) == ("0", "1000")


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (("missing", "Sì"), "non è il codice di una domanda precedente"),
        (("cloud", "Forse"), "non è una risposta possibile"),
        (("nome", "Mario"), "solo domande a scelta, a scala o sì/no"),
    ],
)
def test_bad_conditions_are_refused_with_a_message(world, condition, message):
    stream = [
        section(
            "A",
            q("short_text", "Nome", code="nome", max_length=50),
            q("single_choice", "Cloud?", code="cloud", options=["Sì", "No"], allow_other=False),
            q("yes_no", "Dipende", condition=condition),
        )
    ]
    page = SurveyPageFactory(parent=world.index, questions=stream)
    with pytest.raises(d.DefinitionError) as caught:
        d.definition_from_stream(page.questions)
    assert message in caught.value.message


def test_a_valid_response_is_stored_with_its_cells(world):
    user = world.users["registered"]
    response = services.submit(user, world.survey, valid_answers(world.survey))
    assert response.user == user and response.version.number == 1
    assert Participation.objects.get(survey=world.survey, user=user).response == response
    options = set(Answer.objects.filter(response=response).values_list("option", flat=True))
    assert {"Sì", "Fornitore A", "Backup", "Phishing", "4", "yes", "2026-01"} <= options
    cells = cells_of(world.survey)
    assert cells[("", "", "")][0] == 1
    dipendenti = field(world.survey, "dipendenti")[2:]
    assert cells[(dipendenti, "", "")] == (1, Decimal(42))
    assert cells[(dipendenti, "", "0–200")][0] == 1
    before = cells_of(world.survey)
    assert services.rebuild_results(world.survey) == 1
    assert cells_of(world.survey) == before


def test_a_hidden_question_is_neither_required_nor_stored(world):
    user = world.users["registered"]
    data = valid_answers(world.survey, cloud="No", provider="Fornitore B")
    response = services.submit(user, world.survey, data)
    provider = field(world.survey, "provider")[2:]
    assert not Answer.objects.filter(response=response, question=provider).exists()


def test_missing_and_bad_answers_keep_what_was_typed(world):
    user = world.users["registered"]
    data = valid_answers(world.survey, provider=None, dipendenti="5000", referente="x" * 60)
    with pytest.raises(services.SurveyInvalid) as caught:
        services.submit(user, world.survey, data)
    error = caught.value
    assert error.status == 400
    assert set(error.form.errors) == {
        field(world.survey, "provider"),
        field(world.survey, "dipendenti"),
        field(world.survey, "referente"),
    }
    draft = Draft.objects.get(survey=world.survey, user=user)
    assert draft.data[field(world.survey, "dipendenti")] == ["5000"]
    assert draft.data[field(world.survey, "referente")] == ["x" * 60]
    assert not Response.objects.exists()


def test_other_requires_its_text_and_max_choices_is_enforced(world):
    user = world.users["registered"]
    data = valid_answers(
        world.survey, temi=["Backup", "Phishing", "Incidenti"], provider="__other__"
    )
    with pytest.raises(services.SurveyInvalid) as caught:
        services.submit(user, world.survey, data)
    assert set(caught.value.form.errors) == {
        field(world.survey, "temi"),
        field(world.survey, "provider", "__other"),
    }


def test_editing_until_the_close_replaces_the_answers_and_the_cells(world):
    user = world.users["registered"]
    services.submit(user, world.survey, valid_answers(world.survey))
    services.submit(user, world.survey, valid_answers(world.survey, cloud="No", dipendenti="7"))
    assert Response.objects.count() == 1
    cells = cells_of(world.survey)
    cloud = field(world.survey, "cloud")[2:]
    assert cells[("", "", "")][0] == 1
    assert (cloud, "", "Sì") not in cells and cells[(cloud, "", "No")][0] == 1
    before = cells_of(world.survey)
    services.rebuild_results(world.survey)
    assert cells_of(world.survey) == before


def test_anonymous_responses_carry_no_link_to_the_person(world):
    world.survey.anonymous = True
    world.survey.save()
    user = world.users["registered"]
    response = services.submit(user, world.survey, valid_answers(world.survey))
    assert response.user is None and response.ente is None
    assert timezone.localtime(response.submitted_at).time() == datetime.time(0, 0)
    assert Participation.objects.get(user=user).response is None
    with pytest.raises(errors.Conflict):
        services.submit(user, world.survey, valid_answers(world.survey))


def test_one_response_per_authority_names_the_respondent(world):
    world.survey.respondent = world.survey.Respondent.ENTE
    world.survey.save()
    first = world.users["registered"]
    colleague = UserFactory(ente=first.ente)
    services.submit(first, world.survey, valid_answers(world.survey))
    with pytest.raises(errors.Conflict) as caught:
        services.submit(colleague, world.survey, valid_answers(world.survey))
    assert caught.value.code == "taken"
    assert first.last_name in caught.value.user_message
    # The first respondent may still edit it.
    services.submit(first, world.survey, valid_answers(world.survey, cloud="No"))


def test_closed_not_open_and_outside_the_audience(world):
    user = world.users["registered"]
    world.survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    world.survey.opens_at = timezone.now() - datetime.timedelta(days=3)
    world.survey.save()
    with pytest.raises(errors.Conflict) as caught:
        services.submit(user, world.survey, valid_answers(world.survey))
    assert caught.value.code == "closed"
    with pytest.raises(errors.Refused):
        services.submit(world.users["other_member"], world.consultation, {})
    with pytest.raises(errors.Refused):
        services.save_draft(world.users["registered"], world.consultation, {})
    services.save_draft(world.users["participant"], world.consultation, {})


def test_designated_only_consultation(world):
    world.consultation.designated_only = True
    world.consultation.save()
    with pytest.raises(errors.Refused):
        services.save_draft(world.users["participant"], world.consultation, {})
    services.save_draft(world.users["designated"], world.consultation, {})


def test_publishing_changed_questions_makes_a_new_version(world):
    user = world.users["registered"]
    response = services.submit(user, world.survey, valid_answers(world.survey))
    page = world.survey
    stream = list(page.questions.raw_data)
    stream[0]["value"]["questions"][0]["value"]["label"] = "Usate il cloud?"
    page.questions = stream
    page.save_revision().publish()
    assert services.current_version(page).number == 2
    response.refresh_from_db()
    assert response.version.number == 1
    # Publishing again without changes keeps version 2.
    page.save_revision().publish()
    assert services.current_version(page).number == 2
