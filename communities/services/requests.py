"""A member under a measure asks the community's managers to reconsider it; the managers
decide."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors

from .. import notices, permissions
from ..models import Designation, MemberRequest, Membership
from ..permissions import Action
from ._common import EndReason, RequestKind, RequestStatus, _deny
from .designations import reopen_designation
from .measures import lift_suspension, readmit

#: What each kind of request asks for: the measure it reconsiders and who decides it.
REQUEST_FOR = {
    permissions.REMOVED: RequestKind.READMISSION,
    permissions.SUSPENDED: RequestKind.LIFT_SUSPENSION,
    permissions.REVOKED: RequestKind.REDESIGNATION,
}
DECIDED_BY = {
    RequestKind.READMISSION: Action.MANAGE_MEMBERSHIPS,
    RequestKind.LIFT_SUSPENSION: Action.SUSPEND_MEMBER,
    RequestKind.REDESIGNATION: Action.VERIFY_DESIGNATION,
}


def _measured_membership(user, community, kind) -> Membership | None:
    """The membership that carries the measure a request of ``kind`` is about."""
    rows = Membership.objects.of(community).filter(user=user).select_related("community")
    if kind == RequestKind.READMISSION:
        rows = rows.filter(end_reason=EndReason.REMOVED, readmitted_at__isnull=True).order_by(
            "-left_at"
        )
    elif kind == RequestKind.LIFT_SUSPENSION:
        rows = rows.filter(suspended_until__gt=timezone.now()).order_by("-suspended_until")
    else:
        rows = rows.filter(
            designation__status=Designation.Status.REVOKED,
            designation__reopened_at__isnull=True,
        ).order_by("-designation__revoked_at")
    return rows.first()


def pending_request(user, community) -> MemberRequest | None:
    """The member's pending request to the managers of ``community``, if any."""
    return (
        MemberRequest.objects.filter(
            membership__user=user,
            membership__community__translation_key=community.translation_key,
            status=RequestStatus.PENDING,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def ask_managers(user, community, message=""):
    """A member under a measure asks the community's managers to reconsider it (readmission,
    end of the suspension, re-opening of the designation). One pending request at a time."""
    if not access.can(user, Action.APPEAL, community):
        _deny(_("There is no measure of the managers on you to reconsider in this community."))
    measure = permissions.measure_in(user, community)
    kind = REQUEST_FOR[measure.kind]
    membership = _measured_membership(user, community, kind)
    if membership is None:  # changed meanwhile
        _deny(_("There is no measure of the managers on you to reconsider in this community."))
    if MemberRequest.objects.filter(
        membership=membership, kind=kind, status=RequestStatus.PENDING
    ).exists():
        raise errors.Conflict(
            _("You have already asked the managers: they will answer you."), code="already"
        )
    request = MemberRequest(membership=membership, kind=kind, message=(message or "").strip())
    request.full_clean(exclude=["membership"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        raise errors.Conflict(
            _("You have already asked the managers: they will answer you."), code="already"
        ) from error
    audit.record(
        "communities.request",
        request,
        actor=user,
        data={"kind": kind, "membership": membership.pk, "community": membership.community_id},
    )
    return request


def can_decide(actor, member_request) -> bool:
    return access.can(actor, DECIDED_BY[member_request.kind], member_request.membership.community)


@transaction.atomic
def decide_request(actor, member_request, accept: bool, note=""):
    """The managers accept or refuse a member's request. Accepting readmits the member, ends
    the suspension, or re-opens the designation."""
    member_request = (
        MemberRequest.objects.select_for_update()
        .select_related("membership__community", "membership__user")
        .get(pk=member_request.pk)
    )
    if not can_decide(actor, member_request):
        _deny(_("You cannot decide this request."))
    if member_request.status != RequestStatus.PENDING:
        raise errors.Conflict(_("This request has already been answered."), code="nothing_pending")
    note = (note or "").strip()
    if len(note) > 1000:
        raise errors.Invalid({"note": _("Write at most 1000 characters.")}, code="max_length")
    membership = member_request.membership
    if accept:
        if member_request.kind == RequestKind.READMISSION:
            readmit(actor, membership)
        elif member_request.kind == RequestKind.LIFT_SUSPENSION:
            if membership.is_suspended:
                lift_suspension(actor, membership)
        else:
            designation = Designation.objects.select_related("membership").get(
                membership=membership
            )
            if designation.blocks_declaring:
                reopen_designation(actor, designation)
    member_request.refresh_from_db(fields=["status"])
    member_request.status = RequestStatus.ACCEPTED if accept else RequestStatus.REFUSED
    member_request.decided_at = member_request.decided_at or timezone.now()
    member_request.decided_by = actor
    member_request.decision_note = note
    member_request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit.record(
        "communities.request_accepted" if accept else "communities.request_refused",
        member_request,
        actor=actor,
        data={"kind": member_request.kind, "member": membership.user_id},
    )
    access.forget(membership.user)
    notices.request_decision(member_request, accept)
    return member_request
