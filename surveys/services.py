"""Every write of the questionnaires: freezing versions, drafts, sending and editing responses,
and keeping the result cells in step (in the same transaction as the answers).

The services ask the access policy (``answer_survey``) and the questionnaire's state, and raise
the shared service errors (``cms.errors``): ``Refused`` (403) outside the audience,
``Conflict`` (409) before the opening, after the close, when already answered or when the
authority's response is taken, ``Invalid`` (400, ``SurveyInvalid`` with the form) for answers
that do not validate. A send that does not validate saves the draft first: nothing typed is lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, errors
from cms.templatetags.portal_tags import human_date

from . import definition as d
from .forms import DRAFT_VALUE_MAX, AnswerForm, answers_from_rows
from .models import (
    Answer,
    Draft,
    Participation,
    QuestionnaireVersion,
    Response,
    ResultCell,
    SurveyPage,
)
from .permissions import Action
from .segments import segment_for

logger = logging.getLogger("surveys")


class SurveyInvalid(errors.Invalid):
    """The answers do not validate: ``form`` has the messages next to each field (and the
    values typed); the draft was saved."""

    def __init__(self, form: AnswerForm):
        messages = {
            name: [str(message) for message in field_errors]
            for name, field_errors in form.errors.items()
        }
        super().__init__(messages or _("Check the answers."))
        self.form = form


# --- versions ---------------------------------------------------------------------------------


def current_version(survey: SurveyPage) -> QuestionnaireVersion | None:
    survey = survey.survey
    return QuestionnaireVersion.objects.filter(survey=survey).order_by("-number").first()


def freeze_version(page: SurveyPage, user=None) -> QuestionnaireVersion:
    """The version of ``page``'s questions: the latest one if they did not change, else a new
    one. Earlier versions, and the responses written for them, stay as they were."""
    survey = page.survey
    definition = d.definition_from_stream(survey.questions)
    mark = d.fingerprint(definition)
    with transaction.atomic():
        latest = (
            QuestionnaireVersion.objects.select_for_update()
            .filter(survey=survey)
            .order_by("-number")
            .first()
        )
        if latest is not None and latest.fingerprint == mark:
            return latest
        version = QuestionnaireVersion.objects.create(
            survey=survey,
            number=(latest.number + 1) if latest else 1,
            definition=definition,
            fingerprint=mark,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
    logger.info("survey.version", extra={"survey": survey.pk, "version": version.number})
    return version


def version_for_answering(page: SurveyPage) -> QuestionnaireVersion:
    return current_version(page) or freeze_version(page)


def translated_labels(page: SurveyPage) -> dict | None:
    """``{question key: question}`` of a translation's own labels (``None`` for the default
    language's page or a translation whose questions do not parse)."""
    if page.survey.pk == page.pk:
        return None
    try:
        definition = d.definition_from_stream(page.questions)
    except d.DefinitionError:
        return None
    return d.question_map(definition)


# --- state --------------------------------------------------------------------------------------


def _check_answerable(user, page: SurveyPage) -> None:
    if not access.can(user, Action.ANSWER_SURVEY, page):
        raise errors.Refused(_("This questionnaire is not addressed to you."))
    if page.not_yet_open:
        raise errors.Conflict(
            _("The questionnaire opens on %(date)s.") % {"date": _when(page.opens_at)},
            code="not_open",
        )
    if page.is_closed:
        raise errors.Conflict(
            _("The questionnaire closed on %(date)s: answers are no longer accepted.")
            % {"date": _when(page.closes_at)},
            code="closed",
        )


def _when(value) -> str:
    return human_date(timezone.localtime(value))


def taken_for_ente(survey: SurveyPage, user) -> Participation | None:
    """The response another member sent for ``user``'s authority (one per authority)."""
    if not survey.per_ente or user.ente_id is None:
        return None
    return (
        Participation.objects.select_related("user", "for_ente")
        .filter(survey=survey, for_ente_id=user.ente_id)
        .exclude(user=user)
        .first()
    )


def _check_not_taken(survey: SurveyPage, user) -> None:
    if not survey.per_ente:
        return
    if user.ente_id is None:
        raise errors.Conflict(
            _(
                "This questionnaire is answered once per authority: add your authority to your "
                "profile first."
            ),
            code="no_ente",
        )
    taken = taken_for_ente(survey, user)
    if taken is not None:
        raise errors.Conflict(
            _("%(name)s already answered for %(ente)s on %(date)s.")
            % {
                "name": taken.user.get_full_name() or _("A colleague"),
                "ente": taken.for_ente,
                "date": human_date(taken.submitted_on),
            },
            code="taken",
        )


def own_participation(survey: SurveyPage, user) -> Participation | None:
    return (
        Participation.objects.select_related("response")
        .filter(survey=survey.survey, user=user)
        .first()
    )


# --- drafts ---------------------------------------------------------------------------------


def _raw(form: AnswerForm) -> dict:
    raw = form.raw_data()
    for name, values in raw.items():
        if any(len(value) > DRAFT_VALUE_MAX for value in values):
            raise errors.Invalid(
                {
                    name: [
                        _("This answer is too long to be saved (at most %(count)d characters).")
                        % {"count": DRAFT_VALUE_MAX}
                    ]
                }
            )
    return raw


