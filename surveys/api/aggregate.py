"""The aggregated results the API answers with: the result cells (``surveys.ResultCell``)
summed in the database per (question, row, option) over the segments the filters keep, in one
query, with the minimum-respondents rule (fewer than ``MIN_RESPONDENTS`` in the selection: no
figure at all).

Kept here, small, so that the API does not wait for the results page; it can later be pointed
at ``surveys.results`` (the results page's aggregation) without changing the API's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from .. import definition as d
from ..models import ResultCell

#: A selection with fewer respondents is not shown (no re-identification).
MIN_RESPONDENTS = 5
FILTERS = ("region", "ente_kind", "population_class", "position")


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    ente_kind: str | None = None
    population_class: str | None = None
    position: str | None = None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FILTERS}

    def segment_lookups(self) -> dict:
        return {
            f"segment__{name}": value for name, value in self.as_dict().items() if value is not None
        }


def _mean(count: int, total) -> str | None:
    if not count:
        return None
    mean = (Decimal(total) / count).quantize(Decimal("0.01"))
    return f"{mean:f}"


def _options(values_labels, counts: dict) -> list[dict]:
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in values_labels
    ]


def _scale(question) -> list[tuple[str, str]]:
    scale = question["scale"]
    return [(str(n), str(n)) for n in range(scale["min"], scale["max"] + 1)]


def summarise(survey, definition: dict, filters: Filters) -> dict:
    """``{"respondents", "suppressed", "questions"}`` of ``survey`` (its default-language page)
    among the respondents the ``filters`` keep; ``definition``: the version whose questions
    are reported (the current one)."""
    rows = (
        ResultCell.objects.filter(survey=survey, **filters.segment_lookups())
        .values("question", "row", "option")
        .annotate(n=Sum("count"), sum=Sum("total"))
        .values_list("question", "row", "option", "n", "sum")
    )
    cells = {(q, r, o): (n or 0, s or 0) for q, r, o, n, s in rows}
    respondents = cells.get(("", "", ""), (0, 0))[0]
    if respondents < MIN_RESPONDENTS:
        return {"respondents": None, "suppressed": True, "questions": []}
    questions = []
    for question in d.questions(definition):
        key, kind = question["key"], question["kind"]
        answered, total = cells.get((key, "", ""), (0, 0))
        counts = {o: n for (q, r, o), (n, _s) in cells.items() if q == key and not r and o}
        entry = {
            "key": key,
            "code": question["code"],
            "kind": kind,
            "label": question["label"],
            "answered": answered,
            "mean": None,
            "options": [],
            "rows": [],
        }
        if kind in d.CHOICE_KINDS:
            values = [(option, option) for option in question["options"]]
            if question.get("other"):
                values.append((d.OTHER, _("Other")))
            entry["options"] = _options(values, counts)
        elif kind == d.YES_NO:
            entry["options"] = _options([(d.YES, d.YES), (d.NO, d.NO)], counts)
        elif kind == d.SCALE:
            entry["options"] = _options(_scale(question), counts)
            entry["mean"] = _mean(answered, total)
        elif kind == d.NUMBER:
            bins = [(label, label) for _low, _high, label in d.number_bins(question)]
            entry["options"] = _options(bins, counts)
            entry["mean"] = _mean(answered, total)
        elif kind == d.DATE:
            entry["options"] = _options([(month, month) for month in sorted(counts)], counts)
        elif kind == d.MATRIX:
            for label in question["rows"]:
                row_answered, row_total = cells.get((key, label, ""), (0, 0))
                row_counts = {
                    o: n for (q, r, o), (n, _s) in cells.items() if q == key and r == label and o
                }
                entry["rows"].append(
                    {
                        "label": label,
                        "answered": row_answered,
                        "mean": _mean(row_answered, row_total),
                        "options": _options(_scale(question), row_counts),
                    }
                )
        questions.append(entry)
    return {"respondents": respondents, "suppressed": False, "questions": questions}
