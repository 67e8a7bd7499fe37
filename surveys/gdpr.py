"""The questionnaires' part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``).

Export: the member's drafts (as typed), their participations ("has answered" markers, the
anonymous questionnaires' included: that they answered is about them) and their non-anonymous
responses with the answers; the versions of questionnaires they froze as an editor.

Erasure: drafts deleted; the responses stay for the aggregated results, detached from the
person (``user`` emptied; the authority kept only for a questionnaire answered once per
authority, where the response is the authority's, not the person's: for a per-person
questionnaire the authority could point back to a member of a small authority, so it goes).
Participations are deleted, except for the questionnaires answered once per authority: there
the marker is what keeps the authority to one response, so it stays, linked to the anonymised
account (no name left; colleagues see "A colleague answered"). Versions keep no editor.
"""

from __future__ import annotations

from membership.erasure import register_eraser
from membership.export import register_exporter

from .definition import question_map
from .models import Draft, Participation, QuestionnaireVersion, Response, SurveyPage


def _iso(value):
    return value.isoformat() if value else None


def _survey(page) -> dict:
    return {"id": page.pk, "title": page.title}


@register_exporter("survey_drafts", covers=["surveys.Draft.user"])
def export_drafts(user):
    drafts = Draft.objects.filter(user=user).select_related("survey", "version")
    return [
        {
            "questionnaire": _survey(draft.survey),
            "version": draft.version.number,
            "answers_so_far": draft.data,
            "created_at": _iso(draft.created_at),
            "updated_at": _iso(draft.updated_at),
        }
        for draft in drafts.order_by("created_at", "pk")
    ]


@register_exporter("survey_participations", covers=["surveys.Participation.user"])
def export_participations(user):
    participations = Participation.objects.filter(user=user).select_related("survey", "for_ente")
    return [
        {
            "questionnaire": _survey(participation.survey),
            "anonymous": participation.survey.anonymous,
            "sent_on": _iso(participation.submitted_on),
            "for_authority": str(participation.for_ente) if participation.for_ente_id else None,
        }
        for participation in participations.order_by("submitted_on", "pk")
    ]


def _answers(response) -> list[dict]:
    from .services import response_answers

    questions = question_map(response.version.definition)
    return [
        {
            "question": questions[key]["label"],
            "code": questions[key]["code"],
            "answer": answer,
        }
        for key, answer in response_answers(response).items()
        if key in questions
    ]


@register_exporter("survey_responses", covers=["surveys.Response.user"])
def export_responses(user):
    responses = Response.objects.filter(user=user).select_related("survey", "version", "ente")
    return [
        {
            "questionnaire": _survey(response.survey),
            "version": response.version.number,
            "sent_at": _iso(response.submitted_at),
            "updated_at": _iso(response.updated_at),
            "authority": str(response.ente) if response.ente_id else None,
            "answers": _answers(response),
        }
        for response in responses.order_by("submitted_at", "pk")
    ]


@register_exporter("survey_versions", covers=["surveys.QuestionnaireVersion.created_by"])
def export_versions(user):
    versions = QuestionnaireVersion.objects.filter(created_by=user).select_related("survey")
    return [
        {
            "questionnaire": _survey(version.survey),
            "version": version.number,
            "created_at": _iso(version.created_at),
        }
        for version in versions.order_by("created_at", "pk")
    ]


@register_eraser(
    "surveys",
    covers=[
        "surveys.Draft.user",
        "surveys.Participation.user",
        "surveys.Response.user",
        "surveys.QuestionnaireVersion.created_by",
    ],
)
def erase_surveys(user):
    """Drafts deleted, responses detached (the answers stay for the results), participations
    deleted except the per-authority ones (see the module's docstring). Idempotent."""
    per_ente = SurveyPage.objects.filter(respondent=SurveyPage.Respondent.ENTE).values("pk")
    Draft.objects.filter(user=user).delete()
    Response.objects.filter(user=user).exclude(survey__in=per_ente).update(user=None, ente=None)
    Response.objects.filter(user=user).update(user=None)
    Participation.objects.filter(user=user).exclude(survey__in=per_ente).delete()
    QuestionnaireVersion.objects.filter(created_by=user).update(created_by=None)
