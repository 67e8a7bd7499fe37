"""Serializers of the questionnaires' API (``surveys.api.views``).

Output serializers read plain dicts and attributes the views prepare (no rule is decided here);
every key is always present (``null`` when it does not apply), so that the schema can list
them all as required. Input serializers only parse and type-check: which field names exist is
checked against the questionnaire's version by the views, what is valid by its form
(``surveys.forms.AnswerForm``) through the services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

#: The most values one field of an answer set may carry (a multiple choice lists its options).
MAX_VALUES = 100

ANSWERS_HELP = _(
    "The answers as the questionnaire's form fields: ``{field name: [values]}``. Every question "
    "of the questionnaire's definition lists its field names (``fields``): ``q_<key>`` for the "
    "answer, ``q_<key>__other`` for the text of “Other”, ``q_<key>__r<n>`` for the n-th row of "
    "a matrix (from 0). Values are strings as typed: an option's ``value``, a number "
    "(``42``, ``3.5``), a date (``2026-01-15``), ``yes``/``no``; a multiple choice lists one "
    "value per chosen option. A field name the questionnaire does not have is refused (400)."
)


class SurveyErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(source="api_url", read_only=True)
    opens_at = serializers.DateTimeField(read_only=True)
    closes_at = serializers.DateTimeField(read_only=True)
    state = serializers.CharField(
        source="api_state", read_only=True, help_text=_("open, closed or not_open")
    )
    audience = serializers.CharField(
        source="api_audience",
        read_only=True,
        help_text=_(
            "registered (every registered member), community (its members), designated (its "
            "designated participants) or working_group (the group's members)"
        ),
    )
    community_id = serializers.IntegerField(
        source="api_community_id", read_only=True, allow_null=True
    )
    working_group_id = serializers.IntegerField(
        source="api_working_group_id", read_only=True, allow_null=True
    )
    respondent = serializers.CharField(
        read_only=True,
        help_text=_("person (one response per person) or ente (one per authority)"),
    )
    anonymous = serializers.BooleanField(read_only=True)
    answered = serializers.BooleanField(
        source="api_answered", read_only=True, help_text=_("You sent a response.")
    )
    has_draft = serializers.BooleanField(
        source="api_has_draft", read_only=True, help_text=_("You have a draft.")
    )
    results_visible = serializers.BooleanField(
        source="api_results_visible", read_only=True, help_text=_("You may see the results.")
    )


class ConditionSerializer(serializers.Serializer):
    question = serializers.CharField(read_only=True, help_text=_("An earlier question's key"))
    value = serializers.CharField(read_only=True, help_text=_("The answer that shows this"))


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True, help_text=_("What to send"))
    label = serializers.CharField(read_only=True, help_text=_("What to show"))


class ScaleSerializer(serializers.Serializer):
    min = serializers.IntegerField(read_only=True)
    max = serializers.IntegerField(read_only=True)
    min_label = serializers.CharField(read_only=True)
    max_label = serializers.CharField(read_only=True)


class MatrixRowSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True, help_text=_("The row's field name"))
    label = serializers.CharField(read_only=True)


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    kind = serializers.CharField(
        read_only=True,
        help_text=_(
            "single_choice, multiple_choice, scale, matrix, number, short_text, long_text, "
            "date or yes_no"
        ),
    )
    label = serializers.CharField(read_only=True)
    help = serializers.CharField(read_only=True)
    required = serializers.BooleanField(read_only=True)
    condition = ConditionSerializer(read_only=True, allow_null=True)
    fields = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The form field names of this question's answer"),
    )
    options = OptionSerializer(many=True, read_only=True)
    other = serializers.BooleanField(read_only=True, help_text=_("Offers “Other”"))
    other_field = serializers.CharField(read_only=True, allow_null=True)
    max_choices = serializers.IntegerField(read_only=True, allow_null=True)
    scale = ScaleSerializer(read_only=True, allow_null=True)
    rows = MatrixRowSerializer(many=True, read_only=True)
    unit = serializers.CharField(read_only=True, allow_null=True)
    min = serializers.CharField(read_only=True, allow_null=True)
    max = serializers.CharField(read_only=True, allow_null=True)
    decimals = serializers.IntegerField(read_only=True, allow_null=True)
    max_length = serializers.IntegerField(read_only=True, allow_null=True)


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    condition = ConditionSerializer(read_only=True, allow_null=True)
    questions = QuestionSerializer(many=True, read_only=True)


class SurveyDetailSerializer(SurveySerializer):
    intro = serializers.CharField(source="api_intro", read_only=True, help_text=_("HTML"))
    version = serializers.IntegerField(
        source="api_version", read_only=True, help_text=_("The version answered now")
    )
    may_answer = serializers.BooleanField(source="api_may_answer", read_only=True)
    taken = serializers.BooleanField(
        source="api_taken",
        read_only=True,
        help_text=_("One response per authority: a colleague already answered for yours."),
    )
    sections = SectionSerializer(source="api_sections", many=True, read_only=True)


class AnswersField(serializers.DictField):
    """``{field name: [values]}`` (strings)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", ANSWERS_HELP)
        super().__init__(
            child=serializers.ListField(
                child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                max_length=MAX_VALUES,
            ),
            **kwargs,
        )


