"""The questionnaires' reads: what a member may answer, their drafts, the state of one
questionnaire for one member (the answering box), the listings."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cms import access
from membership.registration import is_registered

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
    box["state"] = box_state(user, page, box)
    box["results_url"] = results_url(page) if box["may_view_results"] else None
    return box


def results_url(page: SurveyPage) -> str:
    """The results page of ``page``."""
    return reverse("surveys:results", args=[page.pk])


def survey_listing(user, index) -> dict:
    """The portal's questionnaires for the index page: open ones, and closed ones."""
    now = timezone.now()
    pages = visible_surveys(user, SurveyPage.objects.live().child_of(index))
    open_surveys = list(pages.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at"))
    closed_surveys = list(pages.filter(closes_at__lte=now).order_by("-closes_at")[:20])
    answered, drafts = set(), set()
    if user.is_authenticated:
        ids = [page.survey.pk for page in open_surveys + closed_surveys]
        answered = set(
            Participation.objects.filter(user=user, survey_id__in=ids).values_list(
                "survey_id", flat=True
            )
        )
        drafts = set(
            Draft.objects.filter(user=user, survey_id__in=ids).values_list("survey_id", flat=True)
        )
    for page in open_surveys + closed_surveys:
        # ``status``: "answered", "draft", "to_answer" (signed in) or "" (a visitor).
        if page.survey.pk in answered:
            page.status = "answered"
        elif page.survey.pk in drafts:
            page.status = "draft"
        else:
            page.status = "to_answer" if user.is_authenticated else ""
        if user.is_authenticated:
            access.remember(user, f"surveys:answered:{page.pk}", page.survey.pk in answered)
    for page in closed_surveys:
        page.may_view_results = may_view_results(user, page)
        page.results_url = results_url(page) if page.may_view_results else None
    return {"open_surveys": open_surveys, "closed_surveys": closed_surveys}


# --- the answering form (the questionnaire's page) ----------------------------------------------

#: What the page's answering box shows (``box["state"]``).
SIGN_IN = "sign_in"
NOT_ADDRESSED = "not_addressed"
REGISTER = "register"  # signed in, the registration to the Community not completed
NOT_OPEN = "not_open"
CLOSED = "closed"
TAKEN = "taken"
NO_ENTE = "no_ente"
ANSWERED = "answered"  # sent, and may no longer be changed (anonymous)
EDITING = "editing"  # sent, changed until the close
ANSWERING = "answering"
#: The states in which the form is shown with its buttons.
FORM_STATES = (ANSWERING, EDITING)


def box_state(user, page: SurveyPage, box: dict) -> str:
    if not user.is_authenticated:
        return CLOSED if page.is_closed else SIGN_IN
    if box["participation"] is not None:
        if page.is_closed or page.survey.anonymous:
            return ANSWERED
        return EDITING
    if not box["may_answer"]:
        return NOT_ADDRESSED if is_registered(user) else REGISTER
    if page.not_yet_open:
        return NOT_OPEN
    if page.is_closed:
        return CLOSED
    if page.survey.per_ente and user.ente_id is None:
        return NO_ENTE
    if box["taken"] is not None:
        return TAKEN
    return ANSWERING


def style_form(form) -> None:
    """Bootstrap Italia's classes on the text-like widgets (radio buttons and check boxes are
    written by the template), ``is-invalid`` on those with errors."""
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        if getattr(field.widget, "input_type", None) in ("radio", "checkbox"):
            continue
        css = "form-control"
        if name in errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


def answer_form(request, page: SurveyPage, box: dict, data=None):
    """The form of ``page`` for the visitor (``None`` when the box shows no form): bound to
    ``data``, or prefilled from their draft, else from the response they sent (to edit it)."""
    from . import services
    from .forms import AnswerForm, initial_from_raw, raw_from_answers

    if box.get("state") not in FORM_STATES and data is None:
        return None
    version = services.version_for_answering(page)
    labels = services.translated_labels(page)
    if data is not None:
        form = AnswerForm(version.definition, data=data, labels=labels)
        form.is_valid()
    else:
        form = AnswerForm(version.definition, labels=labels)
        raw = None
        if box["draft"] is not None:
            raw = box["draft"].data
        elif box["participation"] is not None and box["participation"].response is not None:
            answers = services.response_answers(box["participation"].response)
            raw = raw_from_answers(version.definition, answers)
        if raw:
            form.initial = initial_from_raw(form, raw)
    style_form(form)
    form.sections = answer_layout(form)
    return form


def _shown_value(question: dict, value: str) -> str:
    from django.utils.translation import gettext

    from . import definition as d

    if question["kind"] in d.CHOICE_KINDS:
        shown = dict(
            zip(
                question["options"],
                question.get("options_display") or question["options"],
                strict=True,
            )
        )
        return shown.get(value, value)
    if question["kind"] == d.YES_NO:
        return gettext("Yes") if value == d.YES else gettext("No")
    return value


def _condition(condition, questions: dict) -> dict | None:
    from django.utils.translation import gettext

    from .forms import field_name

    if not condition:
        return None
    target = questions.get(condition["question"])
    label = target["label"] if target else ""
    value = _shown_value(target, condition["value"]) if target else condition["value"]
    return {
        "field": field_name(condition["question"]),
        "value": condition["value"],
        "text": gettext("(answer only if you answered “%(value)s” to “%(question)s”)")
        % {"value": value, "question": label},
    }


def answer_layout(form) -> list[dict]:
    """The form's sections for the template: each with its questions, their bound fields, and
    the conditions (the field and value they depend on, and a sentence saying so)."""
    from .forms import field_name

    questions = {q["key"]: q for _section, entries in form.layout for q, _names in entries}
    sections = []
    for section, entries in form.layout:
        items = []
        for question, names in entries:
            items.append(
                {
                    "question": question,
                    "name": field_name(question["key"]),
                    "fields": [form[name] for name in names],
                    "has_errors": any(form.is_bound and form[name].errors for name in names),
                    "condition": _condition(question.get("condition"), questions),
                }
            )
        sections.append(
            {
                "section": section,
                "condition": _condition(section.get("condition"), questions),
                "questions": items,
            }
        )
    return sections


def error_summary(form) -> list[dict]:
    """The form's errors for the summary at the top: ``[{"anchor", "label", "message"}]`` in
    the order of the questions; the anchor is the field (a group's first choice)."""
    if not form.is_bound or not form.errors:
        return []
    out = []
    for name, field in form.fields.items():
        if name not in form.errors:
            continue
        bound = form[name]
        anchor = bound.auto_id
        if getattr(field.widget, "input_type", None) in ("radio", "checkbox"):
            anchor = f"{anchor}_0"
        label = field.label
        question = getattr(field, "question", None)
        if question and question["label"] != field.label:
            label = f"{question['label']} – {field.label}"
        out.append({"anchor": anchor, "label": label, "message": " ".join(bound.errors)})
    return out


def my_surveys(user) -> dict:
    """La mia area > Sondaggi: the open questionnaires to answer (with the member's draft) and
    those already answered (editable until the close unless anonymous), newest first."""
    to_fill = to_answer(user)
    participations = list(
        Participation.objects.filter(user=user).order_by("-submitted_on", "-pk")[:50]
    )
    pages = {
        page.pk: page
        for page in visible_surveys(
            user, SurveyPage.objects.live().filter(pk__in=[p.survey_id for p in participations])
        )
    }
    answered = []
    for participation in participations:
        page = pages.get(participation.survey_id)
        if page is None:
            continue
        participation.page = page
        participation.editable = page.is_open and not page.anonymous
        answered.append(participation)
    return {"to_answer": to_fill, "answered": answered}
