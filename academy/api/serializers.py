"""Serializers of the Accademia's API (``academy.api.views``, tags ``courses`` and ``badges``).

Output serializers read the plain dicts the views build (no rule is decided here: what the user
may see and do comes from ``cms.access`` through the views); every key is always present
(``null`` when it does not apply). Input serializers only parse and type-check: what is allowed
and what is valid is decided by ``academy.services``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cms.api_views import MAX_ID

from ..models import CourseEdition, Enrolment
from ..models.pages import Area, CourseState, Delivery, Level

# Choice sets, named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
AREAS = Area.choices
LEVELS = Level.choices
DELIVERIES = Delivery.choices
COURSE_STATES = CourseState.choices
EDITION_STATES = CourseEdition.State.choices
ENROLMENT_STATUSES = Enrolment.Status.choices
BADGE_STATES = [("valid", _("Valid")), ("revoked", _("Revoked"))]
VERIFICATION_STATES = [
    ("valid", _("Valid")),
    ("revoked", _("Revoked")),
    ("invalid", _("Invalid")),
]


def _hours():
    return serializers.DecimalField(
        max_digits=6, decimal_places=1, coerce_to_string=False, read_only=True
    )


class TargetSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


class EditionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)


# --- Courses -----------------------------------------------------------------------------------


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, allow_null=True, help_text=_("The course's page"))
    locale = serializers.CharField(read_only=True)
    area = serializers.ChoiceField(choices=AREAS, read_only=True)
    area_label = serializers.CharField(read_only=True)
    level = serializers.ChoiceField(choices=LEVELS, read_only=True)
    level_label = serializers.CharField(read_only=True)
    delivery = serializers.ChoiceField(choices=DELIVERIES, read_only=True)
    delivery_label = serializers.CharField(read_only=True)
    hours = _hours()
    targets = TargetSerializer(many=True, read_only=True)
    state = serializers.ChoiceField(
        choices=COURSE_STATES,
        read_only=True,
        help_text=_("Open while an edition takes enrolments, upcoming while one will."),
    )
    state_label = serializers.CharField(read_only=True)


class CoursePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    results = CourseSerializer(many=True, read_only=True)


class MyEnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ENROLMENT_STATUSES, read_only=True)
    status_label = serializers.CharField(read_only=True)
    enrolled_at = serializers.DateTimeField(read_only=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)


class EditionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    enrolment_opens_on = serializers.DateField(read_only=True, allow_null=True)
    enrolment_closes_on = serializers.DateField(read_only=True)
    capacity = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Null: unlimited places")
    )
    places_left = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Null: unlimited places")
    )
    waiting_list = serializers.BooleanField(
        read_only=True, help_text=_("Whether members join a waiting list when it is full")
    )
    waiting = serializers.IntegerField(read_only=True, help_text=_("Members on the waiting list"))
    state = serializers.ChoiceField(choices=EDITION_STATES, read_only=True)
    state_label = serializers.CharField(read_only=True)
    my_enrolment = MyEnrolmentSerializer(
        read_only=True, allow_null=True, help_text=_("Null when not signed in or not enrolled")
    )


class CourseDetailSerializer(CourseSerializer):
    description = serializers.CharField(read_only=True, help_text=_("HTML"))
    questions = serializers.ListField(child=serializers.CharField(), read_only=True)
    competences = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The criteria of the course's Open Badge"),
    )
    prerequisites = serializers.CharField(read_only=True)
    prerequisite_courses = CourseRefSerializer(many=True, read_only=True)
    platform_url = serializers.CharField(read_only=True)
    coming_soon = serializers.BooleanField(read_only=True)
    editions = EditionSerializer(many=True, read_only=True)
    may_enrol = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Whether I may enrol (a registered member); each edition's state says whether it "
            "takes enrolments"
        ),
    )


# --- Enrolments and the learning record ----------------------------------------------------------


class EnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    course = CourseRefSerializer(read_only=True)
    edition = EditionRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ENROLMENT_STATUSES, read_only=True)
    status_label = serializers.CharField(read_only=True)
    enrolled_at = serializers.DateTimeField(read_only=True)
    waiting_position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Place in the waiting list (1: next)")
    )
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    hours = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=_("Hours credited (on completion)"),
    )
    badge = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("The badge's public id (on completion)")
    )


class LearningRecordSerializer(serializers.Serializer):
    enrolments = EnrolmentSerializer(many=True, read_only=True)
    completed = serializers.IntegerField(read_only=True, help_text=_("Courses completed"))
    total_hours = _hours()


# --- Badges ------------------------------------------------------------------------------------


class BadgeSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    course = CourseRefSerializer(read_only=True, allow_null=True)
    course_code = serializers.CharField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)
    state = serializers.ChoiceField(choices=BADGE_STATES, read_only=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    holder = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("The holder's name, only if they chose to show it (always to themself)"),
    )
    url = serializers.URLField(read_only=True, help_text=_("The public verification page"))


class MyBadgeSerializer(BadgeSerializer):
    show_name = serializers.BooleanField(read_only=True)
    revocation_reason = serializers.CharField(read_only=True)
    credential = serializers.JSONField(
        read_only=True, help_text=_("The signed Open Badges 3.0 credential, as issued")
    )


class PublicBadgeSerializer(BadgeSerializer):
    credential = serializers.JSONField(
        read_only=True, allow_null=True, help_text=_("Only for the badge's holder")
    )


class StaffBadgeSerializer(BadgeSerializer):
    member = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("User id"))
    member_name = serializers.CharField(read_only=True)
    revocation_reason = serializers.CharField(read_only=True)
    revoked_by = serializers.CharField(read_only=True, allow_null=True)


class StaffBadgePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    results = StaffBadgeSerializer(many=True, read_only=True)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_("Why the badge is revoked (required)"),
    )


class VerificationSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=VERIFICATION_STATES, read_only=True)
    message = serializers.CharField(read_only=True)
    badge = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("The badge's public id, when recognised")
    )


# --- Filters -----------------------------------------------------------------------------------


class CourseFilterSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS, required=False)
    area = serializers.ChoiceField(choices=AREAS, required=False)
    delivery = serializers.ChoiceField(choices=DELIVERIES, required=False)
    state = serializers.ChoiceField(choices=COURSE_STATES, required=False)
    target = serializers.SlugField(required=False, max_length=80)


class BadgeFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=BADGE_STATES, required=False)
    course = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    code = serializers.RegexField(r"^[A-Za-z0-9-]{1,24}\Z", required=False)
    member = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
