"""The materials workflow in Wagtail's own workflow system ("Validazione dei materiali"):

1. ``ParticipantValidationTask``: the participants' validation round. Nobody approves it by hand:
   the round's rule does, at the deadline (``materials.services.close_round``); the managers of
   the community may close it early from the admin ("Chiudi la validazione"). The page is locked
   meanwhile: the version under validation does not change.
2. ``PublicationTask``: the coordinator (or the support team, or staff) publishes the approved
   version ("Pubblica", which finishes the workflow and publishes the page) or sends it back.

Both tasks show on the managers' Wagtail dashboard ("Awaiting your review") through
``get_task_states_user_can_moderate``, and both act through ``materials.services``, the same
code the portal's pages and API call.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState


def _managed_rounds(user, **filters):
    from .validation import ValidationRound

    if not user.is_authenticated or not user.is_active:
        return ValidationRound.objects.none()
    rounds = ValidationRound.objects.filter(workflow_state__isnull=False, **filters)
    if user.is_superuser:
        return rounds
    from cms import access

    if access.is_staff(user):
        return rounds
    from communities.models import Membership

    managed = Membership.objects.active().managers().filter(user=user).values("community_id")
    return rounds.filter(document__community_id__in=managed)


def _round_for(obj):
    from .validation import ValidationRound

    return (
        ValidationRound.objects.filter(page_id=obj.pk)
        .select_related("document__community", "document__working_group", "version")
        .order_by("-opened_at", "-pk")
        .first()
    )


class ParticipantValidationTask(Task):
    """The participants' validation round (decided by its rule, not by a reviewer)."""

    class Meta:
        verbose_name = _("participants' validation")
        verbose_name_plural = _("participants' validations")

    @classmethod
    def get_description(cls):
        return _(
            "The community's participants validate the version: the round's rule decides at "
            "its deadline. The managers may close it early."
        )

    def _follows(self, obj, user) -> bool:
        from cms import access

        from ..permissions import Action

        round_ = _round_for(obj)
        return round_ is not None and access.can(user, Action.FOLLOW_VALIDATION, round_)

    def user_can_access_editor(self, obj, user):
        return self._follows(obj, user)

    def locked_for_user(self, obj, user):
        return True

    def get_actions(self, obj, user):
        if self._follows(obj, user):
            return [("close_round", _("Close the validation now"), False)]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        from .. import services

        if action_name == "close_round":
            round_ = _round_for(task_state.workflow_state.content_object)
            if round_ is not None:
                services.close_round(round_, user=user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        rounds = _managed_rounds(user, status="open")
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state_id__in=rounds.values("workflow_state_id"),
        )


class PublicationTask(Task):
    """The coordinator's publication of the approved version."""

    class Meta:
        verbose_name = _("publication by the coordinator")
        verbose_name_plural = _("publications by the coordinator")

    @classmethod
    def get_description(cls):
        return _(
            "The community's coordinator, its support team or staff publish the approved "
            "version, or send it back to the working group."
        )

    def _publishes(self, obj, user) -> bool:
        from cms import access

        from ..permissions import Action

        round_ = _round_for(obj)
        return round_ is not None and access.can(user, Action.PUBLISH_MATERIAL, round_)

    def user_can_access_editor(self, obj, user):
        return self._publishes(obj, user)

    def locked_for_user(self, obj, user):
        return not self._publishes(obj, user)

    def user_can_lock(self, obj, user):
        return self._publishes(obj, user)

    def get_actions(self, obj, user):
        if self._publishes(obj, user):
            return [
                ("approve", _("Publish"), False),
                ("reject", _("Send back to the working group"), True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        from .. import services

        round_ = _round_for(task_state.workflow_state.content_object)
        if round_ is None:
            return
        if action_name == "approve":
            services.publish(user, round_)
        elif action_name == "reject":
            services.send_back(user, round_, comment=kwargs.get("comment", ""))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        rounds = _managed_rounds(user, status="approved", published_at__isnull=True)
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state_id__in=rounds.values("workflow_state_id"),
        )
