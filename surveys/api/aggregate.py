"""The results as the API answers with them: the figures of ``surveys.results`` (the result
cells summed in the database over the segments the filters keep, cached like the results page,
with the same minimum-respondents rule), shaped as JSON per question.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .. import definition as d
from ..results import FILTER_NAMES as FILTERS
from ..results import Filters, cell_sums, min_group

__all__ = ["FILTERS", "Filters", "min_group", "summarise"]


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


def summarise(survey, definition: dict, filters: Filters, *, manager: bool = False) -> dict:
    """``{"respondents", "suppressed", "questions"}`` of ``survey`` (its default-language page)
    among the respondents the ``filters`` keep; ``definition``: the version whose questions
    are reported (the current one). A selection of fewer than ``min_group()`` respondents has
    no figure, except the whole questionnaire for who manages it (as on the results page)."""
    cells = cell_sums(survey, filters)
    respondents = cells.get(("", "", ""), (0, 0))[0]
    if respondents < min_group() and (filters or not manager):
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
