"""What the webinars add to the core's pages (hooks defined in ``cms/models.py``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .models import WebinarPage


@hooks.register("portal_home_context")
def upcoming_webinars(request, home_page, visible):
    upcoming = visible(WebinarPage).filter(end__gte=timezone.now()).order_by("start")[:3]
    return {"upcoming_webinars": list(upcoming)}


@hooks.register("portal_resource_types")
def webinar_resources():
    return [(20, "webinar", _("Webinars"), WebinarPage)]
