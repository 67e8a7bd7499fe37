"""The shape of the figures in the API (``reports.figures.figures``), for the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers

from communities.api.serializers import CommunityRefSerializer


class FiguresPeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared below.
    to = serializers.CharField(help_text="Last month included, YYYY-MM.")


FiguresPeriodSerializer._declared_fields = {
    "from": serializers.CharField(help_text="First month included, YYYY-MM."),
    **FiguresPeriodSerializer._declared_fields,
}


class FiguresMembersMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    joined = serializers.IntegerField(help_text="Memberships started in the month.")
    left = serializers.IntegerField(help_text="Memberships ended in the month.")
    members = serializers.IntegerField(help_text="Members at the end of the month.")


class FiguresGroupCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(
        allow_null=True, help_text="null when masked: fewer people than the threshold."
    )
    masked = serializers.BooleanField()


class FiguresActivityMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    topics = serializers.IntegerField(help_text="Topics opened in the month.")
    replies = serializers.IntegerField(help_text="Replies posted in the month.")
    attendances = serializers.IntegerField(
        allow_null=True, help_text="Event attendances recorded; null while not recorded."
    )


class FiguresSerializer(serializers.Serializer):
    community = CommunityRefSerializer(allow_null=True, help_text="null for the whole portal.")
    period = FiguresPeriodSerializer()
    threshold = serializers.IntegerField(
        help_text="Region and authority groups smaller than this are masked."
    )
    members_by_month = FiguresMembersMonthSerializer(many=True)
    members_by_role = FiguresGroupCountSerializer(many=True)
    members_by_region = FiguresGroupCountSerializer(many=True)
    members_by_ente_kind = FiguresGroupCountSerializer(many=True)
    activity_by_month = FiguresActivityMonthSerializer(many=True)
    attendance_available = serializers.BooleanField()
