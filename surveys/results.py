"""A questionnaire's results, summed in the database from its result cells.

``survey_results(survey, filters, ...)`` reads the cells (``ResultCell``) of the questionnaire in
one query: ``SUM(count), SUM(total) GROUP BY question, row, option`` over the segments matching
the filters (region, kind of authority, population class, position), whatever the number of
responses, and lays them out question by question in the order of the current version's
definition:

- choices, yes/no and scales: each option's count and percentage of who answered the question
  (options in the definition's order, then "Other", then any option found in the cells that the
  current version no longer lists, marked as from an earlier version); scales add the mean;
- a matrix: its rows × the scale's values, with each row's mean;
- a number: the mean and the count per bin; a date: the count per month;
- a text: how many answered, and the latest answers (``text_answers``, newest first), as
  "Other" texts for the choices that allow it.

k-anonymity: a breakdown (any filter) with fewer than ``min_group()`` respondents shows no figures
at all; the questionnaire as a whole (no filter) is shown to its managers whatever its size, and
to everyone else only from ``min_group()`` respondents. The filters offer only the values present
among the respondents.

Labels come from the current version's definition, or from the visitor's language page when it
is a translation with the same questions (``services.translated_labels``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Subquery, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.templatetags.portal_tags import human_date
from membership.enti import population_class_choices
from membership.forms import PortalFormMixin
from membership.models import Ente, User

from . import definition as d
from .models import Answer, QuestionnaireVersion, Response, ResultCell, Segment

#: The smallest group of respondents whose figures are shown (``SURVEYS_MIN_GROUP`` overrides).
MIN_GROUP = 5
#: Free-text answers per page (the "more answers" page), and on the results page per question.
TEXTS_PER_PAGE = 20
TEXT_PREVIEW = 5
#: The drawing area of a chart's bars (SVG user units).
CHART_LABEL_WIDTH = 230
CHART_BAR_WIDTH = 300
CHART_ROW_HEIGHT = 28

RESPONDENTS: d.Cell = ("", "", "")


def min_group() -> int:
    return int(getattr(settings, "SURVEYS_MIN_GROUP", MIN_GROUP))


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The breakdown asked for: each field a ``Segment`` value, blank for all."""

    region: str = ""
    ente_kind: str = ""
    population_class: str = ""
    position: str = ""

    def lookups(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def __bool__(self) -> bool:
        return bool(self.lookups())

    def segments(self):
        """The ids of the segments matching (a subquery)."""
        return Segment.objects.filter(**self.lookups()).values("pk")


FILTER_NAMES = tuple(f.name for f in fields(Filters))


def _filter_labels() -> dict[str, dict[str, str]]:
    return {
        "region": {},
        "ente_kind": dict(Ente.Kind.choices),
        "population_class": dict(population_class_choices()),
        "position": dict(User.Position.choices),
    }


def filter_choices(survey) -> dict[str, list[tuple[str, str]]]:
    """``{filter: [(value, label), ...]}``: only the values of the questionnaire's respondents
    (one query)."""
    segments = ResultCell.objects.filter(
        survey=survey.survey, question="", row="", option="", count__gt=0
    ).values("segment_id")
    present = Segment.objects.filter(pk__in=segments).values_list(*FILTER_NAMES)
    values: dict[str, set[str]] = {name: set() for name in FILTER_NAMES}
    for row in present:
        for name, value in zip(FILTER_NAMES, row, strict=True):
            if value:
                values[name].add(value)
    labels = _filter_labels()
    out = {}
    for name in FILTER_NAMES:
        known = labels[name]
        if known:  # in the order of the choices, then any other value
            ordered = [v for v in known if v in values[name]]
            ordered += sorted(values[name] - set(known))
        else:
            ordered = sorted(values[name])
        out[name] = [(value, str(known.get(value, value))) for value in ordered]
    return out


class FilterForm(PortalFormMixin, forms.Form):
    """The results' filters (GET); each select lists only the values present."""

    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    ente_kind = forms.ChoiceField(label=gettext_lazy("Kind of authority"), required=False)
    population_class = forms.ChoiceField(label=gettext_lazy("Population class"), required=False)
    position = forms.ChoiceField(label=gettext_lazy("Position"), required=False)

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]], **kwargs):
        super().__init__(*args, **kwargs)
        for name in FILTER_NAMES:
            self.fields[name].choices = [("", _("All"))] + list(choices.get(name, []))
        self.style_widgets()

    @property
    def filters(self) -> Filters:
        """The valid filters (an invalid value is dropped, its message shown)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return Filters(**{name: data.get(name) or "" for name in FILTER_NAMES})


def filter_form(survey, data) -> FilterForm:
    choices = filter_choices(survey)
    bound = {name: data.get(name) for name in FILTER_NAMES if data.get(name)}
    form = FilterForm(bound or None, choices=choices)
    form.is_valid()
    return form


# --- the cells --------------------------------------------------------------------------------


#: How long summed cells are kept in the cache (their key changes with every response anyway).
CACHE_SECONDS = 600


def _change_token(survey) -> str | None:
    """A token that changes whenever a cell of ``survey`` changes (PostgreSQL; ``None``
    elsewhere). Every response sent, edited or recounted writes the respondents' cell of its
    segment, so the newest transaction id (``xmin``) among those few rows, with their number and
    sum, moves with each of them; read through the respondents' partial index."""
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(ResultCell._meta.db_table)
    # The table name is the model's own, quoted; the only value is a parameter.
    sql = (
        f"SELECT COUNT(*), COALESCE(SUM({connection.ops.quote_name('count')}), 0), "  # noqa: S608
        f"MAX(xmin::text::bigint) FROM {table} "
        "WHERE survey_id = %s AND question = '' AND \"row\" = '' AND option = ''"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey.pk])
        rows, total, newest = cursor.fetchone()
    return f"{rows}.{total}.{newest}"


