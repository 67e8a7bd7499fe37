"""The questionnaire's StreamField: sections holding questions of nine kinds.

Editors write questions here; what respondents answer is the *definition* frozen from these
blocks when the page is published (``surveys.definition``). A question is identified by its
block id, which Wagtail keeps when a block is edited or moved and wagtail-localize keeps in the
translations; a condition names an earlier question by the short *code* the editor gives it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

CODE_RE = re.compile(r"^[a-z0-9_-]{1,40}$")


class ConditionBlock(blocks.StructBlock):
    """Show the question (or section) only when an earlier question got a given answer."""

    question = blocks.CharBlock(
        label=_("Show only if the question with code"),
        required=False,
        max_length=40,
        help_text=_("The code of an earlier question. Leave blank to always show."),
    )
    # Not "value": wagtail-localize reads a nested StructBlock's raw data through a "value" key.
    answer = blocks.CharBlock(
        label=_("has the answer"),
        required=False,
        max_length=255,
        help_text=_('One of its options, exactly as written; "yes" or "no" for a yes/no question.'),
    )

    class Meta:
        icon = "link"
        label = _("Condition")
        form_classname = "survey-condition"


class QuestionBlock(blocks.StructBlock):
    """The fields every question has."""

    label = blocks.CharBlock(label=_("Question"), max_length=500)
    code = blocks.CharBlock(
        label=_("Code"),
        required=False,
        max_length=40,
        help_text=_(
            "A short name (letters, digits, - and _) for conditions and exports, e.g. 'cloud'."
        ),
    )
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    condition = ConditionBlock(required=False)

    def clean(self, value):
        value = super().clean(value)
        code = (value.get("code") or "").strip()
        if code and not CODE_RE.match(code):
            raise StructBlockValidationError(
                block_errors={
                    "code": ValidationError(
                        _("Use up to 40 lowercase letters, digits, hyphens or underscores.")
                    )
                }
            )
        return value

    class Meta:
        icon = "help"


def _options(label=None):
    return blocks.ListBlock(
        blocks.CharBlock(max_length=255, label=_("Option")),
        label=label or _("Options"),
        min_num=2,
        max_num=30,
    )


class SingleChoiceBlock(QuestionBlock):
    options = _options()
    allow_other = blocks.BooleanBlock(
        label=_('Add an "Other" option with a text box'), required=False
    )

    class Meta:
        label = _("Single choice")
        icon = "radio-full"


class MultipleChoiceBlock(QuestionBlock):
    options = _options()
    allow_other = blocks.BooleanBlock(
        label=_('Add an "Other" option with a text box'), required=False
    )
    max_choices = blocks.IntegerBlock(
        label=_("At most this many choices"), required=False, min_value=1
    )

    class Meta:
        label = _("Multiple choice")
        icon = "tasks"


def _scale_min():
    return blocks.IntegerBlock(label=_("Scale from"), default=1, min_value=0, max_value=1)


def _scale_max():
    return blocks.IntegerBlock(label=_("to"), default=5, min_value=2, max_value=10)


def _end_label(label):
    return blocks.CharBlock(label=label, required=False, max_length=80)


class ScaleBlock(QuestionBlock):
    scale_min = _scale_min()
    scale_max = _scale_max()
    min_label = _end_label(_("Label of the lowest value"))
    max_label = _end_label(_("Label of the highest value"))

    class Meta:
        label = _("Scale (Likert)")
        icon = "order"


class MatrixBlock(QuestionBlock):
    rows = blocks.ListBlock(
        blocks.CharBlock(max_length=255, label=_("Row")), label=_("Rows"), min_num=1, max_num=30
    )
    scale_min = _scale_min()
    scale_max = _scale_max()
    min_label = _end_label(_("Label of the lowest value"))
    max_label = _end_label(_("Label of the highest value"))

    class Meta:
        label = _("Matrix (rows × scale)")
        icon = "table"


class NumberBlock(QuestionBlock):
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=40)
    min_value = blocks.DecimalBlock(label=_("Minimum"), required=False)
    max_value = blocks.DecimalBlock(label=_("Maximum"), required=False)
    decimals = blocks.IntegerBlock(
        label=_("Decimal places allowed"), default=0, min_value=0, max_value=4
    )

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and low >= high:
            raise StructBlockValidationError(
                block_errors={
                    "max_value": ValidationError(_("The maximum must be above the minimum."))
                }
            )
        return value

    class Meta:
        label = _("Number")
        icon = "decimal"


class ShortTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        label=_("Maximum length"), default=200, min_value=1, max_value=500
    )

    class Meta:
        label = _("Short text")
        icon = "pilcrow"


class LongTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        label=_("Maximum length"), default=4000, min_value=1, max_value=10000
    )

    class Meta:
        label = _("Long text")
        icon = "doc-full"


class DateBlock(QuestionBlock):
    class Meta:
        label = _("Date")
        icon = "date"


class YesNoBlock(QuestionBlock):
    class Meta:
        label = _("Yes/no")
        icon = "tick"


QUESTION_BLOCKS = [
    ("single_choice", SingleChoiceBlock()),
    ("multiple_choice", MultipleChoiceBlock()),
    ("scale", ScaleBlock()),
    ("matrix", MatrixBlock()),
    ("number", NumberBlock()),
    ("short_text", ShortTextBlock()),
    ("long_text", LongTextBlock()),
    ("date", DateBlock()),
    ("yes_no", YesNoBlock()),
]


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Section title"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=2000)
    condition = ConditionBlock(required=False)
    questions = blocks.StreamBlock(QUESTION_BLOCKS, label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Section")


class QuestionnaireBlock(blocks.StreamBlock):
    """The whole questionnaire: checks that every condition names an earlier question and one of
    its answers (``surveys.definition.check_conditions``)."""

    section = SectionBlock()

    def clean(self, value):
        from .definition import DefinitionError, definition_from_stream

        value = super().clean(value)
        try:
            definition_from_stream(value)
        except DefinitionError as error:
            raise blocks.StreamBlockValidationError(non_block_errors=[error.message]) from error
        return value

    class Meta:
        min_num = 1
