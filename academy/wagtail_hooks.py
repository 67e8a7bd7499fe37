"""The Accademia in the Wagtail admin."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

# --- Completion imports and reports for staff (academy.admin_views) ----------------------------

#: The hook of the "Academy" admin menu's items (a ``ViewSetGroup`` of the Academy may use it as
#: its ``submenu_hook``).
ACADEMY_MENU_HOOK = "register_academy_menu_item"


class AcademyStaffMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import can_manage

        return can_manage(request.user)


@hooks.register("register_admin_urls")
def register_academy_staff_urls():
    from .admin_views import urls

    return [path("academy/", include((urls(), "academy_admin"), namespace="academy_admin"))]


@hooks.register(ACADEMY_MENU_HOOK)
def import_completions_menu_item():
    return AcademyStaffMenuItem(
        _("Import completions"),
        reverse("academy_admin:import"),
        name="academy-import",
        icon_name="upload",
        order=500,
    )


@hooks.register(ACADEMY_MENU_HOOK)
def completion_imports_menu_item():
    return AcademyStaffMenuItem(
        _("Completion imports"),
        reverse("academy_admin:imports"),
        name="academy-imports",
        icon_name="history",
        order=510,
    )


@hooks.register(ACADEMY_MENU_HOOK)
def record_completion_menu_item():
    return AcademyStaffMenuItem(
        _("Record a completion"),
        reverse("academy_admin:complete"),
        name="academy-complete",
        icon_name="tick-inverse",
        order=520,
    )


@hooks.register(ACADEMY_MENU_HOOK)
def academy_reports_menu_item():
    return AcademyStaffMenuItem(
        _("Academy reports"),
        reverse("academy_admin:report"),
        name="academy-reports",
        icon_name="table",
        order=530,
    )


@hooks.register("register_admin_menu_item")
def academy_admin_menu():
    """The "Academy" menu (its items come from ``ACADEMY_MENU_HOOK``)."""
    return SubmenuMenuItem(
        _("Academy"),
        Menu(register_hook_name=ACADEMY_MENU_HOOK),
        name="academy",
        icon_name="bars",
        order=275,
    )
