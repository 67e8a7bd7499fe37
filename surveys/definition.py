"""A questionnaire's *definition*: the frozen, JSON form of its blocks that respondents answer.

``definition_from_stream`` turns the page's StreamField into::

    {"sections": [{"key", "title", "description", "condition", "questions": [question, ...]}]}

where a question is ``{"key", "kind", "code", "label", "help", "required", "condition", ...}``
plus its kind's settings (``options``/``other``/``max_choices``, ``scale``, ``rows``, ``unit``/
``min``/``max``/``decimals``, ``max_length``), and a condition is ``{"question": key, "value":
answer}``. A version of the questionnaire stores one definition; answers name questions by key.

The functions here are pure (no database): which questions an answer set shows
(``visible_keys``), the rows an answer set is stored as (``answer_rows``) and the result cells
those rows add up to (``cells``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .blocks import CODE_RE

SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
SCALE = "scale"
MATRIX = "matrix"
NUMBER = "number"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
DATE = "date"
YES_NO = "yes_no"

KINDS = (SINGLE, MULTIPLE, SCALE, MATRIX, NUMBER, SHORT_TEXT, LONG_TEXT, DATE, YES_NO)
CHOICE_KINDS = (SINGLE, MULTIPLE)
TEXT_KINDS = (SHORT_TEXT, LONG_TEXT)
#: The kinds a condition may depend on (their answers are one of a few values).
CONDITION_KINDS = (SINGLE, MULTIPLE, SCALE, YES_NO)

#: The option stored for "Other" (its text is in the answer row's ``text``).
OTHER = "__other__"
YES, NO = "yes", "no"
#: How many equal bins the results of a bounded number question are grouped in.
NUMBER_BINS = 5


class DefinitionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _text(value) -> str:
    return str(value or "").strip()


def _decimal(value) -> str | None:
    if value in (None, ""):
        return None
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _question(kind: str, key: str, value) -> dict:
    question = {
        "key": key,
        "kind": kind,
        "code": _text(value.get("code")),
        "label": _text(value.get("label")),
        "help": _text(value.get("help_text")),
        "required": bool(value.get("required")),
        "condition": _raw_condition(value.get("condition")),
    }
    if kind in CHOICE_KINDS:
        question["options"] = [_text(option) for option in value.get("options") or []]
        question["other"] = bool(value.get("allow_other"))
        if kind == MULTIPLE:
            question["max_choices"] = value.get("max_choices") or None
    if kind in (SCALE, MATRIX):
        question["scale"] = {
            "min": int(value.get("scale_min") if value.get("scale_min") is not None else 1),
            "max": int(value.get("scale_max") or 5),
            "min_label": _text(value.get("min_label")),
            "max_label": _text(value.get("max_label")),
        }
    if kind == MATRIX:
        question["rows"] = [_text(row) for row in value.get("rows") or []]
    if kind == NUMBER:
        question["unit"] = _text(value.get("unit"))
        question["min"] = _decimal(value.get("min_value"))
        question["max"] = _decimal(value.get("max_value"))
        question["decimals"] = int(value.get("decimals") or 0)
    if kind in TEXT_KINDS:
        default = 200 if kind == SHORT_TEXT else 4000
        question["max_length"] = int(value.get("max_length") or default)
    return question


def _raw_condition(value) -> dict | None:
    if not value:
        return None
    code, answer = _text(value.get("question")), _text(value.get("answer"))
    if not code and not answer:
        return None
    return {"code": code, "value": answer}


def definition_from_stream(stream) -> dict:
    """The definition of a questionnaire's StreamField value; raises ``DefinitionError`` when a
    condition names no earlier question or an answer that question cannot have, or when two
    questions share a code or a section has duplicate options."""
    sections = []
    for section in stream:
        value = section.value
        questions = [
            _question(child.block_type, str(child.id), child.value)
            for child in value.get("questions") or []
        ]
        sections.append(
            {
                "key": str(section.id),
                "title": _text(value.get("title")),
                "description": _text(value.get("description")),
                "condition": _raw_condition(value.get("condition")),
                "questions": questions,
            }
        )
    definition = {"sections": sections}
    _resolve_conditions(definition)
    return definition


def _normalise_answer(question: dict, answer: str) -> str | None:
    """The stored form of a condition's expected ``answer`` to ``question`` (None if
    impossible)."""
    kind = question["kind"]
    if kind in CHOICE_KINDS:
        return answer if answer in question["options"] else None
    if kind == YES_NO:
        lowered = answer.lower()
        if lowered in ("yes", "sì", "si", "true"):
            return YES
        return NO if lowered in ("no", "false") else None
    if kind == SCALE:
        try:
            number = int(answer)
        except ValueError:
            return None
        scale = question["scale"]
        return str(number) if scale["min"] <= number <= scale["max"] else None
    return None


def _resolve_conditions(definition: dict) -> None:
    """Replace every condition's code by the key of the earlier question it names."""
    seen: dict[str, dict] = {}
    for section in definition["sections"]:
        _resolve(section, seen, _("Section “%(title)s”") % {"title": section["title"]})
        for question in section["questions"]:
            if len(set(question.get("options") or [])) != len(question.get("options") or []):
                raise DefinitionError(
                    _("The question “%(label)s” lists the same option twice.")
                    % {"label": question["label"]}
                )
            _resolve(question, seen, _("The question “%(label)s”") % {"label": question["label"]})
            code = question["code"]
            if code:
                if not CODE_RE.match(code):
                    raise DefinitionError(_("The code “%(code)s” is not valid.") % {"code": code})
                if code in seen:
                    raise DefinitionError(
                        _("Two questions have the code “%(code)s”.") % {"code": code}
                    )
                seen[code] = question


