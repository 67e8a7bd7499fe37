"""The portal's participation figures in the Wagtail admin's menu, for staff (the page itself is
the site's ``/cdp/partecipazione/``, with the same policy: ``view_figures``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms import access

from .permissions import Action


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, Action.VIEW_FIGURES, None)


@hooks.register("register_admin_menu_item")
def register_figures_menu_item():
    return FiguresMenuItem(
        _("Participation figures"),
        reverse("reports:portal"),
        name="participation-figures",
        icon_name="table",
        order=9000,
    )
