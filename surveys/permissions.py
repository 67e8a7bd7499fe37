"""The questionnaires' rules, registered with ``cms.access`` (``SurveysConfig.ready``).

- ``answer_survey``: a registered member who may see the questionnaire's page and is in its
  audience (``surveys.audience.in_audience``). Whether it is open, already answered or taken for
  their authority is its state, answered by the services (409), not a permission.
- ``manage_survey`` (writes it, follows the answers, sees every result, exports): who may edit
  the page in Wagtail, i.e. the staff editors and, inside a community, its coordinators and
  support team through their per-community page permissions; they must also see the page.
- ``view_survey_results``: the managers always; after the close, the respondents when the
  results are shown to them, and everyone (signed in or not) when they are public.

Targets in ``docs/permissions.md``: *portal survey* and *community consultation*.
"""

from __future__ import annotations

from cms import access

from .audience import in_audience
from .models import Participation, SurveyPage


class Action:
    ANSWER_SURVEY = "answer_survey"
    MANAGE_SURVEY = "manage_survey"
    VIEW_SURVEY_RESULTS = "view_survey_results"
    SURVEY = (ANSWER_SURVEY, MANAGE_SURVEY, VIEW_SURVEY_RESULTS)


def _manages(user, page) -> bool:
    if not user.is_authenticated:
        return False
    return access.memo(
        user,
        f"surveys:manages:{page.pk}",
        lambda: bool(
            access.can_view_page(user, page) and page.permissions_for_user(user).can_edit()
        ),
    )


def has_answered(user, page) -> bool:
    if not user.is_authenticated:
        return False
    return access.memo(
        user,
        f"surveys:answered:{page.pk}",
        lambda: Participation.objects.filter(survey=page.survey, user=user).exists(),
    )


def _decide(user, action, page) -> bool:
    if not isinstance(page, SurveyPage):
        return False
    if action == Action.MANAGE_SURVEY:
        return _manages(user, page)
    if action == Action.ANSWER_SURVEY:
        return access.can_view_page(user, page) and in_audience(user, page)
    # VIEW_SURVEY_RESULTS
    if _manages(user, page):
        return True
    if not page.is_closed:
        return False
    if page.results_visibility == SurveyPage.Results.PUBLIC:
        return True
    if page.results_visibility == SurveyPage.Results.RESPONDENTS:
        return access.can_view_page(user, page) and has_answered(user, page)
    return False


def install() -> None:
    access.register(Action.SURVEY, _decide)


def results_are_public(page) -> bool:
    """Closed, with public results: a visitor who is not signed in sees them too (``can``
    answers no to every visitor)."""
    return page.results_visibility == SurveyPage.Results.PUBLIC and page.is_closed


def may_view_results(user, page) -> bool:
    """``view_survey_results`` for anyone, the visitor who is not signed in included."""
    return results_are_public(page) or access.can(user, Action.VIEW_SURVEY_RESULTS, page)
