"""The answering form, built from a version's definition (``surveys.definition``).

Every question is optional at the field level: whether an answer is required depends on the
conditions, which depend on the other answers, so ``full_clean`` works out which questions the
answers show, requires the visible required ones, and drops the answers (and errors) of the
hidden ones. Field names: ``q_<key>`` (``q_<key>__other`` for "Other", ``q_<key>__r<n>`` for a
matrix row).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from . import definition as d

#: The longest value kept for one field of a draft (a text question's own limit is checked
#: when sending; a draft keeps what was typed, up to this).
DRAFT_VALUE_MAX = 20_000


def field_name(key: str, suffix: str = "") -> str:
    return f"q_{key}{suffix}"


def row_suffix(index: int) -> str:
    return f"__r{index}"


OTHER_SUFFIX = "__other"


def _translated(question: dict, labels: dict | None) -> dict:
    """``question`` with the labels of the visitor's language where the translation matches."""
    if not labels or question["key"] not in labels:
        return question
    other = labels[question["key"]]
    out = dict(question)
    for attr in ("label", "help"):
        if other.get(attr):
            out[attr] = other[attr]
    for attr in ("options", "rows"):
        if len(other.get(attr) or []) == len(question.get(attr) or []) and other.get(attr):
            out[f"{attr}_display"] = other[attr]
    if question.get("scale") and other.get("scale"):
        out["scale"] = {
            **question["scale"],
            **{k: other["scale"][k] or question["scale"][k] for k in ("min_label", "max_label")},
        }
    return out


class AnswerForm(forms.Form):
    """The questions of one version; ``answers`` holds the cleaned answers of the visible ones."""

    error_css_class = "is-invalid"

    def __init__(self, definition: dict, *args, labels: dict | None = None, **kwargs):
        data = kwargs.get("data", args[0] if args else None)
        if isinstance(data, dict) and not isinstance(data, MultiValueDict):
            data = MultiValueDict({k: list(v) for k, v in data.items()})
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.answers: dict = {}
        #: ``[(section, [(question, [bound fields])])]`` for the template.
        self.layout = []
        for section in definition["sections"]:
            entries = []
            for raw_question in section["questions"]:
                question = _translated(raw_question, labels)
                names = self._add_fields(question)
                entries.append((question, names))
            self.layout.append((section, entries))

    # --- building -----------------------------------------------------------------------------

    def _add_fields(self, q: dict) -> list[str]:
        name = field_name(q["key"])
        kind = q["kind"]
        common = {"label": q["label"], "help_text": q["help"], "required": False}
        names = [name]
        if kind in d.CHOICE_KINDS:
            shown = q.get("options_display") or q["options"]
            choices = list(zip(q["options"], shown, strict=True))
            if q["other"]:
                choices.append((d.OTHER, gettext("Other")))
            if kind == d.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            else:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            self.fields[name] = field
            if q["other"]:
                other = field_name(q["key"], OTHER_SUFFIX)
                self.fields[other] = forms.CharField(
                    label=gettext("Other (please specify)"), max_length=255, required=False
                )
                names.append(other)
        elif kind == d.SCALE:
            self.fields[name] = forms.TypedChoiceField(
                choices=self._scale_choices(q), coerce=int, widget=forms.RadioSelect, **common
            )
        elif kind == d.MATRIX:
            names = []
            shown = q.get("rows_display") or q["rows"]
            for index, label in enumerate(shown):
                row_name = field_name(q["key"], row_suffix(index))
                self.fields[row_name] = forms.TypedChoiceField(
                    label=label,
                    choices=self._scale_choices(q),
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                )
                names.append(row_name)
        elif kind == d.NUMBER:
            decimals = q.get("decimals") or 0
            self.fields[name] = forms.DecimalField(
                min_value=Decimal(q["min"]) if q.get("min") is not None else None,
                max_value=Decimal(q["max"]) if q.get("max") is not None else None,
                decimal_places=decimals,
                max_digits=18,
                widget=forms.NumberInput(
                    attrs={"step": "1" if not decimals else str(Decimal(1).scaleb(-decimals))}
                ),
                **common,
            )
        elif kind in d.TEXT_KINDS:
            widget = forms.Textarea(attrs={"rows": 5}) if kind == d.LONG_TEXT else None
            self.fields[name] = forms.CharField(
                max_length=q["max_length"], widget=widget, strip=True, **common
            )
        elif kind == d.DATE:
            self.fields[name] = forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
            )
        elif kind == d.YES_NO:
            self.fields[name] = forms.ChoiceField(
                choices=[(d.YES, gettext("Yes")), (d.NO, gettext("No"))],
                widget=forms.RadioSelect,
                **common,
            )
        for each in names:
            self.fields[each].question = q
        return names

    @staticmethod
    def _scale_choices(q: dict) -> list[tuple[int, str]]:
        scale = q["scale"]
        choices = []
        for value in range(scale["min"], scale["max"] + 1):
            label = str(value)
            if value == scale["min"] and scale["min_label"]:
                label = f"{value} – {scale['min_label']}"
            elif value == scale["max"] and scale["max_label"]:
                label = f"{value} – {scale['max_label']}"
            choices.append((value, label))
        return choices

    # --- cleaning -----------------------------------------------------------------------------

    def _answer_of(self, q: dict):
        """The cleaned answer to ``q`` from the valid fields (``None``: no answer)."""
        data = self.cleaned_data
        key, kind = q["key"], q["kind"]
        value = data.get(field_name(key))
        other = (data.get(field_name(key, OTHER_SUFFIX)) or "").strip()
        if kind == d.SINGLE:
            return {"choice": value, "other": other} if value else None
        if kind == d.MULTIPLE:
            return {"choices": list(value), "other": other} if value else None
        if kind == d.MATRIX:
            rows = {}
            for index, row in enumerate(q["rows"]):
                score = data.get(field_name(key, row_suffix(index)))
                if score not in (None, ""):
                    rows[row] = int(score)
            return rows or None
        if kind == d.SCALE:
            return int(value) if value not in (None, "") else None
        if kind == d.NUMBER:
            return str(value) if value is not None else None
        if kind == d.DATE:
            return value.isoformat() if value else None
        return value or None

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        questions = list(d.questions(self.definition))
        answers = {}
        for q in questions:
            answer = self._answer_of(q)
            if answer is not None:
                answers[q["key"]] = answer
        visible = d.visible_keys(self.definition, answers)
        for q in questions:
            names = [
                n
                for n, f in self.fields.items()
                if getattr(f, "question", {}).get("key") == q["key"]
            ]
            if q["key"] not in visible:
                answers.pop(q["key"], None)
                for name in names:
                    self._errors.pop(name, None)
                    self.cleaned_data.pop(name, None)
                continue
            if any(name in self._errors for name in names):
                answers.pop(q["key"], None)
                continue
            self._check(q, answers.get(q["key"]), names)
        self.answers = {key: value for key, value in answers.items() if key in visible}

    def _check(self, q: dict, answer, names: list[str]) -> None:
        main = names[0]
        kind = q["kind"]
        if kind == d.MATRIX:
            if q["required"]:
                for index, name in enumerate(names):
                    if not answer or q["rows"][index] not in answer:
                        self.add_error(name, gettext("Choose a value for this row."))
            return
        if answer is None:
            if q["required"]:
                self.add_error(main, gettext("This question requires an answer."))
            return
        if kind in d.CHOICE_KINDS:
            chosen = [answer["choice"]] if kind == d.SINGLE else answer["choices"]
            if d.OTHER in chosen and not answer["other"]:
                self.add_error(
                    field_name(q["key"], OTHER_SUFFIX),
                    gettext("You chose “Other”: please say what."),
                )
            limit = q.get("max_choices")
            if kind == d.MULTIPLE and limit and len(chosen) > limit:
                self.add_error(
                    main,
                    gettext("Choose at most %(count)d options.") % {"count": limit},
                )

    # --- drafts -------------------------------------------------------------------------------

    def raw_data(self) -> dict[str, list[str]]:
        """What was typed into this (bound) form's fields, as stored in a draft."""
        out = {}
        for name in self.fields:
            values = [str(v) for v in self.data.getlist(name)] if self.is_bound else []
            values = [v for v in values if v != ""]
            if values:
                out[name] = values
        return out


