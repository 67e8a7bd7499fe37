"""The mailing list in Wagtail's admin and in the communities' pages: the delivery figures of an
announcement from its page header, and the News of a reserved area (the
``portal_reserved_area_context`` hook of ``communities.CommunityAreaPage``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from cms import access

from .models import AnnouncementPage
from .permissions import Action


@hooks.register("register_page_header_buttons")
def delivery_figures_button(page, user, view_name, next_url=None):
    specific = getattr(page, "specific_deferred", page)
    if (
        isinstance(specific, AnnouncementPage)
        and page.pk
        and access.can(user, Action.ANNOUNCE, page)
    ):
        yield Button(
            _("Deliveries"),
            reverse("mailing:deliveries", args=[page.pk]),
            icon_name="mail",
            priority=80,
        )


@hooks.register("portal_reserved_area_context")
def area_news(request, area):
    """The area's News: its announcements and its working groups' that the user may see."""
    from .selectors import visible_announcements

    return {"announcements": visible_announcements(request.user, within=area)[:20]}