def cell_sums(survey, filters: Filters | None = None) -> dict[d.Cell, tuple[int, Decimal]]:
    """``{(question, row, option): (count, total)}`` summed over the segments matching
    ``filters``: one query, kept in the cache under a key that changes with the cells
    (``_change_token``), since summing every segment's cells of a large questionnaire takes a
    while and its results page is read far more often than it is answered."""
    survey = survey.survey
    return _cached(survey, filters, "cells", lambda: _sum_cells(survey, filters))


def _cached(survey, filters, name: str, compute, token=None):
    """``compute()`` kept in the cache under ``survey``'s change token (no cache without)."""
    token = token or _change_token(survey)
    if token is None:
        return compute()
    lookups = repr(sorted((filters or Filters()).lookups().items()))
    digest = hashlib.sha256(lookups.encode()).hexdigest()[:32]
    key = f"surveys:{name}:{survey.pk}:{token}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _sum_cells(survey, filters: Filters | None) -> dict[d.Cell, tuple[int, Decimal]]:
    queryset = ResultCell.objects.filter(survey=survey.survey)
    if filters:
        queryset = queryset.filter(segment_id__in=filters.segments())
    rows = (
        queryset.order_by()
        .values("question", "row", "option")
        .annotate(n=Sum("count"), t=Sum("total"))
        .values_list("question", "row", "option", "n", "t")
    )
    return {(q, r, o): (n or 0, t or Decimal(0)) for q, r, o, n, t in rows if n}


def current_definition(survey) -> dict | None:
    version = (
        QuestionnaireVersion.objects.filter(survey=survey.survey)
        .order_by("-number")
        .only("definition")
        .first()
    )
    return version.definition if version is not None else None


