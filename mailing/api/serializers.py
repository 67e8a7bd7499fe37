from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.api.serializers import MAX_ID

from ..models import AnnouncementPage, Subscription


class AnnouncementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    audience = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(source="first_published_at", read_only=True)
    url = serializers.CharField(source="api_url", read_only=True)
    community_id = serializers.IntegerField(source="api_community_id", read_only=True)
    working_group_id = serializers.IntegerField(
        source="api_working_group_id", read_only=True, allow_null=True
    )


class AnnouncementDetailSerializer(AnnouncementSerializer):
    body = serializers.CharField(read_only=True)


class AnnouncementCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("The community page's id")
    )
    working_group = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=_("A working group page's id: the announcement goes to that group"),
    )
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000, help_text=_("Plain text"))
    audience = serializers.ChoiceField(
        choices=AnnouncementPage.Audience.choices, default=AnnouncementPage.Audience.ALL
    )


class DeliveryFiguresSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    pending = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField(), read_only=True)


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    community_id = serializers.IntegerField(read_only=True)
    community = serializers.CharField(source="community.title", read_only=True)
    frequency = serializers.ChoiceField(choices=Subscription.Frequency.choices)


class FrequencySerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=Subscription.Frequency.choices)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    community_id = serializers.IntegerField(read_only=True, allow_null=True)
    subject = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)