def _resolve(item: dict, seen: dict, name: str) -> None:
    condition = item.get("condition")
    if not condition:
        return
    target = seen.get(condition["code"])
    if target is None:
        raise DefinitionError(
            _("%(name)s depends on “%(code)s”, which is not the code of an earlier question.")
            % {"name": name, "code": condition["code"]}
        )
    if target["kind"] not in CONDITION_KINDS:
        raise DefinitionError(
            _(
                "%(name)s depends on “%(code)s”: only choice, scale and yes/no questions "
                "can be used."
            )
            % {"name": name, "code": condition["code"]}
        )
    value = _normalise_answer(target, condition["value"])
    if value is None:
        raise DefinitionError(
            _("%(name)s: “%(value)s” is not a possible answer to “%(code)s”.")
            % {"name": name, "value": condition["value"], "code": condition["code"]}
        )
    item["condition"] = {"question": target["key"], "value": value}


def fingerprint(definition: dict) -> str:
    """A stable hash of a definition: a new version is frozen only when it changes."""
    encoded = json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def questions(definition: dict) -> Iterator[dict]:
    for section in definition["sections"]:
        yield from section["questions"]


def question_map(definition: dict) -> dict[str, dict]:
    return {question["key"]: question for question in questions(definition)}


# --- answers --------------------------------------------------------------------------------
# A cleaned answer set is ``{question key: value}`` with JSON values:
#   single_choice   {"choice": option or OTHER, "other": text}
#   multiple_choice {"choices": [option or OTHER, ...], "other": text}
#   scale           int
#   matrix          {row: int}
#   number          str (a decimal)
#   short/long text str
#   date            "YYYY-MM-DD"
#   yes_no          "yes" | "no"


def _matches(condition: dict | None, answers: dict, visible: set[str]) -> bool:
    if not condition:
        return True
    key, expected = condition["question"], condition["value"]
    if key not in visible or key not in answers:
        return False
    answer = answers[key]
    if isinstance(answer, dict):
        if "choices" in answer:
            return expected in answer["choices"]
        return answer.get("choice") == expected
    return str(answer) == expected


def visible_keys(definition: dict, answers: dict) -> set[str]:
    """The keys of the questions ``answers`` shows (conditions on earlier answers)."""
    visible: set[str] = set()
    for section in definition["sections"]:
        if not _matches(section["condition"], answers, visible):
            continue
        for question in section["questions"]:
            if _matches(question["condition"], answers, visible):
                visible.add(question["key"])
    return visible


