"""What the Accademia adds to Wagtail and to the core's pages:

- the home page's lists of courses open for enrolment and coming soon (hook
  ``portal_home_context`` of ``cms.models.HomePage``);
- the admin's "Academy" menu: the courses' editions (``CourseEditionViewSet``: list with the
  course, dates, state and places taken; create and edit with the model's validation) and the
  course targets (a snippet). Other admin views of the Accademia (imports, reports, badges)
  add their items to ``AcademyAdminGroup.items`` or through its ``submenu_hook``.

Editions are the editors' content like the course pages: created and changed here by staff
(``permissions.is_academy_staff``); nobody deletes one (enrolments hang on it): cancel it.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.admin_policies import StaffPolicy

from .models import CourseEdition, CourseTarget, Enrolment


@hooks.register("portal_home_context")
def home_courses(request, home_page, visible):
    """The home page's courses open for enrolment and "di prossima pubblicazione", and the
    Accademia's page (its promo box links to it rather than to the editors' external link)."""
    from .selectors import home_courses as courses

    return courses(visible)


register_permission_policy(CourseEdition, StaffPolicy(CourseEdition, {"view", "add", "change"}))
register_permission_policy(
    CourseTarget, StaffPolicy(CourseTarget, {"view", "add", "change", "delete"})
)


class PlacesColumn(Column):
    """Places taken (enrolled and completed) over the capacity."""

    def get_value(self, instance):
        if instance.capacity is None:
            return _("%(taken)s (unlimited)") % {"taken": instance.taken}
        return f"{instance.taken} / {instance.capacity}"


class CourseEditionIndexView(IndexView):
    """The editions with their course and the places taken, in one query."""

    def get_base_queryset(self):
        taken = Q(enrolments__status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED])
        return (
            super()
            .get_base_queryset()
            .select_related("course")
            .annotate(taken=Count("enrolments", filter=taken))
        )


class CourseEditionViewSet(ModelViewSet):
    model = CourseEdition
    name = "academy_editions"
    url_prefix = "academy/editions"
    icon = "date"
    menu_label = _("Editions")
    add_to_admin_menu = False
    list_display = [
        Column("course", label=_("Course"), accessor="course.title"),
        "name",
        "starts_on",
        "ends_on",
        Column("state", label=_("State"), accessor="get_state_display"),
        PlacesColumn("places", label=_("Places taken")),
    ]
    list_filter = ["course", "cancelled"]
    search_fields = ["name", "course__title", "course__code"]
    search_backend_name = None
    ordering = ["-starts_on", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = False

    index_view_class = CourseEditionIndexView


class CourseTargetViewSet(SnippetViewSet):
    model = CourseTarget
    icon = "group"
    menu_label = _("Course targets")
    #: Its menu item is in "Academy": not listed again under "Snippets".
    menu_item_is_registered = True
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class AcademyAdminGroup(ViewSetGroup):
    menu_label = _("Academy")
    menu_icon = "pick"
    menu_order = 260
    #: The Accademia's admin views, in menu order: append new ones at the end.
    items = (CourseEditionViewSet, CourseTargetViewSet)
    #: Other admin views join this menu through this hook: a ``MenuItem`` returned by a hook
    #: of this name, or a viewset whose ``menu_hook`` is this name.
    submenu_hook = "register_academy_menu_item"


@hooks.register("register_admin_viewset")
def register_academy_admin():
    return AcademyAdminGroup()


@hooks.register("register_admin_viewset")
def register_badge_admin():
    """Staff list the Open Badges issued and revoke them (``academy.admin_badges``)."""
    from .admin_badges import badge_viewset

    return badge_viewset


@hooks.register("register_log_actions")
def register_badge_log_actions(actions):
    """Revocations in the audit trail (``cms.audit``; recorded by ``academy.services``)."""
    from django.utils.translation import gettext_lazy as _

    actions.register_action(
        "academy.badge_revoked", _("Revoke an Open Badge"), _("Revoked the Open Badge")
    )
    actions.register_action(
        "academy.badge_reinstated",
        _("Undo the revocation of an Open Badge"),
        _("Undid the revocation of the Open Badge"),
    )


# --- Completion imports, completions by hand and reports for staff (academy.admin_views) --------
# Imports inside the functions: this section stands on its own at the end of the file.

#: The hook of the "Academy" admin menu's items (``AcademyAdminGroup.submenu_hook``, above).
ACADEMY_MENU_HOOK = AcademyAdminGroup.submenu_hook

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
