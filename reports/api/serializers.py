"""The shape of the figures in the API (``reports.figures.figures``), for the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers


class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared below.
    to = serializers.CharField(help_text="Last month included, YYYY-MM.")


PeriodSerializer._declared_fields = {
    "from": serializers.CharField(help_text="First month included, YYYY-MM."),
    **PeriodSerializer._declared_fields,
}


class MembersMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    joined = serializers.IntegerField(help_text="Memberships started in the month.")
    left = serializers.IntegerField(help_text="Memberships ended in the month.")
    members = serializers.IntegerField(help_text="Members at the end of the month.")


class GroupCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(
        allow_null=True, help_text="null when masked: fewer people than the threshold."
    )
    masked = serializers.BooleanField()


class ActivityMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    topics = serializers.IntegerField(help_text="Topics opened in the month.")
    replies = serializers.IntegerField(help_text="Replies posted in the month.")
    attendances = serializers.IntegerField(
        allow_null=True, help_text="Event attendances recorded; null while not recorded."
    )


class FiguresSerializer(serializers.Serializer):
    community = CommunityRefSerializer(allow_null=True, help_text="null for the whole portal.")
    period = PeriodSerializer()
    threshold = serializers.IntegerField(
        help_text="Region and authority groups smaller than this are masked."
    )
    members_by_month = MembersMonthSerializer(many=True)
    members_by_role = GroupCountSerializer(many=True)
    members_by_region = GroupCountSerializer(many=True)
    members_by_ente_kind = GroupCountSerializer(many=True)
    activity_by_month = ActivityMonthSerializer(many=True)
    attendance_available = serializers.BooleanField()
