"""The support team's domain experts: members apply with a motivation, the coordinator accepts
(the member becomes support team, domain expert) or refuses, with a note. At most
``settings.COMMUNITY_SUPPORT_EXPERTS_MAX`` experts per community (the seeds: 3-5)."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors

from .. import notices
from ..models import Membership, SupportApplication
from ..permissions import Action
from ._common import _deny

Status = SupportApplication.Status


def experts_max() -> int:
    return int(getattr(settings, "COMMUNITY_SUPPORT_EXPERTS_MAX", 5))


def experts_count(community) -> int:
    return (
        Membership.objects.current()
        .of(community)
        .filter(role=Membership.Role.SUPPORT, support_kind=Membership.SupportKind.EXPERT)
        .count()
    )


def pending_application(user, community) -> SupportApplication | None:
    return (
        SupportApplication.objects.filter(
            user=user,
            community__translation_key=community.translation_key,
            status=Status.PENDING,
        )
        .order_by("-created_at")
        .first()
    )


def applications(community, status=None):
    rows = SupportApplication.objects.filter(
        community__translation_key=community.translation_key
    ).select_related("user", "user__ente", "community", "decided_by")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at")


@transaction.atomic
def apply_support(user, community, motivation):
    if not access.can(user, Action.APPLY_SUPPORT, community):
        _deny(_("Only the participants of this community apply to its support team."))
    motivation = (motivation or "").strip()
    if not motivation:
        raise errors.Invalid(
            {"motivation": [_("Tell the coordinator why you apply (your expertise).")]},
            code="required",
        )
    if len(motivation) > 2000:
        raise errors.Invalid({"motivation": [_("Write at most 2000 characters.")]}, code="long")
    if pending_application(user, community) is not None:
        raise errors.Conflict(
            _("You have already applied: the coordinator will answer you."), code="already"
        )
    try:
        with transaction.atomic():
            application = SupportApplication.objects.create(
                user=user, community=community, motivation=motivation
            )
    except IntegrityError as error:
        raise errors.Conflict(
            _("You have already applied: the coordinator will answer you."), code="already"
        ) from error
    audit.record(
        "communities.support_applied", application, actor=user, data={"community": community.pk}
    )
    notices.support_application(application)
    return application


@transaction.atomic
def withdraw_support_application(user, application):
    application = SupportApplication.objects.select_for_update().get(pk=application.pk)
    if application.user_id != user.pk:
        _deny(_("You cannot withdraw this application."))
    if application.status != Status.PENDING:
        raise errors.Conflict(_("This application has already been answered."), code="decided")
    application.status = Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    audit.record("communities.support_withdrawn", application, actor=user)
    return application


@transaction.atomic
def decide_support_application(actor, application, accept: bool, note=""):
    """The coordinator (or staff) answers an application. Accepting makes the applicant's
    membership support team, domain expert; refused with 409 past the limit of experts, or
    when the applicant is no longer a participant of the community."""
    application = (
        SupportApplication.objects.select_for_update()
        .select_related("community", "user")
        .get(pk=application.pk)
    )
    community = application.community
    if not access.can(actor, Action.MANAGE_SUPPORT_TEAM, community):
        _deny(_("Only the coordinator chooses the support team of this community."))
    if application.status != Status.PENDING:
        raise errors.Conflict(_("This application has already been answered."), code="decided")
    note = (note or "").strip()
    if len(note) > 1000:
        raise errors.Invalid({"note": [_("Write at most 1000 characters.")]}, code="max_length")
    if accept:
        # The community's memberships are locked while counting: two acceptances at once do
        # not both pass the limit.
        list(Membership.objects.select_for_update().current().of(community).managers())
        if experts_count(community) >= experts_max():
            raise errors.Conflict(
                _(
                    "The support team already has %(count)d domain experts, the most allowed: "
                    "a place must free up before accepting another."
                )
                % {"count": experts_max()},
                code="support_team_full",
            )
        membership = (
            Membership.objects.select_for_update()
            .select_related("community", "user")
            .current()
            .of(community)
            .filter(user=application.user)
            .first()
        )
        if membership is None or membership.role not in Membership.MEMBER_ROLES:
            raise errors.Conflict(
                _("The applicant is no longer a participant of this community."),
                code="not_participant",
            )
        previous = membership.role
        membership.role = Membership.Role.SUPPORT
        membership.support_kind = Membership.SupportKind.EXPERT
        membership.role_changed_at = timezone.now()
        membership.save(update_fields=["role", "support_kind", "role_changed_at"])
        audit.record(
            "communities.role_assigned",
            membership,
            actor=actor,
            data={"member": membership.user_id, "from": previous, "to": membership.role},
        )
        access.forget(membership.user)
    application.status = Status.ACCEPTED if accept else Status.REFUSED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_note = note
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit.record(
        "communities.support_accepted" if accept else "communities.support_refused",
        application,
        actor=actor,
        data={"member": application.user_id, "community": community.pk},
    )
    notices.support_decision(application)
    return application
