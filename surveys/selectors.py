"""The questionnaires' reads: what a member may answer, their drafts, the state of one
questionnaire for one member (the answering box), the listings."""

from __future__ import annotations

from django.utils import timezone

from cms import access

from .models import Draft, Participation, SurveyPage
from .permissions import Action, may_view_results


def visible_surveys(user, queryset=None):
    """The live questionnaires ``user`` may see (the page policy)."""
    queryset = SurveyPage.objects.live() if queryset is None else queryset
    return access.visible_pages(user, queryset)


def to_answer(user) -> list[SurveyPage]:
    """Open questionnaires addressed to ``user`` that they have not answered ("Sondaggi da
    compilare"), soonest close first; each with ``draft`` (their draft or ``None``)."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    pages = (
        visible_surveys(user, SurveyPage.objects.live())
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
    )
    answered = set(Participation.objects.filter(user=user).values_list("survey_id", flat=True))
    drafts = {draft.survey_id: draft for draft in Draft.objects.filter(user=user)}
    out = []
    for page in pages:
        survey = page.survey
        if survey.pk in answered or not access.can(user, Action.ANSWER_SURVEY, page):
            continue
        page.draft = drafts.get(survey.pk)
        out.append(page)
    return out


def answering_box(request, page: SurveyPage) -> dict:
    """The state of ``page`` for the visitor: may they answer, their draft or response, whether
    their authority's response is taken, whether they may see the results."""
    from . import services

    user = request.user
    survey = page.survey
    box = {
        "may_answer": access.can(user, Action.ANSWER_SURVEY, page),
        "may_manage": access.can(user, Action.MANAGE_SURVEY, page),
        "may_view_results": may_view_results(user, page),
        "is_open": page.is_open,
        "participation": None,
        "draft": None,
        "taken": None,
    }
    if user.is_authenticated:
        box["participation"] = services.own_participation(survey, user)
        box["draft"] = Draft.objects.filter(survey=survey, user=user).first()
        box["taken"] = services.taken_for_ente(survey, user) if survey.per_ente else None
    return box


def survey_listing(user, index) -> dict:
    """The portal's questionnaires for the index page: open ones, and closed ones."""
    now = timezone.now()
    pages = visible_surveys(user, SurveyPage.objects.live().child_of(index))
    return {
        "open_surveys": list(
            pages.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
        ),
        "closed_surveys": list(pages.filter(closes_at__lte=now).order_by("-closes_at")[:20]),
    }