class AnswersInputSerializer(serializers.Serializer):
    answers = AnswersField()


class DraftSerializer(serializers.Serializer):
    survey = serializers.IntegerField(source="survey_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    answers = AnswersField(source="data", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class MyDraftSerializer(serializers.Serializer):
    survey = serializers.IntegerField(source="survey_id", read_only=True)
    title = serializers.CharField(source="survey.title", read_only=True)
    url = serializers.CharField(source="api_url", read_only=True)
    closes_at = serializers.DateTimeField(source="survey.closes_at", read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ResponseSerializer(serializers.Serializer):
    id = serializers.UUIDField(
        source="api_id",
        read_only=True,
        allow_null=True,
        help_text=_("None for an anonymous questionnaire"),
    )
    survey = serializers.IntegerField(source="survey_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    submitted_at = serializers.DateTimeField(
        read_only=True, help_text=_("The day only, for an anonymous questionnaire")
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    ente = serializers.CharField(
        source="api_ente",
        read_only=True,
        allow_null=True,
        help_text=_("The authority answered for"),
    )
    answers = serializers.DictField(
        source="api_answers",
        child=serializers.JSONField(),
        read_only=True,
        help_text=_(
            "The answers by question key: a choice {choice, other}, a multiple choice "
            "{choices, other}, a scale an integer, a matrix {row: integer}, a number a "
            "string, a text a string, a date YYYY-MM-DD, yes/no."
        ),
    )
    fields = AnswersField(
        source="api_fields",
        read_only=True,
        help_text=_("The same answers as form fields (to change them: POST them again)."),
    )


# --- Results ----------------------------------------------------------------------------------


class ResultOptionSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class ResultRowSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    mean = serializers.CharField(read_only=True, allow_null=True)
    options = ResultOptionSerializer(many=True, read_only=True)


class ResultQuestionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    answered = serializers.IntegerField(read_only=True, help_text=_("Respondents who answered"))
    mean = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Scale and number questions")
    )
    options = ResultOptionSerializer(many=True, read_only=True)
    rows = ResultRowSerializer(many=True, read_only=True)


class ResultFiltersSerializer(serializers.Serializer):
    region = serializers.CharField(read_only=True, allow_null=True)
    ente_kind = serializers.CharField(read_only=True, allow_null=True)
    population_class = serializers.CharField(read_only=True, allow_null=True)
    position = serializers.CharField(read_only=True, allow_null=True)


class ResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField(read_only=True)
    filters = ResultFiltersSerializer(read_only=True)
    suppressed = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Fewer respondents than the minimum in this selection: no figure is given (no "
            "re-identification)."
        ),
    )
    minimum = serializers.IntegerField(read_only=True)
    respondents = serializers.IntegerField(read_only=True, allow_null=True)
    questions = ResultQuestionSerializer(many=True, read_only=True)