def _writable(user, page: SurveyPage) -> tuple[SurveyPage, Participation | None]:
    """``(questionnaire, user's participation or None)`` when ``user`` may write a draft or a
    response now: refused outside the audience, a conflict when closed, already answered
    anonymously, or taken for their authority."""
    _check_answerable(user, page)
    survey = page.survey
    participation = own_participation(survey, user)
    if participation is not None and survey.anonymous:
        raise errors.Conflict(
            _("You already answered this anonymous questionnaire: answers cannot be changed."),
            code="already",
        )
    if participation is None:
        _check_not_taken(survey, user)
    return survey, participation


def save_draft(user, page: SurveyPage, data) -> Draft:
    """Save what ``user`` typed so far (``data``: the form's POST data, valid or not)."""
    survey, _participation = _writable(user, page)
    version = version_for_answering(survey)
    raw = _raw(AnswerForm(version.definition, data=data))
    draft, _created = Draft.objects.update_or_create(
        survey=survey,
        user=user,
        defaults={"version": version, "data": raw, "updated_at": timezone.now()},
    )
    return draft


def discard_draft(user, page: SurveyPage) -> bool:
    deleted, _rows = Draft.objects.filter(survey=page.survey, user=user).delete()
    return bool(deleted)


# --- sending ----------------------------------------------------------------------------------


def submit(user, page: SurveyPage, data, *, keep_draft: bool = True) -> Response:
    """Send (or, before the close, replace) ``user``'s response; ``data``: the form's POST data.

    Raises ``SurveyInvalid`` (the draft saved, unless ``keep_draft`` is false: an app that keeps
    its own drafts, like the Mappa's shared drafts per Ente) when the answers do not validate."""
    survey, participation = _writable(user, page)
    version = version_for_answering(survey)
    form = AnswerForm(version.definition, data=data)
    if not form.is_valid():
        if keep_draft:
            save_draft(user, page, data)
        raise SurveyInvalid(form)
    try:
        with transaction.atomic():
            response = _store(user, survey, version, form.answers, participation)
    except IntegrityError as error:
        # A concurrent send took the person's or the authority's response first.
        if keep_draft:
            save_draft(user, page, data)
        raise errors.Conflict(
            _("A response was sent meanwhile for you or your authority: reload the page."),
            code="already",
        ) from error
    Draft.objects.filter(survey=survey, user=user).delete()
    return response


def _store(user, survey, version, answers, participation) -> Response:
    now = timezone.now()
    ente = user.ente if user.ente_id else None
    segment = segment_for(user, ente)
    rows = d.answer_rows(version.definition, answers)
    if participation is not None and participation.response is not None:
        response = participation.response
        old = list(response.answers.all())
        old_version = response.version
        _apply_cells(survey, response.segment_id, _negate(d.cells(_as_rows(old))))
        response.answers.all().delete()
        response.version = version
        response.segment = segment
        response.updated_at = now
        response.save(update_fields=["version", "segment", "updated_at"])
        logger.info(
            "survey.response.edited",
            extra={"survey": survey.pk, "from_version": old_version.number},
        )
    else:
        anonymous = survey.anonymous
        day = timezone.make_aware(datetime.combine(timezone.localdate(now), time()))
        response = Response.objects.create(
            survey=survey,
            version=version,
            user=None if anonymous else user,
            ente=None if anonymous else ente,
            segment=segment,
            submitted_at=day if anonymous else now,
        )
        Participation.objects.create(
            survey=survey,
            user=user,
            for_ente=ente if survey.per_ente else None,
            response=None if anonymous else response,
            submitted_on=timezone.localdate(now),
        )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            survey=survey,
            segment=segment,
            question=row.question,
            row=row.row,
            option=row.option,
            number=row.number,
            text=row.text,
            date=row.date,
        )
        for row in rows
    )
    _apply_cells(survey, segment.pk, d.cells(rows))
    return response


def _as_rows(answers) -> list[d.AnswerRow]:
    return [d.AnswerRow(a.question, a.row, a.option, a.number, a.text, a.date) for a in answers]


def _negate(cells: dict) -> dict:
    return {cell: (-count, -total) for cell, (count, total) in cells.items()}


def _apply_cells(survey, segment_id: int, cells: dict) -> None:
    """Add ``cells`` (``{(question, row, option): (count, total)}``) to the results, in one
    statement (an upsert: concurrent responses add up)."""
    if not cells:
        return
    quote = connection.ops.quote_name
    table = quote(ResultCell._meta.db_table)
    columns = ["survey_id", "segment_id", "question", "row", "option", "count", "total"]
    key = ", ".join(quote(c) for c in columns[:5])
    values, params = [], []
    for (question, row, option), (count, total) in cells.items():
        values.append("(%s, %s, %s, %s, %s, %s, %s)")
        params.extend([survey.pk, segment_id, question, row, option, count, total])
    # Identifiers are quoted model names and placeholders only; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join(values)} "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{quote('count')} = {table}.{quote('count')} + excluded.{quote('count')}, "
        f"{quote('total')} = {table}.{quote('total')} + excluded.{quote('total')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def response_answers(response: Response) -> dict:
    """The cleaned answers of a sent response (to show or edit it)."""
    return answers_from_rows(response.version.definition, response.answers.all())


def rebuild_results(survey: SurveyPage) -> int:
    """Recount ``survey``'s result cells from the stored answers (a check and a repair: the
    cells are kept up to date by ``submit``). Returns the number of responses counted."""
    survey = survey.survey
    with transaction.atomic():
        ResultCell.objects.filter(survey=survey).delete()
        count = 0
        responses = Response.objects.filter(survey=survey).order_by("pk")
        for response in responses.iterator(chunk_size=500):
            _apply_cells(survey, response.segment_id, d.cells(_as_rows(response.answers.all())))
            count += 1
    return count
