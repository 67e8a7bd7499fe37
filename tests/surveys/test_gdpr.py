"""The questionnaires in a member's own-data export and in their account's erasure."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from membership.erasure import erase_user
from membership.export import export_user_data
from surveys import services
from surveys.models import Answer, Draft, Participation, QuestionnaireVersion, Response, ResultCell
from tests.factories import UserFactory

from .factories import SurveyPageFactory, valid_answers

pytestmark = pytest.mark.django_db


def test_the_export_has_drafts_participations_and_named_responses(world):
    user = world.users["participant"]
    services.submit(user, world.survey, valid_answers(world.survey))
    anonymous = SurveyPageFactory(parent=world.index, anonymous=True, title="Anonimo")
    services.submit(user, anonymous, valid_answers(anonymous))
    services.save_draft(user, world.consultation, valid_answers(world.consultation))
    QuestionnaireVersion.objects.filter(survey=world.consultation).update(created_by=user)

    data = export_user_data(user)
    json.dumps(data, cls=DjangoJSONEncoder)  # serialisable
    assert [d["questionnaire"]["id"] for d in data["survey_drafts"]] == [world.consultation.pk]
    assert data["survey_drafts"][0]["answers_so_far"]
    participations = {p["questionnaire"]["title"]: p for p in data["survey_participations"]}
    assert set(participations) == {world.survey.title, "Anonimo"}
    assert participations["Anonimo"]["anonymous"] is True
    # The anonymous response is not linked to the member: only the named one is exported.
    responses = data["survey_responses"]
    assert [r["questionnaire"]["id"] for r in responses] == [world.survey.pk]
    answers = {a["code"]: a["answer"] for a in responses[0]["answers"]}
    assert answers["cloud"] == {"choice": "Sì", "other": ""}
    assert answers["dipendenti"] == "42"
    assert responses[0]["authority"] == str(user.ente)
    assert [v["questionnaire"]["id"] for v in data["survey_versions"]] == [world.consultation.pk]


def test_erasure_keeps_the_answers_for_the_results_without_the_person(world):
    user = world.users["participant"]
    response = services.submit(user, world.survey, valid_answers(world.survey))
    services.save_draft(user, world.consultation, {})
    QuestionnaireVersion.objects.filter(survey=world.survey).update(created_by=user)
    answers_before = Answer.objects.filter(response=response).count()
    cells_before = list(ResultCell.objects.values_list("question", "option", "count"))

    erase_user(user)
    erase_user(user, record=False)  # idempotent

    assert not Draft.objects.filter(user=user).exists()
    assert not Participation.objects.filter(user=user).exists()
    response.refresh_from_db()
    assert response.user is None and response.ente is None
    assert Answer.objects.filter(response=response).count() == answers_before
    assert list(ResultCell.objects.values_list("question", "option", "count")) == cells_before
    assert not QuestionnaireVersion.objects.filter(created_by=user).exists()
    data = export_user_data(user)
    assert data["survey_responses"] == [] and data["survey_drafts"] == []


def test_erasure_keeps_the_authority_s_response_and_its_one_per_authority_marker(world):
    world.survey.respondent = world.survey.Respondent.ENTE
    world.survey.save()
    user = world.users["registered"]
    ente = user.ente
    response = services.submit(user, world.survey, valid_answers(world.survey))

    erase_user(user)

    response.refresh_from_db()
    assert response.user is None and response.ente == ente
    marker = Participation.objects.get(survey=world.survey, for_ente=ente)
    assert marker.user_id == user.pk  # the anonymised account: no name is left on it
    user.refresh_from_db()
    assert user.first_name == "" and user.last_name == ""
    # A colleague still cannot send a second response for the authority.
    colleague = UserFactory(ente=ente)
    assert services.taken_for_ente(world.survey, colleague) == marker
    assert Response.objects.filter(survey=world.survey).count() == 1
