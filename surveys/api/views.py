"""The questionnaires in the community API (``/api/community/v1/``, tag ``surveys``; included by
``communities/api/urls.py``), for signed-in registered members, with the site's policy:

- ``GET surveys/`` (``?state=open|closed|not_open``): the questionnaires I may see;
- ``GET surveys/<id>/``: one, with its current version's definition (sections, questions,
  their keys, kinds, options, conditions and form field names);
- ``GET|PUT|DELETE surveys/<id>/draft/``: my draft (``{"answers": {field name: [values]}}``,
  kept as typed, valid or not);
- ``GET|POST surveys/<id>/response/``: my sent response (not for an anonymous questionnaire),
  send it (201; 200 when it replaces mine before the close);
- ``GET surveys/<id>/results/``: the aggregated results where I may see them, filtered by
  ``region``, ``ente_kind``, ``population_class``, ``position``;
- ``GET me/survey-drafts/``: my drafts of open questionnaires.

Errors: **404** a questionnaire I may not see (nothing disclosed); **403** outside its audience
or results not shown to me; **409** ``not_open``, ``closed``, ``already`` (an anonymous
response cannot change), ``taken`` (my authority's response is sent), ``no_ente``; **400** a
field name the questionnaire does not have (named), or answers that do not validate (messages
by field name). A send that does not validate keeps everything as my draft.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from wagtail.rich_text import expand_db_html

from cms import access
from cms.api_errors import run
from cms.locales import get_default
from communities.api.support import CommunityAPIView, endpoint, validated
from communities.models import CommunityPage, WorkingGroupPage
from membership.enti import population_class_choices
from membership.models import Ente, User

from .. import definition as d
from .. import services
from ..forms import AnswerForm, raw_from_answers
from ..models import Draft, Participation, SurveyPage
from ..permissions import Action, may_view_results
from . import aggregate
from . import serializers as s

TAG = "surveys"
#: At most this many questionnaires in a listing (newest opening first).
LIST_LIMIT = 200
STATES = ("open", "closed", "not_open")
REFUSED = {
    403: OpenApiResponse(
        s.SurveyErrorSerializer,
        description=gettext_lazy("Outside the questionnaire's audience."),
    )
}
ANSWER_CONFLICT = {
    409: OpenApiResponse(
        s.SurveyErrorSerializer,
        description=gettext_lazy(
            "Not open yet (not_open), closed, already answered anonymously (already), your "
            "authority's response already sent (taken), no authority in your profile (no_ente)."
        ),
    )
}


class SurveysAPIView(CommunityAPIView):
    parser_classes = [JSONParser]


# --- Helpers ----------------------------------------------------------------------------------


def _state(page) -> str:
    if page.not_yet_open:
        return "not_open"
    return "closed" if page.is_closed else "open"


def _decorate(user, pages):
    """Give each questionnaire its URL, state, audience, spaces and the user's state (a fixed
    number of queries, whatever the number of pages)."""
    communities = list(CommunityPage.objects.values_list("pk", "path"))
    groups = list(WorkingGroupPage.objects.values_list("pk", "path"))
    survey_ids = {page.survey.pk for page in pages}
    answered = set(
        Participation.objects.filter(user=user, survey_id__in=survey_ids).values_list(
            "survey_id", flat=True
        )
    )
    drafts = set(
        Draft.objects.filter(user=user, survey_id__in=survey_ids).values_list(
            "survey_id", flat=True
        )
    )
    for page in pages:
        page.api_url = page.get_url() or ""
        page.api_state = _state(page)
        community = next((pk for pk, path in communities if page.path.startswith(path)), None)
        group = next((pk for pk, path in groups if page.path.startswith(path)), None)
        page.api_community_id, page.api_working_group_id = community, group
        if group is not None:
            page.api_audience = "working_group"
        elif community is not None:
            page.api_audience = "designated" if page.designated_only else "community"
        else:
            page.api_audience = "registered"
        page.api_answered = page.survey.pk in answered
        page.api_has_draft = page.survey.pk in drafts
        page.api_results_visible = may_view_results(user, page)
    return pages


def _survey(request, pk) -> SurveyPage:
    """The live questionnaire ``pk`` if the user may see its page (404 otherwise)."""
    page = SurveyPage.objects.live().filter(pk=pk).first()
    if page is None or not access.can_view_page(request.user, page):
        raise exceptions.NotFound()
    return page


def _condition(condition):
    return {"question": condition["question"], "value": condition["value"]} if condition else None


def _question(question: dict, names: list[str]) -> dict:
    kind = question["kind"]
    out = {
        "key": question["key"],
        "code": question["code"],
        "kind": kind,
        "label": question["label"],
        "help": question["help"],
        "required": question["required"],
        "condition": _condition(question["condition"]),
        "fields": names,
        "options": [],
        "other": bool(question.get("other")),
        "other_field": None,
        "max_choices": question.get("max_choices"),
        "scale": None,
        "rows": [],
        "unit": question.get("unit"),
        "min": question.get("min"),
        "max": question.get("max"),
        "decimals": question.get("decimals"),
        "max_length": question.get("max_length"),
    }
    if kind in d.CHOICE_KINDS:
        shown = question.get("options_display") or question["options"]
        out["options"] = [
            {"value": value, "label": label}
            for value, label in zip(question["options"], shown, strict=True)
        ]
        if question.get("other"):
            out["options"].append({"value": d.OTHER, "label": _("Other")})
            out["other_field"] = names[1]
    elif kind == d.YES_NO:
        out["options"] = [{"value": d.YES, "label": _("Yes")}, {"value": d.NO, "label": _("No")}]
    if kind in (d.SCALE, d.MATRIX):
        out["scale"] = dict(question["scale"])
    if kind == d.MATRIX:
        shown = question.get("rows_display") or question["rows"]
        out["rows"] = [
            {"field": name, "label": label} for name, label in zip(names, shown, strict=True)
        ]
    return out


def _sections(page, version) -> list[dict]:
    form = AnswerForm(version.definition, labels=services.translated_labels(page))
    return [
        {
            "key": section["key"],
            "title": section["title"],
            "description": section["description"],
            "condition": _condition(section["condition"]),
            "questions": [_question(question, names) for question, names in entries],
        }
        for section, entries in form.layout
    ]


def _answers(request, page) -> dict:
    """The request's ``{field name: [values]}``, every name checked against the version the
    questionnaire is answered with (400 naming the ones it does not have)."""
    answers = validated(s.AnswersInputSerializer, request)["answers"]
    version = services.version_for_answering(page.survey)
    known = AnswerForm(version.definition).fields
    forged = sorted(name for name in answers if name not in known)
    if forged:
        message = _("This questionnaire has no such question or field.")
        raise exceptions.ValidationError({name[:100]: [message] for name in forged[:20]})
    return answers


def _check_audience(request, page) -> None:
    """403 before reading the answers of someone outside the audience (the services ask
    again)."""
    if not access.can(request.user, Action.ANSWER_SURVEY, page):
        raise exceptions.PermissionDenied(_("This questionnaire is not addressed to you."))


def _response_data(response, *, anonymous: bool):
    response.api_id = None if anonymous else response.pk
    response.api_ente = str(response.ente) if response.ente_id and not anonymous else None
    answers = services.response_answers(response)
    response.api_answers = answers
    response.api_fields = raw_from_answers(response.version.definition, answers)
    return response


# --- Endpoints --------------------------------------------------------------------------------


class SurveyList(SurveysAPIView):
    @endpoint(
        "surveys_list",
        tag=TAG,
        summary=gettext_lazy("Questionnaires I may see"),
        description=gettext_lazy(
            "The portal's surveys and the consultations of my communities and working groups "
            "(newest opening first, at most 200), each with my state: answered, draft, whether "
            "I may see the results."
        ),
        parameters=[
            OpenApiParameter(
                "state", str, enum=list(STATES), description=gettext_lazy("Only in this state")
            )
        ],
        response=s.SurveySerializer,
        many=True,
        errors={400: OpenApiResponse(description=gettext_lazy("Invalid filter."))},
    )
    def get(self, request):
        from ..selectors import visible_surveys

        wanted = request.query_params.get("state")
        if wanted and wanted not in STATES:
            raise exceptions.ValidationError(
                {"state": [_("Choose one of: %(states)s.") % {"states": ", ".join(STATES)}]}
            )
        default = SurveyPage.objects.live().filter(locale=get_default())
        pages = visible_surveys(request.user, default)
        # The workflow states in one query: who may edit a page manages it (its results).
        pages = list(pages.order_by("-opens_at", "-pk").prefetch_workflow_states()[:LIST_LIMIT])
        if wanted:
            pages = [page for page in pages if _state(page) == wanted]
        return _decorate(request.user, pages)


class SurveyDetail(SurveysAPIView):
    @endpoint(
        "surveys_detail",
        tag=TAG,
        summary=gettext_lazy("A questionnaire, with its questions"),
        description=gettext_lazy(
            "The version answered now: sections and questions with their keys, kinds, "
            "options, conditions (shown when an earlier question has that answer) and the "
            "form field names the answers are sent with."
        ),
        response=s.SurveyDetailSerializer,
    )
    def get(self, request, pk):
        page = _survey(request, pk)
        _decorate(request.user, [page])
        version = services.version_for_answering(page.survey)
        page.api_intro = expand_db_html(page.intro or "")
        page.api_version = version.number
        page.api_may_answer = access.can(request.user, Action.ANSWER_SURVEY, page)
        page.api_taken = services.taken_for_ente(page.survey, request.user) is not None
        page.api_sections = _sections(page, version)
        return page


class SurveyDraft(SurveysAPIView):
    @endpoint(
        "surveys_draft_get",
        tag=TAG,
        summary=gettext_lazy("My draft"),
        description=gettext_lazy("404 when I have no draft of this questionnaire."),
        response=s.DraftSerializer,
    )
    def get(self, request, pk):
        page = _survey(request, pk)
        draft = (
            Draft.objects.filter(survey=page.survey, user=request.user)
            .select_related("version")
            .first()
        )
        if draft is None:
            raise exceptions.NotFound(_("You have no draft of this questionnaire."), "no_draft")
        return draft

    @endpoint(
        "surveys_draft_save",
        tag=TAG,
        summary=gettext_lazy("Save my draft"),
        description=gettext_lazy(
            "Replaces my draft with these answers, kept as typed (valid or not: they are "
            "checked when sending)."
        ),
        request=s.AnswersInputSerializer,
        response=s.DraftSerializer,
        errors={**REFUSED, **ANSWER_CONFLICT},
    )
    def put(self, request, pk):
        page = _survey(request, pk)
        _check_audience(request, page)
        answers = _answers(request, page)
        return run(services.save_draft, request.user, page, answers)

    @endpoint(
        "surveys_draft_discard",
        tag=TAG,
        summary=gettext_lazy("Discard my draft"),
        response=None,
        status=status.HTTP_204_NO_CONTENT,
    )
    def delete(self, request, pk):
        services.discard_draft(request.user, _survey(request, pk))


class SurveyResponse(SurveysAPIView):
    @endpoint(
        "surveys_response_get",
        tag=TAG,
        summary=gettext_lazy("My sent response"),
        description=gettext_lazy(
            "404 when I have not answered, or when the questionnaire is anonymous (nothing "
            "links a response to its respondent)."
        ),
        response=s.ResponseSerializer,
    )
    def get(self, request, pk):
        page = _survey(request, pk)
        participation = services.own_participation(page.survey, request.user)
        if participation is None:
            raise exceptions.NotFound(_("You have not answered this questionnaire."), "no_response")
        if participation.response is None:
            raise exceptions.NotFound(
                _("This questionnaire is anonymous: your response is not linked to you."),
                "anonymous",
            )
        return _response_data(participation.response, anonymous=False)

    @endpoint(
        "surveys_response_submit",
        tag=TAG,
        summary=gettext_lazy("Send my response"),
        description=gettext_lazy(
            "201 with the response; 200 when it replaces mine (possible until the close, "
            "unless the questionnaire is anonymous). Answers that do not validate: 400 with "
            "the messages by field name, and everything sent is kept as my draft."
        ),
        request=s.AnswersInputSerializer,
        response=s.ResponseSerializer,
        status=status.HTTP_201_CREATED,
        errors={
            200: OpenApiResponse(
                s.ResponseSerializer, description=gettext_lazy("My response, replaced.")
            ),
            **REFUSED,
            **ANSWER_CONFLICT,
        },
    )
    def post(self, request, pk):
        page = _survey(request, pk)
        _check_audience(request, page)
        answers = _answers(request, page)
        before = services.own_participation(page.survey, request.user)
        response = run(services.submit, request.user, page, answers)
        data = s.ResponseSerializer(_response_data(response, anonymous=page.survey.anonymous)).data
        return Response(data, status=status.HTTP_200_OK if before else status.HTTP_201_CREATED)


def _filters(request) -> aggregate.Filters:
    params = request.query_params
    choices = {
        "ente_kind": set(Ente.Kind.values),
        "population_class": {code for code, _label in population_class_choices()},
        "position": set(User.Position.values),
    }
    problems = {}
    values = {}
    for name in aggregate.FILTERS:
        value = params.get(name)
        if value is None or value == "":
            continue
        if name == "region":
            if len(value) > 64 or "\x00" in value:
                problems[name] = [_("A region's name has at most 64 characters.")]
        elif value not in choices[name]:
            problems[name] = [
                _("Choose one of: %(values)s.") % {"values": ", ".join(sorted(choices[name]))}
            ]
        values[name] = value
    if problems:
        raise exceptions.ValidationError(problems)
    return aggregate.Filters(**values)


class SurveyResults(SurveysAPIView):
    @endpoint(
        "surveys_results",
        tag=TAG,
        summary=gettext_lazy("The results of a questionnaire"),
        description=gettext_lazy(
            "Who manages it sees them always; the respondents after the close when the "
            "results are shown to them; everyone after the close when they are public. Each "
            "question's counts per option (per row for a matrix) and the mean of scales and "
            "numbers, among the respondents the filters keep; a selection of fewer than 5 "
            "respondents gives no figure (``suppressed``). The free-text answers are on the "
            "results page and in its exports."
        ),
        parameters=[
            OpenApiParameter("region", str, description=gettext_lazy("A region's name")),
            OpenApiParameter("ente_kind", str, enum=list(Ente.Kind.values)),
            OpenApiParameter(
                "population_class",
                str,
                enum=[code for code, _label in population_class_choices()],
            ),
            OpenApiParameter("position", str, enum=list(User.Position.values)),
        ],
        response=s.ResultsSerializer,
        errors={
            400: OpenApiResponse(description=gettext_lazy("Invalid filter.")),
            403: OpenApiResponse(
                s.SurveyErrorSerializer,
                description=gettext_lazy("The results are not shown to you."),
            ),
        },
    )
    def get(self, request, pk):
        page = _survey(request, pk)
        if not may_view_results(request.user, page):
            raise exceptions.PermissionDenied(
                _("The results of this questionnaire are not shown to you.")
            )
        filters = _filters(request)
        version = services.version_for_answering(page.survey)
        manager = access.can(request.user, Action.MANAGE_SURVEY, page)
        summary = aggregate.summarise(page.survey, version.definition, filters, manager=manager)
        return {
            "survey": page.pk,
            "filters": {name: getattr(filters, name) or None for name in aggregate.FILTERS},
            "minimum": aggregate.min_group(),
            **summary,
        }


class MySurveyDrafts(SurveysAPIView):
    @endpoint(
        "surveys_my_drafts",
        tag=TAG,
        summary=gettext_lazy("My drafts of open questionnaires"),
        description=gettext_lazy("Soonest close first."),
        response=s.MyDraftSerializer,
        many=True,
    )
    def get(self, request):
        drafts = list(
            Draft.objects.open()
            .filter(user=request.user, survey__live=True)
            .select_related("survey")
            .order_by("survey__closes_at", "pk")
        )
        visible = set(
            access.visible_pages(
                request.user, SurveyPage.objects.filter(pk__in=[d.survey_id for d in drafts])
            ).values_list("pk", flat=True)
        )
        out = []
        for draft in drafts:
            if draft.survey_id in visible:
                draft.api_url = draft.survey.get_url() or ""
                out.append(draft)
        return out
