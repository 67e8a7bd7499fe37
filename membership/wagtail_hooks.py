"""Wagtail admin: the registry of authorities (approve or reject proposals) and a listing of the
members' profiles."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Ente, User


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
        "status",
        "proposed_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "region"]
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
            [FieldPanel("region"), FieldPanel("province"), FieldPanel("province_code")],
            heading=_("Territory"),
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


from wagtail import hooks  # noqa: E402


@hooks.register("register_admin_viewset")
def register_member_viewset():
    return member_viewset
