"""Serializers of the community API (``communities.api.views`` and ``.me``).

Output serializers read attributes the views attach to each object (``api_role``,
``api_permissions``...), computed through ``cms.access``: no rule is decided here.
Input serializers only parse and type-check; what is allowed, and what a designation needs, is
decided by ``communities.services`` (and the models' own validation).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from cms import api_endpoints

from ..models import Designation, Membership, WorkingGroupMembership

#: The largest id a database holds (a 64-bit integer). SQLite cannot even look a larger one up
#: (PostgreSQL finds nothing): larger ids in a path are not found, in a body are bad input.
MAX_ID = 2**63 - 1

# Choice sets, named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
COMMUNITY_ROLES = Membership.Role.choices
MEMBER_ROLES = [
    (Membership.Role.PARTICIPANT.value, Membership.Role.PARTICIPANT.label),
    (Membership.Role.DESIGNATED.value, Membership.Role.DESIGNATED.label),
]
GROUP_ROLES = WorkingGroupMembership.Role.choices
GROUP_STATUSES = WorkingGroupMembership.Status.choices


class RichTextField(serializers.CharField):
    """Rich text as HTML, with internal links and embeds expanded."""

    def to_representation(self, value):
        return expand_db_html(value or "")


class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class WorkingGroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    community = CommunityRefSerializer(source="api_community", read_only=True, allow_null=True)


class CommunityPermissionsSerializer(serializers.Serializer):
    """What the requesting user may do, as answered by the access policy."""

    join = serializers.BooleanField(read_only=True)
    leave = serializers.BooleanField(read_only=True)
    switch_role = serializers.BooleanField(read_only=True)
    view_reserved_area = serializers.BooleanField(read_only=True)
    open_topic = serializers.BooleanField(read_only=True)
    create_working_group = serializers.BooleanField(read_only=True)
    appeal = serializers.BooleanField(
        read_only=True,
        help_text=_("Whether you may ask the managers to reconsider a measure on you."),
    )


class MeasureSerializer(serializers.Serializer):
    """A measure of the community's managers in force on the requesting user."""

    kind = serializers.CharField(
        read_only=True, help_text=_("removed, suspended or revoked (designation).")
    )
    since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("When the member was removed or the designation revoked."),
    )
    until = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("The end of a suspension.")
    )


class CommunitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    locale = serializers.CharField(source="locale.language_code", read_only=True)
    url = serializers.CharField(source="api_url", read_only=True, allow_null=True)
    summary = serializers.CharField(read_only=True)
    theme = serializers.CharField(read_only=True)
    mission = RichTextField(read_only=True)
    objectives = RichTextField(read_only=True)
    member_count = serializers.IntegerField(source="api_member_count", read_only=True)
    my_role = serializers.ChoiceField(
        source="api_role", choices=COMMUNITY_ROLES, read_only=True, allow_null=True
    )
    permissions = CommunityPermissionsSerializer(source="api_permissions", read_only=True)
    my_measure = MeasureSerializer(
        source="api_measure",
        read_only=True,
        allow_null=True,
        help_text=_("A measure of the managers in force on you in this community, if any."),
    )


class DesignationSerializer(serializers.ModelSerializer):
    has_act = serializers.SerializerMethodField()

    class Meta:
        model = Designation
        fields = ["signed_by", "act_date", "status", "declared_at", "has_act"]
        read_only_fields = fields

    def get_has_act(self, obj) -> bool:
        return bool(obj.act_file)


class WorkingGroupMembershipSerializer(serializers.ModelSerializer):
    group = WorkingGroupRefSerializer(read_only=True)
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroupMembership
        fields = ["id", "group", "role", "status", "invited_by", "created_at", "responded_at"]
        read_only_fields = fields

    def get_invited_by(self, obj) -> str | None:
        return obj.invited_by.get_full_name() if obj.invited_by_id else None


class MembershipSerializer(serializers.ModelSerializer):
    community = CommunityRefSerializer(read_only=True)
    # Declared for the schema: blank ("") for everyone but the support team.
    support_kind = serializers.ChoiceField(
        choices=Membership.SupportKind.choices,
        allow_blank=True,
        read_only=True,
        label=capfirst(Membership._meta.get_field("support_kind").verbose_name),
    )
    designation = DesignationSerializer(source="api_designation", read_only=True, allow_null=True)
    working_groups = WorkingGroupMembershipSerializer(
        source="api_working_groups", many=True, read_only=True
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "community",
            "role",
            "support_kind",
            "joined_at",
            "role_changed_at",
            "designation",
            "working_groups",
        ]
        read_only_fields = fields


class WorkingGroupPermissionsSerializer(serializers.Serializer):
    view = serializers.BooleanField(read_only=True)
    join = serializers.BooleanField(read_only=True)
    invite = serializers.BooleanField(read_only=True)
    manage = serializers.BooleanField(read_only=True)


class WorkingGroupMemberSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    ente = serializers.CharField(read_only=True, allow_null=True)
    ente_verified = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "False while the authority, proposed by a member, awaits the staff's approval."
        ),
    )
    ente_label = serializers.CharField(read_only=True, allow_null=True)
    role = serializers.ChoiceField(choices=GROUP_ROLES, read_only=True)


class WorkingGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    community = CommunityRefSerializer(source="api_community", read_only=True)
    summary = serializers.CharField(read_only=True)
    goal = RichTextField(read_only=True)
    deliverable = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    my_role = serializers.ChoiceField(
        source="api_role",
        choices=GROUP_ROLES,
        read_only=True,
        allow_null=True,
    )
    my_status = serializers.ChoiceField(
        source="api_status",
        choices=GROUP_STATUSES,
        read_only=True,
        allow_null=True,
    )
    permissions = WorkingGroupPermissionsSerializer(source="api_permissions", read_only=True)


class WorkingGroupDetailSerializer(WorkingGroupSerializer):
    url = serializers.CharField(source="api_url", read_only=True, allow_null=True)
    members = WorkingGroupMemberSerializer(
        source="api_members",
        many=True,
        read_only=True,
        help_text=_(
            "Active members who chose to be listed; only for those who may see the group's space."
        ),
    )


# --- Input --------------------------------------------------------------------------------------


class JoinSerializer(serializers.Serializer):
    """Join as participant, or as designated participant declaring the appointment."""

    role = serializers.ChoiceField(choices=MEMBER_ROLES, default=Membership.Role.PARTICIPANT)
    signed_by = serializers.ChoiceField(
        choices=Designation.SignedBy.choices,
        required=False,
        allow_blank=True,
        help_text=_("Who signed the appointment (designated participants)."),
    )
    act_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Date of the appointment act (designated participants)."),
    )
    act_file = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=False,
        help_text=_("Optional copy of the act: PDF only, size-limited (multipart request)."),
    )


class SwitchRoleSerializer(JoinSerializer):
    role = serializers.ChoiceField(choices=MEMBER_ROLES)


class InviteSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        help_text=_("The designated participant to invite (user id)."),
    )


class AskManagersSerializer(serializers.Serializer):
    """A member under a measure asks the managers to reconsider it."""

    message = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Optional message to the managers (at most 2000 characters)."),
    )


class MemberRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    community = CommunityRefSerializer(source="membership.community", read_only=True)
    kind = serializers.CharField(
        read_only=True, help_text=_("readmission, lift_suspension or redesignation.")
    )
    status = serializers.CharField(read_only=True, help_text=_("pending, accepted or refused."))
    message = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)


ErrorSerializer = api_endpoints.ErrorSerializer
