"""Wagtail admin for staff: memberships (assign coordinators and the support team, remove or
suspend a member), designations (request a copy, verify, revoke), the members' requests to the
managers and working group memberships, with filters and CSV/XLSX export. Role and measure
changes go through ``communities.services`` (the same rules and audit trail as the site's
pages); the community groups follow the saves. Also registers the communities' audit actions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms import access
from cms.spreadsheets import SafeExportIndexView

from . import services
from .models import (
    CommunityPage,
    Designation,
    MemberRequest,
    Membership,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from .permissions import Action

#: The communities' actions in the audit trail (``cms.audit``): code, label, message.
AUDIT_ACTIONS = (
    ("communities.join", _("Join a community"), _("Joined the community")),
    ("communities.leave", _("Leave a community"), _("Left the community")),
    ("communities.switch_role", _("Switch role in a community"), _("Switched role")),
    (
        "communities.designation_declared",
        _("Declare a designation"),
        _("Declared an appointment as designated participant"),
    ),
    (
        "communities.designation_copy_requested",
        _("Request a copy of an appointment act"),
        _("Requested a copy of the appointment act"),
    ),
    ("communities.designation_verified", _("Verify a designation"), _("Verified the designation")),
    ("communities.designation_revoked", _("Revoke a designation"), _("Revoked the designation")),
    (
        "communities.designation_reopened",
        _("Re-open a revoked designation"),
        _("Re-opened the revoked designation"),
    ),
    ("communities.remove", _("Remove a member"), _("Removed the member from the community")),
    ("communities.suspend", _("Suspend a member"), _("Suspended the member")),
    (
        "communities.suspension_lifted",
        _("End a suspension"),
        _("Ended the suspension before its date"),
    ),
    ("communities.readmit", _("Readmit a removed member"), _("Readmitted the removed member")),
    ("communities.request", _("Ask the managers"), _("Asked the managers to reconsider a measure")),
    (
        "communities.request_accepted",
        _("Accept a member's request"),
        _("Accepted the member's request"),
    ),
    (
        "communities.request_refused",
        _("Refuse a member's request"),
        _("Refused the member's request"),
    ),
    ("communities.role_assigned", _("Assign a community role"), _("Assigned a community role")),
    (
        "communities.wg_invite",
        _("Invite to a working group"),
        _("Invited the member to the working group"),
    ),
    ("communities.wg_request", _("Ask to join a working group"), _("Asked to join the group")),
    (
        "communities.wg_request_accepted",
        _("Accept a working group request"),
        _("Accepted the request to join the group"),
    ),
    (
        "communities.wg_request_refused",
        _("Decline a working group request"),
        _("Declined the request to join the group"),
    ),
    (
        "communities.wg_invitation_accepted",
        _("Accept a working group invitation"),
        _("Accepted the invitation to the group"),
    ),
    (
        "communities.wg_invitation_declined",
        _("Decline a working group invitation"),
        _("Declined the invitation to the group"),
    ),
    (
        "communities.wg_coordinator_named",
        _("Name a working group coordinator"),
        _("Named the coordinator of the group"),
    ),
    ("communities.wg_leave", _("Leave a working group"), _("Left the working group")),
    (
        "communities.members_exported",
        _("Export a community's members"),
        _("Exported the members list (CSV)"),
    ),
    ("communities.plan_updated", _("Edit a community's plan"), _("Edited the plan")),
    (
        "communities.support_applied",
        _("Apply to the support team"),
        _("Applied to the support team"),
    ),
    (
        "communities.support_accepted",
        _("Accept an application to the support team"),
        _("Accepted the application to the support team"),
    ),
    (
        "communities.support_refused",
        _("Refuse an application to the support team"),
        _("Refused the application to the support team"),
    ),
    (
        "communities.support_withdrawn",
        _("Withdraw an application to the support team"),
        _("Withdrew the application to the support team"),
    ),
)


@hooks.register("register_log_actions")
def register_communities_log_actions(actions):
    for code, label, message in AUDIT_ACTIONS:
        actions.register_action(code, label, message)


class MembershipForm(WagtailAdminModelForm):
    """The membership form of the admin: a removal is asked with a checkbox and a reason; the
    suspension's fields appear only once the membership exists."""

    remove_member = forms.BooleanField(
        label=_("Remove from the community"),
        required=False,
        help_text=_(
            "Ends the membership now (and the member's working groups). They may join again "
            "only once readmitted."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk or not self.instance.is_active:
            for name in ("remove_member", "removal_reason", "suspended_until", "suspension_reason"):
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_member") and not (cleaned.get("removal_reason") or "").strip():
            self.add_error("removal_reason", _("Write the reason: the member will read it."))
        return cleaned


def _form_error(form, error):
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if field == "until":
                target = "suspended_until"
            elif field == "reason":
                target = "removal_reason" if "removal_reason" in form.fields else None
            form.add_error(target, messages)
    else:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        form.add_error(None, messages)


class ServiceErrorsMixin:
    """A refusal of ``communities.services`` is shown on the form; nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
            return self.form_invalid(form)


class MembershipEditView(ServiceErrorsMixin, EditView):
    """Role, removal and suspension changes go through ``communities.services``."""

    MEASURE_FIELDS = ("role", "support_kind", "removal_reason", "suspended_until")

    def save_instance(self):
        instance = self.form.instance
        data = self.form.cleaned_data
        old = Membership.objects.select_related("community", "user").get(pk=instance.pk)
        wanted = {name: getattr(instance, name) for name in self.MEASURE_FIELDS}
        wanted["suspension_reason"] = instance.suspension_reason
        for name in (*self.MEASURE_FIELDS, "suspension_reason"):
            setattr(instance, name, getattr(old, name))
        super().save_instance()  # the other fields (Wagtail logs the edit)
        actor = self.request.user
        membership = Membership.objects.select_related("community", "user").get(pk=instance.pk)
        if (wanted["role"], wanted["support_kind"]) != (old.role, old.support_kind):
            services.assign_role(actor, membership, wanted["role"], wanted["support_kind"])
        if "suspended_until" in self.form.fields:
            until = wanted["suspended_until"]
            if until != old.suspended_until or (
                until and wanted["suspension_reason"] != old.suspension_reason
            ):
                if until is not None and until > timezone.now():
                    services.suspend_member(actor, membership, until, wanted["suspension_reason"])
                elif old.is_suspended:
                    services.lift_suspension(actor, membership)
        if data.get("remove_member"):
            services.remove_member(actor, membership, wanted["removal_reason"])
        return Membership.objects.get(pk=instance.pk)


class MembershipCreateView(ServiceErrorsMixin, CreateView):
    """Staff add a member (usually to appoint a coordinator or the support team): a person
    removed earlier is readmitted by it, and both are recorded."""

    def save_instance(self):
        instance = super().save_instance()
        actor = self.request.user
        removed = Membership.objects.filter(
            user=instance.user,
            community__translation_key=instance.community.translation_key,
            end_reason=Membership.EndReason.REMOVED,
            readmitted_at__isnull=True,
        ).exclude(pk=instance.pk)
        if removed.exists():
            services.readmit(actor, instance)
        return services.added_by_staff(actor, instance)


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "community_memberships"
    index_view_class = SafeExportIndexView  # exports escape formulas (cms/spreadsheets.py)
    icon = "group"
    menu_label = _("Memberships")
    url_prefix = "communities/memberships"
    edit_view_class = MembershipEditView
    add_view_class = MembershipCreateView
    list_display = [
        "user",
        "community",
        "role",
        "support_kind",
        "joined_at",
        "left_at",
        "end_reason",
        "suspended_until",
    ]
    list_filter = ["community", "role", "support_kind", "left_at", "end_reason", "suspended_until"]
    list_export = [
        "user",
        "user.fiscal_number",
        "user.ente",
        "community",
        "role",
        "support_kind",
        "joined_at",
        "left_at",
        "end_reason",
        "removed_by",
        "readmitted_at",
        "suspended_at",
        "suspended_until",
        "suspended_by",
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
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("community"),
            MultiFieldPanel(
                [FieldPanel("role"), FieldPanel("support_kind")],
                heading=_("Role"),
                help_text=_(
                    "Staff appoint the coordinator and the support team here; the member's "
                    "access to the reserved area and working groups follows automatically."
                ),
            ),
            FieldPanel("joined_at"),
            MultiFieldPanel(
                [FieldPanel("suspended_until"), FieldPanel("suspension_reason")],
                heading=_("Suspension"),
                help_text=_(
                    "Until this time the member cannot read the reserved area nor take part; it "
                    "ends by itself. Empty it to end the suspension now."
                ),
            ),
            MultiFieldPanel(
                [FieldPanel("remove_member"), FieldPanel("removal_reason")],
                heading=_("Removal"),
            ),
        ],
        base_form_class=MembershipForm,
    )
    inspect_view_fields = [
        "user",
        "community",
        "role",
        "support_kind",
        "joined_at",
        "role_changed_at",
        "left_at",
        "end_reason",
        "removed_by",
        "removal_reason",
        "readmitted_at",
        "readmitted_by",
        "suspended_at",
        "suspended_until",
        "suspended_by",
        "suspension_reason",
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "user__ente", "community")


class DesignationEditView(ServiceErrorsMixin, EditView):
    """Changing the status records who did it and when (request copy, verify, revoke). A
    revoked designation stays revoked: the managers re-open it from their pages on the site."""

    def save_instance(self):
        instance = self.form.instance
        new_status = instance.status
        reason = instance.revocation_reason
        old = Designation.objects.values_list("status", "revocation_reason").get(pk=instance.pk)
        instance.status, instance.revocation_reason = old
        if new_status != old[0]:
            if old[0] == Designation.Status.REVOKED:
                raise ValidationError(
                    _(
                        "A revoked designation cannot be changed here: re-open it from the "
                        "community's management pages, then the member declares it again."
                    )
                )
            if new_status == Designation.Status.REVOKED:
                services.revoke_designation(self.request.user, instance, reason)
                return instance
            action = {
                Designation.Status.COPY_REQUESTED: services.request_designation_copy,
                Designation.Status.VERIFIED: services.verify_designation,
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
        "reopened_at",
    ]
    export_filename = "designations"
    search_fields = ["membership__user__last_name", "membership__user__fiscal_number"]
    search_backend_name = None
    ordering = ["-declared_at"]
    panels = [FieldPanel("status"), FieldPanel("revocation_reason")]
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
        "revocation_reason",
        "reopened_at",
        "reopened_by",
    ]

    def get_queryset(self, request):
        return Designation.objects.select_related(
            "membership__user", "membership__user__ente", "membership__community"
        )


class MemberRequestViewSet(ModelViewSet):
    """The members' requests to the managers, read-only here: the managers decide them on the
    site's management pages (the same pages staff use), so that the decision and its effect
    (readmission, end of a suspension, re-opened designation) go together."""

    model = MemberRequest
    name = "community_member_requests"
    icon = "help"
    menu_label = _("Requests to the managers")
    url_prefix = "communities/requests"
    add_view_enabled = False
    edit_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["membership", "kind", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["kind", "status", "membership__community"]
    index_view_class = SafeExportIndexView  # exports escape formulas (cms/spreadsheets.py)
    list_export = [
        "membership.user",
        "membership.community",
        "kind",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    export_filename = "member_requests"
    ordering = ["-created_at"]
    form_fields = ["status"]
    inspect_view_fields = [
        "membership",
        "kind",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "decision_note",
    ]

    def get_queryset(self, request):
        return MemberRequest.objects.select_related(
            "membership__user", "membership__community", "decided_by"
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
    items = (
        MembershipViewSet,
        DesignationViewSet,
        MemberRequestViewSet,
        WorkingGroupMembershipViewSet,
    )


@hooks.register("register_admin_viewset")
def register_communities_viewsets():
    return CommunitiesViewSetGroup()


@hooks.register("construct_page_chooser_queryset")
def hide_reserved_spaces_from_page_chooser(pages, request):
    """The page chooser lists every page of the tree; leave out the reserved spaces the user may
    neither read nor edit (their grants stop there: cms/admin_permissions.py)."""
    from django.db.models import Q
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    from cms import access

    refused = access.refused_page_spaces(request.user)
    if not refused:
        return pages
    hidden = Q()
    for path in refused:
        hidden |= Q(path__startswith=path)
    explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
    return pages.exclude(hidden & ~Q(pk__in=explorable.values("pk")))


@hooks.register("portal_home_context")
def communities_on_the_home_page(request, home_page, visible):
    """The communities of practice listed on the home page (hook defined in ``cms/models.py``)."""
    return {"communities": list(visible(CommunityPage).order_by("path")[:6])}


@hooks.register("portal_page_refusal")
def explain_refused_community_page(request, page):
    """Why a signed-in user may not read a page of a community's reserved area or of a working
    group, and the way in (hook defined in ``cms/wagtail_hooks.py``)."""
    community = CommunityPage.objects.ancestor_of(page, inclusive=True).live().first()
    in_group = WorkingGroupPage.objects.ancestor_of(page, inclusive=True).exists()
    if in_group:
        message = _("This space is reserved to the members of its working group.")
    elif community is not None:
        message = _("This area is reserved to the members of the community %(community)s.") % {
            "community": community.title
        }
    else:
        return None
    links = []
    if community is not None and access.can(request.user, Action.JOIN, community):
        links.append(
            {
                "url": reverse("participation:join", args=[community.pk]),
                "label": _("Join the community"),
            }
        )
    return {"message": message, "links": links, "community": community}


@hooks.register("construct_reports_menu")
def hide_site_wide_reports_from_community_editors(request, menu_items):
    """A community's coordinator and support team work in the admin on their own community
    (``communities.spaces``): the report of page types across the whole site is not theirs."""
    if request.user.is_superuser or access.is_staff(request.user):
        return
    menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
