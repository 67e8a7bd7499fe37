"""The Accademia in the Wagtail admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

# --- Completion imports, completions by hand and reports for staff (academy.admin_views) --------
# Self-contained (imports inside the functions), so that it sits at the end of this file whatever
# comes before it.

#: The hook of the "Academy" admin menu's items (``AcademyAdminGroup.submenu_hook``).
ACADEMY_MENU_HOOK = "register_academy_menu_item"

#: The staff pages in the "Academy" menu: (URL name, label, icon, order).
ACADEMY_STAFF_PAGES = (
    ("import", _("Import completions"), "upload", 500),
    ("imports", _("Completion imports"), "history", 510),
    ("complete", _("Record a completion"), "tick-inverse", 520),
    ("report", _("Academy reports"), "table", 530),
)


@hooks.register("register_admin_urls")
def register_academy_staff_urls():
    from django.urls import include, path

    from .admin_views import urls

    return [path("academy/", include((urls(), "academy_admin"), namespace="academy_admin"))]


def academy_staff_menu_item(url_name, label, icon, order):
    """A menu item shown only to the Academy's staff (``manage_academy``)."""
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from .admin_views import can_manage

    class AcademyStaffMenuItem(MenuItem):
        def is_shown(self, request):
            return can_manage(request.user)

    return AcademyStaffMenuItem(
        label,
        reverse(f"academy_admin:{url_name}"),
        name=f"academy-{url_name}",
        icon_name=icon,
        order=order,
    )


for _page in ACADEMY_STAFF_PAGES:
    hooks.register(ACADEMY_MENU_HOOK, lambda page=_page: academy_staff_menu_item(*page))


def academy_admin_menu():
    """The "Academy" menu with only these items (its items come from ``ACADEMY_MENU_HOOK``)."""
    from wagtail.admin.menu import Menu, SubmenuMenuItem

    return SubmenuMenuItem(
        _("Academy"),
        Menu(register_hook_name=ACADEMY_MENU_HOOK),
        name="academy",
        icon_name="pick",
        order=260,
    )


# One "Academy" menu: when this file also defines the menu of the editions (``AcademyAdminGroup``,
# a ``ViewSetGroup``), these items join it through its ``submenu_hook``; otherwise they make their
# own "Academy" menu.
if "AcademyAdminGroup" in globals():
    AcademyAdminGroup.submenu_hook = ACADEMY_MENU_HOOK  # noqa: F821
else:
    hooks.register("register_admin_menu_item", academy_admin_menu)