def number_bins(question: dict) -> list[tuple[Decimal, Decimal, str]]:
    """The bins of a bounded number question: ``[(low, high, label), ...]`` (none unbounded)."""
    if question.get("min") is None or question.get("max") is None:
        return []
    low, high = Decimal(question["min"]), Decimal(question["max"])
    step = (high - low) / NUMBER_BINS
    bins = []
    for index in range(NUMBER_BINS):
        start = low + step * index
        end = high if index == NUMBER_BINS - 1 else low + step * (index + 1)
        bins.append((start, end, f"{_fmt(start)}–{_fmt(end)}"))
    return bins


def _fmt(number: Decimal) -> str:
    text = f"{number.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def number_bin(question: dict, value: Decimal) -> str:
    """The label of the bin ``value`` falls in (the last bin includes the maximum)."""
    bins = number_bins(question)
    for index, (low, high, label) in enumerate(bins):
        if low <= value < high or (index == len(bins) - 1 and value == high):
            return label
    return ""


@dataclass(frozen=True)
class AnswerRow:
    """One stored row of an answer (``surveys.Answer``)."""

    question: str
    row: str = ""
    option: str = ""
    number: Decimal | None = None
    text: str = ""
    date: date | None = None


def answer_rows(definition: dict, answers: dict) -> list[AnswerRow]:
    """The rows ``answers`` (cleaned, visible questions only) are stored as."""
    by_key = question_map(definition)
    rows: list[AnswerRow] = []
    for key, value in answers.items():
        question = by_key.get(key)
        if question is None or value in (None, "", [], {}):
            continue
        kind = question["kind"]
        if kind == SINGLE:
            rows.append(
                AnswerRow(
                    key,
                    option=value["choice"],
                    text=value.get("other", "") if value["choice"] == OTHER else "",
                )
            )
        elif kind == MULTIPLE:
            rows.extend(
                AnswerRow(
                    key, option=choice, text=value.get("other", "") if choice == OTHER else ""
                )
                for choice in value["choices"]
            )
        elif kind == SCALE:
            rows.append(AnswerRow(key, option=str(value), number=Decimal(value)))
        elif kind == MATRIX:
            rows.extend(
                AnswerRow(key, row=row, option=str(score), number=Decimal(score))
                for row, score in value.items()
            )
        elif kind == NUMBER:
            number = Decimal(value)
            rows.append(AnswerRow(key, option=number_bin(question, number), number=number))
        elif kind in TEXT_KINDS:
            rows.append(AnswerRow(key, text=value))
        elif kind == DATE:
            day = date.fromisoformat(value)
            rows.append(AnswerRow(key, option=day.strftime("%Y-%m"), date=day))
        elif kind == YES_NO:
            rows.append(AnswerRow(key, option=value))
    return rows


#: A result cell: ``(question, row, option)``; ``("", "", "")`` counts the respondents,
#: ``(question, "", "")`` those who answered the question (its ``total`` sums the numbers) and
#: ``(question, row, "")`` those who answered a matrix row.
Cell = tuple[str, str, str]


def cells(rows: Iterable[AnswerRow]) -> dict[Cell, tuple[int, Decimal]]:
    """``{cell: (count, total)}`` one response adds to the results."""
    out: dict[Cell, list] = {("", "", ""): [1, Decimal(0)]}

    def add(cell, number):
        entry = out.setdefault(cell, [0, Decimal(0)])
        entry[0] += 1
        entry[1] += number or 0

    answered: set[str] = set()
    for row in rows:
        if row.question not in answered:
            answered.add(row.question)
            add((row.question, "", ""), row.number if not row.row else None)
        if row.row:
            add((row.question, row.row, ""), row.number)
        if row.option:
            add((row.question, row.row, row.option), row.number)
    return {cell: (count, total) for cell, (count, total) in out.items()}
