"""Wagtail admin: the registry of authorities (approve or reject proposals) and a listing of the
members' profiles."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.spreadsheets import SafeExportIndexView

from .models import Consent, Ente, User


class EnteViewSet(SnippetViewSet):
    model = Ente
    icon = "site"
    menu_label = _("Authorities")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "name",
        "kind",
        "province_code",
        "region",
        "population",
        "status",
        "proposed_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "region", "population_class"]
    list_per_page = 50
    search_fields = ["name", "istat_code", "ipa_code"]
    search_backend_name = None  # plain database lookups, no search index to keep in sync
    ordering = ["status", "name"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("name"),
                FieldPanel("ipa_code"),
                FieldPanel("istat_code"),
            ],
            heading=_("Authority"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("province"),
                FieldPanel("province_code"),
                FieldPanel("unions"),
            ],
            heading=_("Territory"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("population"),
                FieldPanel("population_source"),
                FieldPanel("population_date"),
                FieldPanel("population_class", read_only=True),
            ],
            heading=_("Population"),
            help_text=_(
                "Loaded from ISTAT data with manage.py load_comuni; cite the source and the "
                "reference date of any figure entered here."
            ),
        ),
        FieldPanel("proposed_by", read_only=True),
    ]

    def get_queryset(self, request):
        return Ente.objects.select_related("proposed_by")


register_snippet(EnteViewSet)


class MemberViewSet(ModelViewSet):
    """Members' profiles (SPID/CIE users); staff accounts stay in Wagtail's own user admin."""

    model = User
    name = "members"
    url_prefix = "members"
    index_view_class = SafeExportIndexView  # exports escape formulas (cms/spreadsheets.py)
    icon = "group"
    menu_label = _("Members")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["__str__", "ente", "position", "office", "onboarded_at", "last_login"]
    list_filter = ["position", "last_login_method", "show_in_directory"]
    search_fields = ["first_name", "last_name", "fiscal_number", "contact_email", "ente__name"]
    search_backend_name = None
    ordering = ["last_name", "first_name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "first_name",
        "last_name",
        "fiscal_number",
        "ente",
        "office",
        "position",
        "contact_email",
        "phone",
        "show_in_directory",
        "onboarded_at",
        "last_login_method",
        "last_login",
    ]
    form_fields = ["ente", "office", "position", "contact_email", "phone", "show_in_directory"]

    def get_queryset(self, request):
        return User.objects.filter(fiscal_number__isnull=False).select_related("ente")


member_viewset = MemberViewSet()


@hooks.register("register_admin_viewset")
def register_member_viewset():
    return member_viewset


class EnteStatusBulkAction(SnippetBulkAction):
    """Approve or reject the selected authorities from the listing (e.g. all pending ones)."""

    models = [Ente]
    template_name = "membership/admin/confirm_bulk_status.html"
    new_status = None

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = Ente.objects.filter(pk__in=[o.pk for o in objects]).update(status=cls.new_status)
        return count, 0

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        return context


@hooks.register("register_bulk_action")
class ApproveEntiBulkAction(EnteStatusBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected authorities")
    action_priority = 10
    new_status = Ente.Status.APPROVED

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d authority approved.", "%(count)d authorities approved.", num_parent_objects
        ) % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class RejectEntiBulkAction(EnteStatusBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected authorities")
    action_priority = 20
    new_status = Ente.Status.REJECTED

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d authority rejected.", "%(count)d authorities rejected.", num_parent_objects
        ) % {"count": num_parent_objects}


# --- Audit trail (cms/audit.py) ---------------------------------------------------------------


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    actions.register_action(
        "membership.token_create", _("Create an API token"), _("API token created")
    )
    actions.register_action(
        "membership.token_revoke", _("Revoke an API token"), _("API token revoked")
    )
    actions.register_action(
        "membership.data_export", _("Download own data"), _("Downloaded their own data")
    )
    actions.register_action(
        "membership.account_delete", _("Delete own account"), _("Deleted their account")
    )

    @actions.register_action("membership.consent_accept")
    class ConsentAccepted(LogFormatter):
        label = _("Accept a document")

        def format_message(self, log_entry):
            kind = log_entry.data.get("kind", "")
            document = Consent.Kind(kind).label if kind in Consent.Kind.values else kind
            return _("Accepted %(document)s, version %(version)s") % {
                "document": document,
                "version": log_entry.data.get("version", ""),
            }
