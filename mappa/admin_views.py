"""Wagtail admin for staff: the compilers' accreditations of the Mappa's campaigns, filtered by
campaign and status, decided (approved, refused with a reason, revoked) through
``mappa.services`` — the same rules and the same email to the member as the referent's decisions
on the site. Registered by ``mappa.wagtail_hooks``.

Staff (``cms.access.is_staff``) view and decide; nobody adds or deletes an accreditation here
(they are members' requests)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms import access

from . import emails, services
from .models import Accreditation

Status = Accreditation.Status


class StaffDecidesPolicy(ModelPermissionPolicy):
    """Staff view and change (decide); no one adds or deletes through the admin."""

    ALLOWED = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        return action in self.ALLOWED and (
            user.is_active and (user.is_superuser or access.is_staff(user))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        users = get_user_model().objects.filter(is_active=True)
        if not self.ALLOWED.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(is_staff=True))


register_permission_policy(Accreditation, StaffDecidesPolicy(Accreditation))


class DecisionEditView(EditView):
    """Changing the status decides through ``mappa.services``: requested → approved or refused
    (a reason is required to refuse), approved → revoked. Refusals are shown on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for name, field_messages in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, field_messages)
            else:
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                form.add_error(None, messages)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        instance = self.form.instance
        new_status, reason = instance.status, instance.reason
        old = Accreditation.objects.select_related("campaign", "ente", "user").get(pk=instance.pk)
        if new_status == old.status:
            if reason != old.reason:
                Accreditation.objects.filter(pk=old.pk).update(reason=(reason or "")[:500])
            return old
        user = self.request.user
        if old.status == Status.REQUESTED and new_status in (Status.APPROVED, Status.REFUSED):
            decided = services.decide_accreditation(
                user, old, new_status == Status.APPROVED, reason
            )
            emails.notify_decision(decided)
            return decided
        if old.status == Status.APPROVED and new_status == Status.REVOKED:
            return services.revoke_accreditation(user, old, reason)
        raise ValidationError(
            {
                "status": _(
                    "A request is approved or refused; an approved compiler can only be "
                    "revoked. A refused or revoked member asks again from the campaign's page."
                )
            }
        )


class AccreditationViewSet(ModelViewSet):
    model = Accreditation
    name = "mappa_accreditations"
    url_prefix = "mappa/accreditations"
    icon = "user"
    menu_label = _("Mappa: compilers")
    menu_order = 270
    add_to_admin_menu = True
    edit_view_class = DecisionEditView
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "user",
        "ente",
        "campaign",
        "status",
        "is_referent",
        "authorised_by",
        "authorisation_date",
        "requested_at",
        "decided_by",
    ]
    list_filter = ["campaign", "status"]
    search_fields = ["user__first_name", "user__last_name", "ente__name"]
    search_backend_name = None
    ordering = ["status", "-requested_at"]
    list_per_page = 50
    panels = [FieldPanel("status"), FieldPanel("reason")]
    inspect_view_fields = [
        "user",
        "ente",
        "campaign",
        "status",
        "is_referent",
        "authorised_by",
        "authorisation_date",
        "declaration",
        "requested_at",
        "decided_at",
        "decided_by",
        "reason",
    ]

    def get_queryset(self, request):
        return Accreditation.objects.select_related("user", "ente", "campaign", "decided_by")


accreditation_viewset = AccreditationViewSet()
