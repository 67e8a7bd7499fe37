"""A questionnaire's exports for its managers: CSV and XLSX (openpyxl), in Italian.

- **Riepilogo** (summary): the figures of every question for the filters asked (none: the whole
  questionnaire, always shown to its managers; a breakdown under ``results.min_group()``
  respondents shows no figures, as on the results page).
- **Risposte** (responses), one row per response and one column per question of the current
  version (a matrix: one column per row):
  - a named questionnaire: the respondent's name, their authority, when they sent it and the
    version, then the answers, in the order the responses were sent;
  - an anonymous questionnaire: the answers only (no name, authority, date, version or segment),
    the rows in a random order, so that nothing ties a row to a person, to the moment they
    answered (which the "has answered" marker keeps) or to the other rows; and only from
    ``min_group()`` responses (fewer could be told apart by whoever knows who answered).

The CSV is the per-response table of a named questionnaire, the summary of an anonymous one.
Every text cell goes through ``cms.spreadsheets.escape_formula``.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cms.spreadsheets import escape_formula

from . import definition as d
from . import results as r
from .forms import answers_from_rows
from .models import Response, SurveyPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def _clean(row):
    return [escape_formula(value) for value in row]


# --- summary ----------------------------------------------------------------------------------


def summary_rows(page: SurveyPage, filters: r.Filters) -> Iterator[list]:
    """The summary as rows: a heading block, then one row per figure."""
    data = r.survey_results(page, filters, manager=True, with_texts=False)
    yield [_("Questionnaire"), page.survey.title]
    described = [
        f"{label}: {value}"
        for label, value in zip(
            (_("Region"), _("Kind of authority"), _("Population class"), _("Position")),
            (filters.region, filters.ente_kind, filters.population_class, filters.position),
            strict=True,
        )
        if value
    ]
    yield [_("Filters"), "; ".join(described) or _("none (all respondents)")]
    yield [_("Respondents"), data["respondents"]]
    if data["suppressed"]:
        yield [
            _("Fewer than %(count)d responses: the results are not shown to protect anonymity.")
            % {"count": data["min_group"]}
        ]
        return
    yield []
    yield [
        _("Section"),
        _("Question"),
        _("Row"),
        _("Answer"),
        _("Count"),
        _("Percentage"),
        _("Mean"),
    ]
    for section in data["sections"]:
        for result in section["questions"]:
            q = result["question"]
            head = [section["title"], q["label"]]
            if result["matrix"]:
                columns = result["matrix"]["columns"]
                for row in result["matrix"]["rows"]:
                    for column, cell in zip(columns, row["counts"], strict=True):
                        yield [*head, row["label"], column, cell["count"], cell["percent"], ""]
                    yield [*head, row["label"], _("Answered"), row["answered"], "", row["mean"]]
                continue
            for row in result["rows"]:
                label = row["label"]
                if row["earlier"]:
                    label = _("%(label)s (earlier version)") % {"label": label}
                yield [*head, "", label, row["count"], row["percent"], ""]
            yield [*head, "", _("Answered"), result["answered"], "", result["mean"] or ""]


# --- responses --------------------------------------------------------------------------------


def _columns(definition: dict) -> list[tuple[dict, str | None, str]]:
    """``(question, matrix row or None, header)`` per column."""
    columns = []
    for question in d.questions(definition):
        if question["kind"] == d.MATRIX:
            columns += [(question, row, f"{question['label']} – {row}") for row in question["rows"]]
        else:
            columns.append((question, None, question["label"]))
    return columns


def _value(question: dict, row: str | None, answer):
    if answer is None:
        return ""
    kind = question["kind"]
    if kind == d.MATRIX:
        return answer.get(row, "")
    if kind in d.CHOICE_KINDS:
        chosen = [answer["choice"]] if kind == d.SINGLE else answer["choices"]
        labels = [
            (_("Other: %(text)s") % {"text": answer.get("other", "")})
            if choice == d.OTHER
            else choice
            for choice in chosen
        ]
        return "; ".join(labels)
    if kind == d.YES_NO:
        return _("Yes") if answer == d.YES else _("No")
    if kind == d.NUMBER:
        return float(answer) if "." in str(answer) else int(answer)
    return answer


def response_rows(page: SurveyPage) -> Iterator[list] | None:
    """The per-response table (header first), or ``None`` when there is none to give (an
    anonymous questionnaire under ``min_group()`` responses)."""
    survey = page.survey
    definition = r.current_definition(survey)
    if definition is None:
        return None
    anonymous = survey.anonymous
    responses = Response.objects.filter(survey=survey)
    if anonymous and responses.count() < r.min_group():
        return None
    columns = _columns(definition)
    return _response_rows(survey, definition, columns, anonymous)


def _response_rows(survey, definition, columns, anonymous) -> Iterator[list]:
    header = [label for _q, _row, label in columns]
    if not anonymous:
        header = [_("Respondent"), _("Authority"), _("Date"), _("Version"), *header]
    yield header
    queryset = (
        Response.objects.filter(survey=survey).select_related("version").prefetch_related("answers")
    )
    if anonymous:
        # Only the answers, in a random order: nothing but the answers themselves.
        ids = list(queryset.values_list("pk", flat=True))
        random.SystemRandom().shuffle(ids)
        chunks = (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))
        for chunk in chunks:
            by_id = queryset.in_bulk(chunk)
            for pk in chunk:
                response = by_id[pk]
                answers = answers_from_rows(definition, response.answers.all())
                yield [_value(q, row, answers.get(q["key"])) for q, row, _label in columns]
        return
    queryset = queryset.select_related("user", "ente").order_by("submitted_at", "pk")
    for response in queryset.iterator(chunk_size=CHUNK):
        answers = answers_from_rows(definition, response.answers.all())
        user = response.user
        yield [
            user.get_full_name() if user else "",
            str(response.ente) if response.ente else "",
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
            response.version.number,
            *[_value(q, row, answers.get(q["key"])) for q, row, _label in columns],
        ]


# --- files --------------------------------------------------------------------------------------


def write_csv(out, page: SurveyPage, filters: r.Filters) -> None:
    """The CSV (UTF-8 with a BOM, for Excel) into ``out`` (a file or an ``HttpResponse``)."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = None if page.survey.anonymous else response_rows(page)
        if rows is None:
            rows = summary_rows(page, filters)
        out.write("\ufeff")
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(_clean(row))


def xlsx_bytes(page: SurveyPage, filters: r.Filters) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        book = Workbook(write_only=True)
        summary = book.create_sheet("Riepilogo")
        for row in summary_rows(page, filters):
            summary.append(_clean(row))
        rows = response_rows(page)
        if rows is not None:
            sheet = book.create_sheet("Risposte")
            for row in rows:
                sheet.append(_clean(row))
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()


def csv_text(page: SurveyPage, filters: r.Filters) -> str:
    buffer = io.StringIO()
    write_csv(buffer, page, filters)
    return buffer.getvalue()
