"""The events API's serializers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import RegistrableEvent

MAX_ID = 2**63 - 1


class EventErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.CharField(
        source="event_kind", read_only=True, help_text=_("events.eventpage or webinars.webinarpage")
    )
    url = serializers.SerializerMethodField()
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    mode = serializers.ChoiceField(choices=RegistrableEvent.Mode.choices, read_only=True)
    location = serializers.CharField(read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)
    registration_enabled = serializers.BooleanField(read_only=True)
    registration_open = serializers.BooleanField(source="registration_is_open", read_only=True)
    registration_closes_at = serializers.DateTimeField(source="closes_at", read_only=True)
    waiting_list = serializers.BooleanField(read_only=True)

    def get_url(self, page) -> str:
        return page.url or ""


class EventDetailSerializer(EventSerializer):
    registered = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    places_left = serializers.IntegerField(read_only=True, allow_null=True)
    my_status = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("registered, waiting, or null")
    )
    my_waiting_position = serializers.IntegerField(read_only=True, allow_null=True)
    may_register = serializers.BooleanField(read_only=True)
    may_manage = serializers.BooleanField(read_only=True)
    recording_url = serializers.SerializerMethodField()

    def get_recording_url(self, page) -> str:
        return page.recording_url if page.is_past else ""


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    event = serializers.IntegerField(source="page_id", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("registered, waiting, cancelled"))
    created_at = serializers.DateTimeField(read_only=True)
    promoted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)


class AttendeeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("The registration's id."))
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=_("registered, waiting, cancelled"))
    created_at = serializers.DateTimeField(read_only=True)
    attended = serializers.BooleanField(read_only=True, allow_null=True)

    def get_email(self, registration) -> str:
        user = registration.user
        return getattr(user, "contact_email", "") or user.email


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=True,
        max_length=5000,
        help_text=_("Ids of the registrations of the members who attended; the others did not."),
    )


class AttendanceResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(read_only=True)
