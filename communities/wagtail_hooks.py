"""Wagtail admin for staff: memberships (assign coordinators and the support team),
designations (request a copy, verify, revoke) and working group memberships, with filters and
CSV/XLSX export. Every change goes through the models' saves, so the community groups follow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.spreadsheets import SafeExportIndexView

from . import services
from .models import Designation, Membership, WorkingGroupMembership


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "community_memberships"
    index_view_class = SafeExportIndexView  # exports escape formulas (cms/spreadsheets.py)
    icon = "group"
    menu_label = _("Memberships")
    url_prefix = "communities/memberships"
    list_display = ["user", "community", "role", "support_kind", "joined_at", "left_at"]
    list_filter = ["community", "role", "support_kind", "left_at"]
    list_export = [
        "user",
        "user.fiscal_number",
        "user.ente",
        "community",
        "role",
        "support_kind",
        "joined_at",
        "left_at",
    ]
    export_headings = {
        "user.fiscal_number": _("Fiscal number"),
        "user.ente": _("Authority"),
    }
    export_filename = "memberships"
    search_fields = ["user__first_name", "user__last_name", "user__fiscal_number"]
    search_backend_name = None
    ordering = ["community", "role", "user__last_name"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [
        FieldPanel("user"),
        FieldPanel("community"),
        MultiFieldPanel(
            [FieldPanel("role"), FieldPanel("support_kind")],
            heading=_("Role"),
            help_text=_(
                "Staff appoint the coordinator and the support team here; the member's access "
                "to the reserved area and working groups follows automatically."
            ),
        ),
        FieldPanel("joined_at"),
        FieldPanel("left_at"),
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "user__ente", "community")


class DesignationEditView(EditView):
    """Changing the status records who did it and when (request copy, verify, revoke)."""

    def save_instance(self):
        instance = self.form.instance
        new_status = instance.status
        old_status = Designation.objects.values_list("status", flat=True).get(pk=instance.pk)
        instance.status = old_status
        if new_status != old_status:
            action = {
                Designation.Status.COPY_REQUESTED: services.request_designation_copy,
                Designation.Status.VERIFIED: services.verify_designation,
                Designation.Status.REVOKED: services.revoke_designation,
            }.get(new_status)
            if action is not None:
                action(self.request.user, instance)
            else:
                instance.status = new_status
                instance.save(update_fields=["status"])
        return instance


class DesignationViewSet(ModelViewSet):
    model = Designation
    name = "community_designations"
    index_view_class = SafeExportIndexView  # exports escape formulas (cms/spreadsheets.py)
    icon = "doc-full"
    menu_label = _("Designations")
    url_prefix = "communities/designations"
    edit_view_class = DesignationEditView
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["membership", "signed_by", "act_date", "status", "declared_at"]
    list_filter = ["status", "signed_by", "membership__community"]
    list_export = [
        "membership.user",
        "membership.user.ente",
        "membership.community",
        "signed_by",
        "act_date",
        "status",
        "declared_at",
        "copy_requested_at",
        "verified_at",
        "revoked_at",
    ]
    export_filename = "designations"
    search_fields = ["membership__user__last_name", "membership__user__fiscal_number"]
    search_backend_name = None
    ordering = ["-declared_at"]
    panels = [FieldPanel("status")]
    inspect_view_fields = [
        "membership",
        "signed_by",
        "act_date",
        "status",
        "declared_at",
        "copy_requested_at",
        "copy_requested_by",
        "verified_at",
        "verified_by",
        "revoked_at",
        "revoked_by",
    ]

    def get_queryset(self, request):
        return Designation.objects.select_related(
            "membership__user", "membership__user__ente", "membership__community"
        )


class WorkingGroupMembershipViewSet(ModelViewSet):
    model = WorkingGroupMembership
    name = "working_group_memberships"
    index_view_class = SafeExportIndexView  # exports escape formulas (cms/spreadsheets.py)
    icon = "group"
    menu_label = _("Working group members")
    url_prefix = "communities/working-group-members"
    list_display = ["user", "group", "role", "status", "invited_by", "created_at"]
    list_filter = ["group", "role", "status"]
    list_export = ["user", "user.ente", "group", "role", "status", "created_at", "left_at"]
    export_filename = "working_group_members"
    search_fields = ["user__first_name", "user__last_name", "user__fiscal_number"]
    search_backend_name = None
    ordering = ["group", "-role", "user__last_name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("user"),
        FieldPanel("group"),
        FieldPanel("role"),
        FieldPanel("status"),
        FieldPanel("invited_by"),
    ]

    def get_queryset(self, request):
        return WorkingGroupMembership.objects.select_related(
            "user", "user__ente", "group", "invited_by"
        )


class CommunitiesViewSetGroup(ViewSetGroup):
    menu_label = _("Communities")
    menu_icon = "group"
    menu_order = 240
    items = (MembershipViewSet, DesignationViewSet, WorkingGroupMembershipViewSet)


@hooks.register("register_admin_viewset")
def register_communities_viewsets():
    return CommunitiesViewSetGroup()
