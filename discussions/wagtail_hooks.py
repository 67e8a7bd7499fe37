"""Wagtail admin: read-only audit listings of the moderation log and of the members' reports,
for staff (Wagtail's "view" permission on the models; superusers see them too). Nothing can be
added, edited or deleted here: moderation happens on the site (discussions.views.moderation),
where every action is checked by the access policy and logged.

Every moderation action is also an entry of the portal's audit trail (``cms.audit``; Reports →
Site history): its actions, "discussions.<moderation log action>", are registered here."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Flag, ModerationLog
from .services.moderation import audit_action


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    """One audit action per moderation log action (``services.moderation.audit_action``)."""
    for value, label in ModerationLog.Action.choices:
        actions.register_action(audit_action(value), label, label)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus every change: the audit trail stays as written."""

    READ_ONLY_REFUSED = frozenset({"add", "change", "delete", "publish", "lock", "unlock"})

    def user_has_permission(self, user, action):
        if action in self.READ_ONLY_REFUSED:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.READ_ONLY_REFUSED]
        if not actions:
            from django.contrib.auth import get_user_model

            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


register_permission_policy(ModerationLog, ReadOnlyPolicy(ModerationLog))
register_permission_policy(Flag, ReadOnlyPolicy(Flag))


class ModerationLogViewSet(ModelViewSet):
    model = ModerationLog
    name = "discussions_moderationlog"
    url_prefix = "discussions/moderation-log"
    icon = "history"
    menu_label = _("Moderation log")
    list_display = ["created_at", "community", "actor", "action", "topic", "reason"]
    list_filter = ["action", "community"]
    search_fields = ["reason", "topic__title"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["reason"]  # required by ModelViewSet; the policy refuses every change
    inspect_view_fields = [
        "created_at",
        "community",
        "actor",
        "action",
        "topic",
        "reply",
        "reason",
        "details",
    ]

    def get_queryset(self, request):
        return ModerationLog.objects.select_related("community", "actor", "topic")


class FlagViewSet(ModelViewSet):
    model = Flag
    name = "discussions_flag"
    url_prefix = "discussions/reports"
    icon = "warning"
    menu_label = _("Reports")
    list_display = [
        "created_at",
        "topic",
        "reply",
        "user",
        "reason",
        "note",
        "resolved_at",
        "resolved_by",
    ]
    list_filter = ["reason"]
    search_fields = ["note"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["note"]  # required by ModelViewSet; the policy refuses every change
    inspect_view_fields = [
        "created_at",
        "topic",
        "reply",
        "user",
        "reason",
        "note",
        "resolved_at",
        "resolved_by",
    ]

    def get_queryset(self, request):
        return Flag.objects.select_related("topic", "reply", "user", "resolved_by")


class DiscussionsAuditGroup(ViewSetGroup):
    menu_label = _("Discussions")
    menu_icon = "comment"
    menu_order = 245
    items = (ModerationLogViewSet, FlagViewSet)


@hooks.register("register_admin_viewset")
def register_discussions_audit():
    return DiscussionsAuditGroup()


@hooks.register("portal_digest_sections")
def discussions_digest_sections(users, since, until):
    """New topics and replies in followed topics, for the mailing list's digests."""
    from .digest import digest_sections

    return digest_sections(users, since, until)
