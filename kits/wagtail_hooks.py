"""What the kits add to the core's pages (hooks defined in ``cms/models.py``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .models import KitPage


@hooks.register("portal_home_context")
def newest_kits(request, home_page, visible):
    return {"newest_kits": list(visible(KitPage).order_by("-first_published_at")[:3])}


@hooks.register("portal_resource_types")
def kit_resources():
    return [(10, "kit", _("Document kits"), KitPage)]