def initial_from_raw(form: AnswerForm, raw: dict) -> dict:
    """The unbound form's ``initial`` showing a draft's raw values (valid or not)."""
    initial = {}
    for name, values in (raw or {}).items():
        field = form.fields.get(name)
        if field is None or not values:
            continue
        initial[name] = list(values) if isinstance(field, forms.MultipleChoiceField) else values[0]
    return initial


def raw_from_answers(definition: dict, answers: dict) -> dict[str, list[str]]:
    """A sent response's answers as raw form data (to edit it until the close)."""
    raw: dict[str, list[str]] = {}
    for q in d.questions(definition):
        answer = answers.get(q["key"])
        if answer is None:
            continue
        name, kind = field_name(q["key"]), q["kind"]
        if kind in d.CHOICE_KINDS:
            chosen = [answer["choice"]] if kind == d.SINGLE else answer["choices"]
            raw[name] = list(chosen)
            if answer.get("other"):
                raw[field_name(q["key"], OTHER_SUFFIX)] = [answer["other"]]
        elif kind == d.MATRIX:
            for index, row in enumerate(q["rows"]):
                if row in answer:
                    raw[field_name(q["key"], row_suffix(index))] = [str(answer[row])]
        else:
            raw[name] = [str(answer)]
    return raw


def answers_from_rows(definition: dict, rows) -> dict:
    """The cleaned answers of a sent response from its ``Answer`` rows."""
    by_key = d.question_map(definition)
    answers: dict = {}
    for row in rows:
        q = by_key.get(row.question)
        if q is None:
            continue
        kind = q["kind"]
        if kind == d.SINGLE:
            answers[q["key"]] = {"choice": row.option, "other": row.text}
        elif kind == d.MULTIPLE:
            entry = answers.setdefault(q["key"], {"choices": [], "other": ""})
            entry["choices"].append(row.option)
            if row.option == d.OTHER:
                entry["other"] = row.text
        elif kind == d.MATRIX:
            answers.setdefault(q["key"], {})[row.row] = int(row.number)
        elif kind == d.SCALE:
            answers[q["key"]] = int(row.number)
        elif kind == d.NUMBER:
            answers[q["key"]] = str(row.number.normalize())
        elif kind in d.TEXT_KINDS:
            answers[q["key"]] = row.text
        elif kind == d.DATE:
            answers[q["key"]] = row.date.isoformat()
        elif kind == d.YES_NO:
            answers[q["key"]] = row.option
    return answers


__all__ = [
    "DRAFT_VALUE_MAX",
    "AnswerForm",
    "answers_from_rows",
    "field_name",
    "initial_from_raw",
    "raw_from_answers",
]
