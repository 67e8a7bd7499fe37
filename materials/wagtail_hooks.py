"""What the materials add to Wagtail and to the core's pages:

- Risorse lists the communities' published outputs as a type of resource ("Community outputs",
  hook ``portal_resource_types`` of ``cms.models.ResourcesPage``), before the news;
- the admin's read-only listing of the validation rounds for staff (status, document,
  community, deadline, answers), under "Materials" with the licences staff give the outputs.

The workflow's two tasks (``models.workflow``) are Wagtail tasks: they are listed in Workflows >
Tasks and show on the dashboard of the community's managers ("Awaiting your review") by
themselves; their actions go through ``materials.services``.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.admin_policies import StaffPolicy

from .models import Licence, MaterialPage, ValidationRound


@hooks.register("portal_resource_types")
def material_resources():
    return [(25, "materials", _("Community outputs"), MaterialPage)]


# Staff (and whoever has the model's view permission) read the rounds; nobody changes them here:
# a round changes only through ``materials.services`` (the site, the API, the workflow's actions).
register_permission_policy(
    ValidationRound, StaffPolicy(ValidationRound, {"view"}, model_permissions=True)
)


class ValidationRoundViewSet(ModelViewSet):
    model = ValidationRound
    name = "materials_validationround"
    url_prefix = "materials/validation-rounds"
    icon = "tasks"
    menu_label = _("Validation rounds")
    list_display = [
        Column("document", label=_("Document"), accessor="document.title"),
        Column("version", label=_("Version"), accessor="version.label"),
        Column("community", label=_("Community"), accessor="document.community.title"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "deadline",
        Column("answer_count", label=_("Answers")),
        "published_at",
    ]
    list_filter = ["status", "majority"]
    search_fields = ["document__title", "instructions"]
    search_backend_name = None
    ordering = ["-opened_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["instructions"]  # required by ModelViewSet; the policy refuses every change
    inspect_view_fields = [
        "document",
        "version",
        "status",
        "opened_at",
        "opened_by",
        "deadline",
        "quorum_percent",
        "majority",
        "eligible_count",
        "instructions",
        "closed_at",
        "closed_by",
        "outcome",
        "page",
        "published_at",
    ]

    def get_queryset(self, request):
        return ValidationRound.objects.select_related(
            "document__community", "version", "opened_by", "closed_by", "page"
        ).annotate(answer_count=Count("answers"))


class LicenceViewSet(SnippetViewSet):
    model = Licence
    icon = "doc-full"
    menu_label = _("Licences")
    #: Its menu item is in "Materials": not listed again under "Snippets".
    menu_item_is_registered = True
    list_display = ["name", "code", "url", "is_default"]
    search_fields = ["name", "code"]
    search_backend_name = None


class MaterialsAdminGroup(ViewSetGroup):
    menu_label = _("Materials")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (ValidationRoundViewSet, LicenceViewSet)


@hooks.register("register_admin_viewset")
def register_materials_admin():
    return MaterialsAdminGroup()
