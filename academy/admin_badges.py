"""Wagtail admin for staff: the Open Badges issued ("Open Badge rilasciati"), listed with the
member, the course, the issue date and the state, filtered by course and state and searched by
name; a badge is revoked (with the mandatory reason) or its revocation undone through
``academy.services`` (``revoke_badge``, ``reinstate_badge``), which the verification page and
the status list reflect at once. Registered by ``academy.wagtail_hooks``.

Staff (``manage_academy``) view and act; nobody adds, edits or deletes a badge here (a badge is
issued by a completion and kept exactly as signed)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from cms import access
from cms.admin_policies import StaffPolicy
from cms.errors import ServiceError, message_of

from . import services
from .models import CoursePage, IssuedBadge
from .permissions import Action

# Staff view the badges; no one adds, edits or deletes them through the admin (revocation goes
# through ``academy.services``).
register_permission_policy(IssuedBadge, StaffPolicy(IssuedBadge, {"view"}))

NAMESPACE = "academy_badges"


class BadgeFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=[("valid", gettext_lazy("Valid")), ("revoked", gettext_lazy("Revoked"))],
        method="filter_state",
        empty_label=gettext_lazy("All"),
    )
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Course"),
        queryset=lambda request: CoursePage.objects.filter(
            pk__in=IssuedBadge.objects.values("course_id")
        ).order_by("title"),
    )

    class Meta:
        model = IssuedBadge
        fields = ["course", "state"]

    def filter_state(self, queryset, name, value):
        if value == "revoked":
            return queryset.revoked()
        if value == "valid":
            return queryset.valid()
        return queryset


def _member(badge) -> str:
    if badge.user is None:
        return _("(personal data erased)")
    return badge.user.get_full_name() or badge.user.get_username()


def _state(badge) -> str:
    if badge.is_revoked:
        return _("Revoked on %(date)s: %(reason)s") % {
            "date": badge.revoked_at.strftime("%d/%m/%Y"),
            "reason": badge.revocation_reason,
        }
    return _("Valid")


class BadgeIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if not access.can(self.request.user, Action.MANAGE_ACADEMY, instance):
            return buttons
        if instance.is_revoked:
            name, label = "reinstate", _("Undo the revocation")
        else:
            name, label = "revoke", _("Revoke")
        buttons.append(
            ListingButton(
                label,
                url=reverse(f"{NAMESPACE}:{name}", args=[instance.pk]),
                icon_name="undo" if instance.is_revoked else "cross",
                attrs={"aria-label": f"{label}: {instance.name}"},
                priority=5,
            )
        )
        buttons.append(
            ListingButton(
                _("Public page"),
                url=reverse("academy:badge", args=[instance.uuid]),
                icon_name="link-external",
                priority=6,
            )
        )
        return buttons


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the revocation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the badge's public verification page."),
        error_messages={"required": gettext_lazy("Say why the badge is revoked.")},
    )


class ConfirmForm(forms.Form):
    pass


class BadgeActionView(WagtailAdminTemplateMixin, FormView):
    """Revoke a badge (a reason is required) or undo its revocation, through the services."""

    template_name = "wagtailadmin/generic/form.html"
    header_icon = "tick-inverse"
    revoke = True

    def dispatch(self, request, *args, **kwargs):
        self.badge = get_object_or_404(IssuedBadge.objects.select_related("user"), pk=kwargs["pk"])
        if not access.can(request.user, Action.MANAGE_ACADEMY, self.badge):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return RevokeForm if self.revoke else ConfirmForm

    def get_page_title(self):
        return _("Revoke the badge") if self.revoke else _("Undo the revocation")

    def get_page_subtitle(self):
        return f"{self.badge.name} — {_member(self.badge)}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NAMESPACE}:index"), "label": _("Open Badges issued")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.request.path
        context["submit_button_label"] = self.get_page_title()
        context["submit_button_active_label"] = self.get_page_title()
        return context

    def form_valid(self, form):
        try:
            if self.revoke:
                services.revoke_badge(self.request.user, self.badge, form.cleaned_data["reason"])
            else:
                services.reinstate_badge(self.request.user, self.badge)
        except ServiceError as error:
            form.add_error("reason" if self.revoke else None, message_of(error))
            return self.render_to_response(self.get_context_data(form=form), status=error.status)
        if self.revoke:
            messages.success(
                self.request, _("The badge “%(name)s” was revoked.") % {"name": self.badge.name}
            )
        else:
            messages.success(
                self.request,
                _("The revocation of “%(name)s” was undone.") % {"name": self.badge.name},
            )
        return redirect(reverse(f"{NAMESPACE}:index"))


class IssuedBadgeViewSet(ModelViewSet):
    model = IssuedBadge
    name = NAMESPACE
    url_prefix = "academy/badges"
    icon = "tick-inverse"
    menu_label = gettext_lazy("Open Badges issued")
    menu_order = 285
    add_to_admin_menu = True
    #: In the "Academy" menu (``wagtail_hooks.AcademyAdminGroup``).
    menu_hook = "register_academy_menu_item"
    index_view_class = BadgeIndexView
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["show_name"]  # required by ModelViewSet; the policy refuses every change
    list_display = [
        "name",  # the title column, with the row's buttons
        Column("member", label=gettext_lazy("Member"), accessor=_member),
        Column("course_code", label=gettext_lazy("Course"), accessor="course_code"),
        DateColumn("issued_at", label=gettext_lazy("Issued")),
        Column("state", label=gettext_lazy("State"), accessor=_state),
    ]
    filterset_class = BadgeFilterSet
    search_fields = ["name", "course_code", "holder_name", "user__first_name", "user__last_name"]
    search_backend_name = None
    ordering = ["-issued_at", "-pk"]
    list_per_page = 50
    inspect_view_fields = [
        "uuid",
        "name",
        "course_code",
        "course",
        "user",
        "issued_at",
        "status_index",
        "show_name",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "erased_at",
    ]

    def get_queryset(self, request):
        return IssuedBadge.objects.select_related("user", "course")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "revoke/<int:pk>/",
                BadgeActionView.as_view(revoke=True),
                name="revoke",
            ),
            path(
                "reinstate/<int:pk>/",
                BadgeActionView.as_view(revoke=False),
                name="reinstate",
            ),
        ]


badge_viewset = IssuedBadgeViewSet()
