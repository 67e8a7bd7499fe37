"""The managers' measures on a member: removal (and readmission), suspension (and its early
end), and the message that explains a measure in force to the member it concerns."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors

from .. import permissions, signals
from ..models import Designation, Membership
from ..permissions import Action
from ._common import (
    EndReason,
    RequestKind,
    _close_requests,
    _deny,
    _human_date,
    _leave_working_groups,
    _send_on_commit,
    _with_reason,
)


class MeasureRefusal(errors.Refused):
    """Refused because of a measure of the managers in force on the member (removal,
    suspension, revoked designation); ``code`` names it for API clients."""


def measure_message(user, community, measure) -> tuple[str, str]:
    """``(message, code)`` explaining to ``user`` the measure in force on them in
    ``community``: when, why, and that they can ask the managers."""
    key = community.translation_key
    if measure.removed_at is not None:
        removed = (
            Membership.objects.of(community)
            .filter(user=user, end_reason=EndReason.REMOVED, readmitted_at__isnull=True)
            .order_by("-left_at")
            .first()
        )
        message = _(
            "You were removed from this community by its managers on %(date)s. You can ask "
            "them to readmit you."
        ) % {"date": _human_date(measure.removed_at)}
        return _with_reason(message, removed.removal_reason if removed else ""), permissions.REMOVED
    if measure.suspended_until is not None:
        suspended = (
            Membership.objects.of(community)
            .filter(user=user, suspended_until__gt=timezone.now())
            .order_by("-suspended_until")
            .first()
        )
        message = _(
            "Your participation in this community is suspended by its managers until "
            "%(date)s: until then you cannot read its reserved area or take part in it. You "
            "can ask them to end the suspension earlier."
        ) % {"date": _human_date(measure.suspended_until)}
        return (
            _with_reason(message, suspended.suspension_reason if suspended else ""),
            permissions.SUSPENDED,
        )
    designation = (
        Designation.objects.filter(
            membership__user=user,
            membership__community__translation_key=key,
            status=Designation.Status.REVOKED,
            reopened_at__isnull=True,
        )
        .order_by("-revoked_at")
        .first()
    )
    message = _(
        "Your designation in this community was revoked by its managers on %(date)s: you "
        "cannot declare it again until they re-open it. You can ask them to."
    ) % {"date": _human_date(measure.revoked_at) if measure.revoked_at else "—"}
    return (
        _with_reason(message, designation.revocation_reason if designation else ""),
        permissions.REVOKED,
    )


def _refuse_for_measure(user, community, measure):
    message, code = measure_message(user, community, measure)
    raise MeasureRefusal(message, code)


def _reason(reason, field="reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise errors.Invalid(
            {field: _("Write the reason: the member will read it.")}, code="required"
        )
    if len(reason) > 1000:
        raise errors.Invalid({field: _("Write at most 1000 characters.")}, code="max_length")
    return reason


def _locked(membership) -> Membership:
    """The membership row, locked for the rest of the transaction (two managers at once)."""
    return (
        Membership.objects.select_for_update()
        .select_related("community", "user")
        .get(pk=membership.pk)
    )


def _check_measure_target(actor, membership, action, message):
    community = membership.community
    if not access.can(actor, action, community):
        _deny(message)
    if not membership.is_active:
        raise errors.Invalid(
            _("This person is no longer a member of the community."), code="not_member"
        )
    if membership.user_id == getattr(actor, "pk", None):
        _deny(_("You cannot take this measure on yourself."))
    if membership.role not in Membership.MEMBER_ROLES and not access.can(
        actor, Action.ASSIGN_COORDINATOR, community
    ):
        _deny(
            _("Coordinators and the support team are appointed and removed by the editorial staff.")
        )


@transaction.atomic
def remove_member(actor, membership, reason):
    """A manager removes a member (who, when, why): the membership ends, the member leaves
    the community's working groups and its reserved area at once, and may not join again
    until a manager readmits them."""
    membership = _locked(membership)
    _check_measure_target(
        actor,
        membership,
        Action.MANAGE_MEMBERSHIPS,
        _("You cannot remove members of this community."),
    )
    reason = _reason(reason)
    now = timezone.now()
    user = membership.user
    _leave_working_groups(user, membership.community, now)
    membership.left_at = now
    membership.end_reason = EndReason.REMOVED
    membership.removed_by = actor
    membership.removal_reason = reason
    membership.save(update_fields=["left_at", "end_reason", "removed_by", "removal_reason"])
    audit.record(
        "communities.remove",
        membership,
        actor=actor,
        data={"member": user.pk, "community": membership.community_id},
    )
    # Requests about the ended membership are moot.
    for kind in (RequestKind.LIFT_SUSPENSION, RequestKind.REDESIGNATION):
        _close_requests(membership, kind, actor, accepted=False)
    access.forget(user)
    _send_on_commit(signals.membership_ended, membership)
    return membership


@transaction.atomic
def suspend_member(actor, membership, until, reason):
    """A manager suspends a member until ``until`` (an aware datetime in the future): until
    then the policy treats them as not an active member (reserved area, discussions, working
    groups); the suspension ends by itself."""
    membership = _locked(membership)
    _check_measure_target(
        actor,
        membership,
        Action.SUSPEND_MEMBER,
        _("You cannot suspend members of this community."),
    )
    now = timezone.now()
    if until is None or until <= now:
        raise errors.Invalid({"until": _("The suspension must end in the future.")}, code="invalid")
    reason = _reason(reason)
    membership.suspended_at = now
    membership.suspended_until = until
    membership.suspended_by = actor
    membership.suspension_reason = reason
    membership.save(
        update_fields=["suspended_at", "suspended_until", "suspended_by", "suspension_reason"]
    )
    audit.record(
        "communities.suspend",
        membership,
        actor=actor,
        data={
            "member": membership.user_id,
            "community": membership.community_id,
            "until": until.isoformat(),
        },
    )
    access.forget(membership.user)
    return membership


@transaction.atomic
def lift_suspension(actor, membership):
    """A manager ends a suspension before its date."""
    membership = _locked(membership)
    if not access.can(actor, Action.SUSPEND_MEMBER, membership.community):
        _deny(_("You cannot suspend members of this community."))
    if not membership.is_suspended:
        raise errors.Conflict(_("This member is not suspended."), code="nothing_pending")
    membership.suspended_until = timezone.now()
    membership.save(update_fields=["suspended_until"])
    audit.record(
        "communities.suspension_lifted",
        membership,
        actor=actor,
        data={"member": membership.user_id, "community": membership.community_id},
    )
    _close_requests(membership, RequestKind.LIFT_SUSPENSION, actor, accepted=True)
    access.forget(membership.user)
    return membership


@transaction.atomic
def readmit(actor, membership):
    """A manager readmits a removed member: they may join the community again (as participant,
    or declaring a designation anew)."""
    community = membership.community
    if not access.can(actor, Action.MANAGE_MEMBERSHIPS, community):
        _deny(_("You cannot readmit members of this community."))
    removed = (
        Membership.objects.select_for_update()
        .of(community)
        .filter(
            user_id=membership.user_id,
            end_reason=EndReason.REMOVED,
            readmitted_at__isnull=True,
            left_at__isnull=False,
        )
    )
    if not removed.exists():
        raise errors.Conflict(
            _("This person was not removed, or was readmitted already."), code="nothing_pending"
        )
    now = timezone.now()
    removed.update(readmitted_at=now, readmitted_by=actor)
    audit.record(
        "communities.readmit",
        membership,
        actor=actor,
        data={"member": membership.user_id, "community": community.pk},
    )
    _close_requests(membership, RequestKind.READMISSION, actor, accepted=True)
    access.forget(membership.user)
    return membership
