"""What the operations of ``communities.services`` share: the refusal helper, dates in messages,
the working groups a member leaves with their role or membership, and closing the requests to the
managers that a manager's own action answered."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import errors
from cms.templatetags.portal_tags import human_date

from ..models import MemberRequest, Membership, WorkingGroupMembership, WorkingGroupPage

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status
EndReason = Membership.EndReason
RequestKind = MemberRequest.Kind
RequestStatus = MemberRequest.Status


logger = logging.getLogger("communities")


def _deny(message):
    raise errors.Refused(message)


def _human_date(value) -> str:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return human_date(value)


def _with_reason(message, reason) -> str:
    if reason:
        return message + " " + _("Reason given: %(reason)s") % {"reason": reason}
    return message


def _leave_working_groups(user, community, now):
    groups = WorkingGroupPage.objects.descendant_of(community)
    for wgm in WorkingGroupMembership.objects.filter(user=user, group__in=groups).open():
        wgm.status = WGStatus.LEFT
        wgm.left_at = now
        wgm.save(update_fields=["status", "left_at"])


def _close_requests(membership, kind, actor, *, accepted):
    """Pending requests that a manager's own action answered."""
    MemberRequest.objects.filter(
        membership__user_id=membership.user_id,
        membership__community__translation_key=membership.community.translation_key,
        kind=kind,
        status=RequestStatus.PENDING,
    ).update(
        status=RequestStatus.ACCEPTED if accepted else RequestStatus.REFUSED,
        decided_at=timezone.now(),
        decided_by=actor,
    )


def _send_on_commit(signal, membership) -> None:
    """Send ``signal`` (``communities.signals``) once the transaction commits: the receivers
    above (the mailing list) never see a membership that was rolled back."""
    transaction.on_commit(lambda: signal.send(sender=Membership, membership=membership))
