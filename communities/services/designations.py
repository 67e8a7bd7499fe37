"""The managers handle the designations: ask for a copy of the act, verify, revoke (the member
becomes a participant again) and re-open a revoked designation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors

from .. import notices
from ..models import Designation
from ..permissions import Action
from ._common import RequestKind, Role, _close_requests, _deny, _leave_working_groups


@transaction.atomic
def request_designation_copy(actor, designation):
    if not access.can(actor, Action.REQUEST_DESIGNATION_COPY, designation):
        _deny(_("You cannot handle the designations of this community."))
    designation.status = Designation.Status.COPY_REQUESTED
    designation.copy_requested_at = timezone.now()
    designation.copy_requested_by = actor
    designation.save(update_fields=["status", "copy_requested_at", "copy_requested_by"])
    _record_designation("communities.designation_copy_requested", actor, designation)
    # The member hears of it in the portal and by email (``communities.notices``).
    notices.designation_decision(designation, "copy_requested")
    return designation


def _record_designation(action, actor, designation, **data):
    audit.record(
        action,
        designation,
        actor=actor,
        data={"membership": designation.membership_id, "member": _member_id(designation), **data},
    )


def _member_id(designation):
    return designation.membership.user_id


@transaction.atomic
def verify_designation(actor, designation):
    if not access.can(actor, Action.VERIFY_DESIGNATION, designation):
        _deny(_("You cannot handle the designations of this community."))
    designation.status = Designation.Status.VERIFIED
    designation.verified_at = timezone.now()
    designation.verified_by = actor
    designation.save(update_fields=["status", "verified_at", "verified_by"])
    _record_designation("communities.designation_verified", actor, designation)
    notices.designation_decision(designation, "verified")
    return designation


@transaction.atomic
def revoke_designation(actor, designation, reason=""):
    """Revoking a designation makes the member a simple participant again, who may not declare
    it again until a manager re-opens it (``reopen_designation``)."""
    if not access.can(actor, Action.VERIFY_DESIGNATION, designation):
        _deny(_("You cannot handle the designations of this community."))
    now = timezone.now()
    designation.status = Designation.Status.REVOKED
    designation.revoked_at = now
    designation.revoked_by = actor
    designation.revocation_reason = (reason or "").strip()[:1000]
    designation.reopened_at = None
    designation.reopened_by = None
    designation.save(
        update_fields=[
            "status",
            "revoked_at",
            "revoked_by",
            "revocation_reason",
            "reopened_at",
            "reopened_by",
        ]
    )
    membership = designation.membership
    if membership.is_active and membership.role == Role.DESIGNATED:
        _leave_working_groups(membership.user, membership.community, now)
        membership.role = Role.PARTICIPANT
        membership.role_changed_at = now
        membership.save(update_fields=["role", "role_changed_at"])
    _record_designation("communities.designation_revoked", actor, designation)
    access.forget(membership.user)
    notices.designation_decision(designation, "revoked")
    return designation


@transaction.atomic
def reopen_designation(actor, designation):
    """A manager re-opens a revoked designation: the member may declare it again."""
    if not access.can(actor, Action.VERIFY_DESIGNATION, designation):
        _deny(_("You cannot handle the designations of this community."))
    if not designation.blocks_declaring:
        raise errors.Conflict(
            _("This designation is not revoked, or it was re-opened already."),
            code="nothing_pending",
        )
    designation.reopened_at = timezone.now()
    designation.reopened_by = actor
    designation.save(update_fields=["reopened_at", "reopened_by"])
    _record_designation("communities.designation_reopened", actor, designation)
    _close_requests(designation.membership, RequestKind.REDESIGNATION, actor, accepted=True)
    access.forget(designation.membership.user)
    return designation