def _percent(count: int, base: int) -> Decimal:
    if not base:
        return Decimal(0)
    return (Decimal(count) * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _mean(total, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def display_question(question: dict, labels: dict | None) -> dict:
    """``question`` with the visitor's language labels (same number of options and rows)."""
    other = (labels or {}).get(question["key"])
    out = dict(question)
    out["option_labels"] = list(question.get("options") or [])
    out["row_labels"] = list(question.get("rows") or [])
    if not other:
        return out
    for attr in ("label", "help"):
        if other.get(attr):
            out[attr] = other[attr]
    for attr, target in (("options", "option_labels"), ("rows", "row_labels")):
        theirs = other.get(attr) or []
        if theirs and len(theirs) == len(question.get(attr) or []):
            out[target] = list(theirs)
    if question.get("scale") and other.get("scale"):
        out["scale"] = {
            **question["scale"],
            **{
                k: other["scale"].get(k) or question["scale"][k] for k in ("min_label", "max_label")
            },
        }
    return out


def _scale_label(scale: dict, value: int) -> str:
    if value == scale["min"] and scale.get("min_label"):
        return f"{value} – {scale['min_label']}"
    if value == scale["max"] and scale.get("max_label"):
        return f"{value} – {scale['max_label']}"
    return str(value)


def _option_rows(q: dict, sums: dict, answered: int) -> list[dict]:
    """The options of ``q`` with their counts, in the definition's order, then the ones seen
    only in the cells (an earlier version's)."""
    key, kind = q["key"], q["kind"]
    listed: list[tuple[str, str]] = []
    if kind in d.CHOICE_KINDS:
        listed = list(zip(q["options"], q["option_labels"], strict=True))
        if q.get("other"):
            listed.append((d.OTHER, _("Other")))
    elif kind == d.YES_NO:
        listed = [(d.YES, _("Yes")), (d.NO, _("No"))]
    elif kind == d.SCALE:
        scale = q["scale"]
        listed = [(str(v), _scale_label(scale, v)) for v in range(scale["min"], scale["max"] + 1)]
    elif kind == d.NUMBER:
        listed = [(label, label) for _low, _high, label in d.number_bins(q)]
    known = {option for option, _label in listed}
    seen = sorted(o for (k, r, o) in sums if k == key and not r and o and o not in known)
    if kind == d.DATE:
        listed = [(month, _month_label(month)) for month in seen]
        seen = []
    elif kind == d.SCALE:
        seen.sort(key=lambda o: (len(o), o))
    rows = []
    for option, label in listed:
        count = sums.get((key, "", option), (0, 0))[0]
        rows.append(_row(label, count, answered))
    for option in seen:
        label = _("Other") if option == d.OTHER else option
        rows.append(_row(label, sums[(key, "", option)][0], answered, earlier=True))
    return rows


def _row(label: str, count: int, answered: int, earlier: bool = False) -> dict:
    percent = _percent(count, answered)
    return {
        "label": label,
        "count": count,
        "percent": percent,
        "percent_text": _fmt(percent),
        "earlier": earlier,
    }


def _month_label(month: str) -> str:
    try:
        day = datetime.date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return human_date(day, "F Y")


def _matrix(q: dict, sums: dict) -> dict:
    key, scale = q["key"], q["scale"]
    values = [str(v) for v in range(scale["min"], scale["max"] + 1)]
    seen_values = sorted(
        {o for (k, r, o) in sums if k == key and r and o and o not in values},
        key=lambda o: (len(o), o),
    )
    rows = list(zip(q["rows"], q["row_labels"], [False] * len(q["rows"]), strict=True))
    extra = sorted({r for (k, r, o) in sums if k == key and r and r not in q["rows"]})
    rows += [(row, row, True) for row in extra]
    out = []
    for row, label, earlier in rows:
        answered, total = sums.get((key, row, ""), (0, Decimal(0)))
        mean = _mean(total, answered)
        cells = []
        for v in values + seen_values:
            count = sums.get((key, row, v), (0, 0))[0]
            percent = _percent(count, answered)
            cells.append({"count": count, "percent": percent, "percent_text": _fmt(percent)})
        out.append(
            {
                "label": label,
                "earlier": earlier,
                "answered": answered,
                "mean": mean,
                "mean_text": _fmt(mean) if mean is not None else "–",
                "counts": cells,
            }
        )
    return {
        "columns": [_scale_label(scale, int(v)) for v in values] + seen_values,
        "rows": out,
    }


def _chart(chart_id: str, title: str, bars: list[tuple[str, Decimal | None, str, Decimal]]):
    """A horizontal bar chart's geometry: ``bars`` are ``(label, value, text, fraction)`` with
    ``fraction`` the bar's length as a share of the full width (0–1)."""
    items = []
    for index, (label, _value, text, fraction) in enumerate(bars):
        y = 8 + index * CHART_ROW_HEIGHT
        length = round(float(CHART_BAR_WIDTH * max(min(fraction, 1), 0)), 1)
        items.append(
            {
                "label": label if len(label) <= 36 else label[:35] + "…",
                "y": y + 4,
                "text_y": y + CHART_ROW_HEIGHT / 2 + 4,
                "width": max(length, 1 if fraction else 0),
                "text": text,
                "text_x": CHART_LABEL_WIDTH + length + 6,
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "bars": items,
        "label_x": CHART_LABEL_WIDTH - 8,
        "bar_x": CHART_LABEL_WIDTH,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 90,
        "height": 16 + CHART_ROW_HEIGHT * max(len(items), 1),
    }


def _fmt(number) -> str:
    """A number as people read it in the current language (decimal comma in Italian)."""
    return number_format(number, use_l10n=True)


def _question_result(q: dict, sums: dict, index: int) -> dict:
    key, kind = q["key"], q["kind"]
    answered, total = sums.get((key, "", ""), (0, Decimal(0)))
    result = {
        "question": q,
        "kind": kind,
        "answered": answered,
        "rows": [],
        "matrix": None,
        "mean": None,
        "mean_text": "",
        "chart": None,
        "texts": [],
        "texts_count": 0,
        "has_texts": False,
        "multiple": kind == d.MULTIPLE,
    }
    chart_id = f"chart-{index}"
    if kind == d.MATRIX:
        matrix = _matrix(q, sums)
        result["matrix"] = matrix
        top = Decimal(q["scale"]["max"]) or Decimal(1)
        bars = [
            (
                row["label"],
                row["mean"],
                _fmt(row["mean"]) if row["mean"] is not None else "–",
                (row["mean"] or 0) / top,
            )
            for row in matrix["rows"]
        ]
        result["chart"] = _chart(
            chart_id, _("%(label)s: mean per row") % {"label": q["label"]}, bars
        )
        return result
    if kind in d.TEXT_KINDS:
        result["texts_count"] = answered
        result["has_texts"] = bool(answered)
        return result
    rows = _option_rows(q, sums, answered)
    result["rows"] = rows
    if kind in (d.SCALE, d.NUMBER):
        result["mean"] = _mean(total, answered)
        result["mean_text"] = _fmt(result["mean"]) if result["mean"] is not None else ""
    if kind in d.CHOICE_KINDS and q.get("other"):
        result["texts_count"] = sums.get((key, "", d.OTHER), (0, 0))[0]
        result["has_texts"] = bool(result["texts_count"])
    bars = [
        (
            row["label"],
            row["count"],
            f"{row['count']} ({_fmt(row['percent'])} %)",
            row["percent"] / 100,
        )
        for row in rows
    ]
    if bars:
        result["chart"] = _chart(chart_id, q["label"], bars)
    return result


def survey_results(
    survey,
    filters: Filters | None = None,
    *,
    manager: bool = False,
    labels: dict | None = None,
    with_texts: bool = True,
) -> dict:
    """The results of ``survey`` (a ``SurveyPage``; its default-language page is read) for
    ``filters``; ``manager``: the viewer manages it (sees the whole under ``min_group()``);
    ``labels``: a translation's questions (``services.translated_labels``)."""
    survey = survey.survey
    filters = filters or Filters()
    definition = current_definition(survey)
    out = {
        "respondents": 0,
        "filtered": bool(filters),
        "suppressed": False,
        "min_group": min_group(),
        "sections": [],
        "published": definition is not None,
    }
    if definition is None:
        return out
    sums = cell_sums(survey, filters)
    respondents = sums.get(RESPONDENTS, (0, 0))[0]
    if respondents < min_group() and (filters or not manager):
        # Not even the number of respondents: it is a figure of the breakdown too.
        out["suppressed"] = True
        out["respondents"] = None
        return out
    out["respondents"] = respondents
    index = 0
    text_questions = []
    for section in definition["sections"]:
        items = []
        for question in section["questions"]:
            index += 1
            result = _question_result(display_question(question, labels), sums, index)
            items.append(result)
            if result["has_texts"]:
                text_questions.append(result)
        out["sections"].append({"title": section["title"], "questions": items})
    if with_texts and text_questions:
        keys = [result["question"]["key"] for result in text_questions]
        previews = _cached(
            survey,
            filters,
            "texts-" + hashlib.sha256(" ".join(keys).encode()).hexdigest()[:16],
            lambda: {key: latest_texts(survey, key, filters) for key in keys},
        )
        for result in text_questions:
            result["texts"] = previews.get(result["question"]["key"], [])
    return out


def text_answers(survey, key: str, filters: Filters | None = None):
    """The free texts answered to question ``key`` (its "Other" texts for a choice), newest
    first: a queryset of strings."""
    queryset = Answer.objects.filter(survey=survey.survey, question=key).exclude(text="")
    if filters:
        queryset = queryset.filter(segment_id__in=filters.segments())
    return queryset.order_by("-pk").values_list("text", flat=True)


def latest_texts(survey, key: str, filters: Filters | None = None, count=TEXT_PREVIEW):
    """The newest ``count`` free texts of question ``key``: their ids picked from the text
    answers' partial index alone (no table row read for the answers not shown), then their
    texts (one query)."""
    ids = Answer.objects.filter(survey=survey.survey, question=key).exclude(text="")
    if filters:
        ids = ids.filter(segment_id__in=filters.segments())
    ids = ids.order_by("-pk").values("pk")[:count]
    return list(
        Answer.objects.filter(pk__in=Subquery(ids)).order_by("-pk").values_list("text", flat=True)
    )


def respondents(survey, filters: Filters | None = None) -> int:
    """The number of respondents in ``filters``'s breakdown (one query)."""
    queryset = ResultCell.objects.filter(survey=survey.survey, question="", row="", option="")
    if filters:
        queryset = queryset.filter(segment_id__in=filters.segments())
    return queryset.aggregate(n=Sum("count"))["n"] or 0


# --- the cells recounted in SQL ------------------------------------------------------------------


def recount_cells_in_sql(survey) -> int:
    """Recount ``survey``'s result cells from its answers in three ``INSERT … SELECT … GROUP
    BY`` statements: the same cells as ``services.rebuild_results`` (``definition.cells`` summed
    per segment) without reading the responses one by one. For a questionnaire with very many
    responses (``rebuild_survey_results --sql``, the benchmark's seeding). Returns the number of
    responses counted. PostgreSQL and SQLite alike (standard SQL only)."""
    survey = survey.survey
    quote = connection.ops.quote_name
    cells = quote(ResultCell._meta.db_table)
    answers = quote(Answer._meta.db_table)
    responses = quote(Response._meta.db_table)
    columns = ", ".join(
        quote(c) for c in ("survey_id", "segment_id", "question", "row", "option", "count", "total")
    )
    q, r, o, n = quote("question"), quote("row"), quote("option"), quote("number")
    # Table and column names are the models' own, quoted; the only value is a parameter.
    statements = [
        # The respondents of each segment.
        f"INSERT INTO {cells} ({columns}) "  # noqa: S608
        f"SELECT survey_id, segment_id, '', '', '', COUNT(*), 0 FROM {responses} "
        f"WHERE survey_id = %s GROUP BY survey_id, segment_id",
        # Who answered each question (the total sums the numbers of its row-less answers).
        f"INSERT INTO {cells} ({columns}) "  # noqa: S608
        f"SELECT survey_id, segment_id, {q}, '', '', COUNT(DISTINCT response_id), "
        f"COALESCE(SUM(CASE WHEN {r} = '' THEN {n} END), 0) FROM {answers} "
        f"WHERE survey_id = %s GROUP BY survey_id, segment_id, {q}",
        # Each matrix row, and each option (of a row).
        f"INSERT INTO {cells} ({columns}) "  # noqa: S608
        f"SELECT survey_id, segment_id, {q}, {r}, '', COUNT(*), COALESCE(SUM({n}), 0) "
        f"FROM {answers} WHERE survey_id = %s AND {r} <> '' "
        f"GROUP BY survey_id, segment_id, {q}, {r}",
        f"INSERT INTO {cells} ({columns}) "  # noqa: S608
        f"SELECT survey_id, segment_id, {q}, {r}, {o}, COUNT(*), COALESCE(SUM({n}), 0) "
        f"FROM {answers} WHERE survey_id = %s AND {o} <> '' "
        f"GROUP BY survey_id, segment_id, {q}, {r}, {o}",
    ]
    with transaction.atomic():
        ResultCell.objects.filter(survey=survey).delete()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, [survey.pk])
    return Response.objects.filter(survey=survey).count()
