"""Serializers of the Mappa's API (``mappa.api.views``).

Output serializers read plain dicts and attributes the views prepare (no rule is decided here);
every key is always present (``null`` when it does not apply), so that the schema lists them all
as required. Input serializers only parse and type-check: what is allowed, and the rest of what
is valid, is decided by ``mappa.services`` (their field errors come back by field name). The
answers of a draft or a submission are the questionnaire engine's (``surveys.api.serializers``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from surveys.api.serializers import AnswersField, SectionSerializer

from ..models import Accreditation, Campaign
from ..report import GROUPS


class MappaErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


class EnteRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ExtensionSerializer(serializers.Serializer):
    previous = serializers.DateTimeField(read_only=True, help_text=_("The deadline before"))
    new = serializers.DateTimeField(read_only=True, help_text=_("The deadline after"))
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class AccreditationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    campaign = serializers.CharField(source="campaign.slug", read_only=True)
    ente = EnteRefSerializer(source="api_ente", read_only=True)
    user = EnteRefSerializer(source="api_user", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_("requested, approved, refused or revoked")
    )
    is_referent = serializers.BooleanField(
        read_only=True,
        help_text=_("The first compiler approved for an authority: approves colleagues."),
    )
    authorised_by = serializers.ChoiceField(choices=Accreditation.SignedBy.choices, read_only=True)
    authorisation_date = serializers.DateField(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_by = serializers.CharField(source="api_decided_by", read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True, help_text=_("Why it was refused or revoked"))


class SubmissionRefSerializer(serializers.Serializer):
    submitted_at = serializers.DateTimeField(read_only=True)
    submitted_by = serializers.CharField(source="api_submitted_by", read_only=True)
    variant = serializers.ChoiceField(choices=Campaign.Variant.choices, read_only=True)
    report_visible = serializers.BooleanField(
        source="api_report_visible",
        read_only=True,
        help_text=_("You may read the report (``report/``)."),
    )


class MyStateSerializer(serializers.Serializer):
    ente = EnteRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The authority of your profile (null: add it to compile for it)"),
    )
    accreditation = AccreditationSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Your request to compile, pending or approved (else the last decided one)"),
    )
    may_request = serializers.BooleanField(
        read_only=True, help_text=_("You may ask to compile for your authority now.")
    )
    is_compiler = serializers.BooleanField(read_only=True)
    is_referent = serializers.BooleanField(read_only=True)
    variant = serializers.ChoiceField(
        choices=Campaign.Variant.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The version your authority compiles (null without an authority)"),
    )
    variant_reason = serializers.CharField(
        read_only=True, help_text=_("Why this version, in words")
    )
    variant_changed = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The population changed after the draft was started: the draft keeps its version."
        ),
    )
    submission = SubmissionRefSerializer(read_only=True, allow_null=True)


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=_("mappa or competence"))
    description = serializers.CharField(read_only=True)
    url = serializers.CharField(source="api_url", read_only=True, help_text=_("Its page"))
    opens_at = serializers.DateTimeField(read_only=True)
    closes_at = serializers.DateTimeField(read_only=True, help_text=_("The current deadline"))
    state = serializers.CharField(
        source="api_state", read_only=True, help_text=_("open, closed or not_open")
    )
    has_simplified = serializers.BooleanField(
        source="api_has_simplified",
        read_only=True,
        help_text=_("A simplified version exists for the smaller Comuni."),
    )
    simplified_below = serializers.IntegerField(
        read_only=True, help_text=_("Inhabitants below which a Comune answers the simplified one")
    )
    extensions = ExtensionSerializer(source="api_extensions", many=True, read_only=True)
    me = MyStateSerializer(source="api_me", read_only=True)


class QuestionnaireSerializer(serializers.Serializer):
    survey = serializers.IntegerField(read_only=True, help_text=_("The questionnaire's page"))
    version = serializers.IntegerField(read_only=True, help_text=_("The version answered now"))
    variant = serializers.ChoiceField(choices=Campaign.Variant.choices, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)


class CampaignDetailSerializer(CampaignSerializer):
    questionnaire = QuestionnaireSerializer(
        source="api_questionnaire",
        read_only=True,
        allow_null=True,
        help_text=_(
            "The questions of the version your authority compiles, with the form field names "
            "the draft and the submission use (null without an authority)."
        ),
    )


# --- accreditation ----------------------------------------------------------------------------


class AccreditationRequestSerializer(serializers.Serializer):
    authorised_by = serializers.ChoiceField(
        choices=Accreditation.SignedBy.choices,
        help_text=_("Who authorised you: mayor, rtd (digital transition officer) or secretary"),
        error_messages={
            "required": _("Say who authorised you."),
            "invalid_choice": _("Say who authorised you."),
            "null": _("Say who authorised you."),
        },
    )
    authorisation_date = serializers.DateField(
        help_text=_("The date of the authorisation (YYYY-MM-DD, not in the future)"),
        error_messages={
            "required": _("Give the date of the authorisation."),
            "invalid": _("Write the date as YYYY-MM-DD."),
            "null": _("Give the date of the authorisation."),
        },
    )
    declaration = serializers.BooleanField(
        help_text=_(
            "I declare that my authority authorised me to answer this questionnaire on its "
            "behalf, and that the information I give is true to the best of my knowledge "
            "(must be true)."
        ),
        error_messages={"required": _("Accept the declaration to go on.")},
    )


class AccreditationDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why (required to refuse; the colleague reads it)"),
    )


# --- the draft and the submission ---------------------------------------------------------------


class DraftChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    user = serializers.CharField(source="api_user", read_only=True, allow_null=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
        read_only=True,
        help_text=_("By field name: [values before, values after]"),
    )


class EnteDraftSerializer(serializers.Serializer):
    campaign = serializers.CharField(read_only=True)
    ente = EnteRefSerializer(read_only=True)
    variant = serializers.ChoiceField(choices=Campaign.Variant.choices, read_only=True)
    variant_reason = serializers.CharField(read_only=True)
    variant_changed = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The population changed after the draft was started: the draft keeps its version."
        ),
    )
    survey = serializers.IntegerField(read_only=True, help_text=_("The questionnaire's page"))
    version = serializers.IntegerField(read_only=True, allow_null=True)
    answers = AnswersField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_by = serializers.CharField(read_only=True, allow_null=True)
    changes = DraftChangeSerializer(
        many=True, read_only=True, help_text=_("The last changes, newest first")
    )


class SubmissionSerializer(serializers.Serializer):
    campaign = serializers.CharField(source="campaign.slug", read_only=True)
    ente = EnteRefSerializer(source="api_ente", read_only=True)
    variant = serializers.ChoiceField(choices=Campaign.Variant.choices, read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    submitted_by = serializers.CharField(source="api_submitted_by", read_only=True)
    total_score = serializers.FloatField(read_only=True, allow_null=True)
    report = serializers.CharField(source="api_report", read_only=True, help_text=_("Its page"))


# --- the report -------------------------------------------------------------------------------


class ComparisonSerializer(serializers.Serializer):
    group = serializers.ChoiceField(
        choices=[(group, group) for group in GROUPS],
        help_text=_("region, population_class or national"),
        read_only=True,
    )
    label = serializers.CharField(read_only=True)
    n = serializers.IntegerField(read_only=True, help_text=_("Enti in the group"))
    available = serializers.BooleanField(
        read_only=True, help_text=_("Enough Enti in the group to show its figures")
    )
    median = serializers.FloatField(read_only=True, allow_null=True)
    percentile = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The share of the group scoring lower (half of the equal ones), 0-100"),
    )


class ResourceSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)


class AreaRowSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True, help_text=_("0 to 100"))
    weak = serializers.BooleanField(read_only=True)
    weak_below = serializers.FloatField(read_only=True, allow_null=True)
    comparisons = ComparisonSerializer(many=True, read_only=True)


class AgendaRowSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True)
    resources = ResourceSerializer(many=True, read_only=True)


class ReportSerializer(serializers.Serializer):
    campaign = serializers.CharField(read_only=True)
    ente = EnteRefSerializer(read_only=True)
    region = serializers.CharField(read_only=True)
    population_class = serializers.CharField(read_only=True)
    variant = serializers.ChoiceField(choices=Campaign.Variant.choices, read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    submitted_by = serializers.CharField(read_only=True)
    minimum = serializers.IntegerField(
        read_only=True, help_text=_("A group of fewer Enti shows no figures")
    )
    areas = AreaRowSerializer(many=True, read_only=True)
    total = AreaRowSerializer(read_only=True, allow_null=True)
    agenda = AgendaRowSerializer(
        many=True,
        read_only=True,
        help_text=_("The weak areas, with the portal's resources that address them"),
    )
    url = serializers.CharField(read_only=True, help_text=_("The report's page"))
    pdf = serializers.CharField(read_only=True, help_text=_("The report as PDF"))


# --- the competence-centre survey's territories -------------------------------------------------


class TerritorySerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text=_("province or union"))
    code = serializers.CharField(
        read_only=True, help_text=_("The province's abbreviation, or the union's id")
    )
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class QuestionRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    group = serializers.CharField(read_only=True)


class TopicEnteSerializer(serializers.Serializer):
    ente = EnteRefSerializer(read_only=True)
    questions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The labels of the questions that named the topic"),
    )


class TopicRowSerializer(serializers.Serializer):
    topic = serializers.CharField(read_only=True)
    needed_by = TopicEnteSerializer(many=True, read_only=True)
    offered_by = TopicEnteSerializer(many=True, read_only=True)


class TopicsField(serializers.DictField):
    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.ListField(child=serializers.CharField()),
            read_only=True,
            help_text=_("By topic: the labels of the questions that named it"),
            **kwargs,
        )


class TerritoryEnteSerializer(serializers.Serializer):
    ente = EnteRefSerializer(read_only=True)
    istat_code = serializers.CharField(read_only=True)
    province_code = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)
    population = serializers.IntegerField(read_only=True, allow_null=True)
    is_demo = serializers.BooleanField(read_only=True, help_text=_("Synthetic demo data"))
    needs = TopicsField()
    offers = TopicsField()
    details = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        read_only=True,
        help_text=_("By the details' question code: the answer"),
    )


class MatchSerializer(serializers.Serializer):
    topic = serializers.CharField(read_only=True)
    needs = serializers.ListField(child=serializers.CharField(), read_only=True)
    offered_by = TopicEnteSerializer(many=True, read_only=True)


class MatchesSerializer(serializers.Serializer):
    ente = EnteRefSerializer(read_only=True)
    topics = MatchSerializer(many=True, read_only=True)


class TerritoryViewSerializer(serializers.Serializer):
    campaign = serializers.CharField(read_only=True)
    territory = TerritorySerializer(read_only=True)
    needs = QuestionRefSerializer(many=True, read_only=True)
    offers = QuestionRefSerializer(many=True, read_only=True)
    details = QuestionRefSerializer(many=True, read_only=True)
    topics = TopicRowSerializer(
        many=True, read_only=True, help_text=_("Who needs and who offers each topic")
    )
    enti = TerritoryEnteSerializer(
        many=True, read_only=True, help_text=_("The territory's authorities that answered")
    )
    matches = MatchesSerializer(
        read_only=True,
        allow_null=True,
        help_text=_(
            "“Comuni che possono aiutarti su…”: for each topic the chosen authority (``ente``, "
            "else mine) needs, who in the territory offers it, nearest first (null: it did not "
            "answer)"
        ),
    )
    csv = serializers.CharField(read_only=True, help_text=_("The same data as CSV"))
    url = serializers.CharField(read_only=True, help_text=_("Its page"))
