"""Working groups: invitations, requests to join and their answers, the group's coordinator,
leaving."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors

from .. import notices, permissions
from ..models import WorkingGroupMembership
from ..permissions import Action
from ._common import WGStatus, _deny


def _record_group(action, actor, membership):
    audit.record(
        action,
        membership,
        actor=actor,
        data={"group": membership.group_id, "member": membership.user_id},
    )


@transaction.atomic
def invite(actor, invitee, group):
    if not access.can(actor, Action.INVITE_TO_WORKING_GROUP, group):
        _deny(_("You cannot invite members to this working group."))
    if not permissions.can_invite(actor, invitee, group):
        raise errors.Invalid(
            _("Only designated participants of the community can be invited."),
            code="not_designated",
        )
    membership = WorkingGroupMembership.objects.create(
        user=invitee, group=group, status=WGStatus.INVITED, invited_by=actor
    )
    _record_group("communities.wg_invite", actor, membership)
    notices.wg_invitation(invitee, group, notices.community_of(group))
    return membership


@transaction.atomic
def request_to_join(user, group):
    if not access.can(user, Action.JOIN_WORKING_GROUP, group):
        _deny(_("Only designated participants of the community can join its working groups."))
    membership = WorkingGroupMembership.objects.create(
        user=user, group=group, status=WGStatus.REQUESTED
    )
    _record_group("communities.wg_request", user, membership)
    access.forget(user)
    notices.wg_request(user, group, notices.community_of(group))
    return membership


def _open_membership(user, group, status):
    membership = WorkingGroupMembership.objects.filter(
        user=user, group=group, status=status
    ).first()
    if membership is None:
        raise errors.Conflict(_("There is nothing to answer."), code="nothing_pending")
    return membership


@transaction.atomic
def answer_invitation(user, group, accept: bool):
    membership = _open_membership(user, group, WGStatus.INVITED)
    if accept and permissions.role_in(user, group) is None:
        # Removed or suspended since the invitation: the group's space stays closed to them.
        _deny(_("You cannot join the working groups of this community now."))
    membership.status = WGStatus.ACTIVE if accept else WGStatus.DECLINED
    membership.responded_at = timezone.now()
    membership.save(update_fields=["status", "responded_at"])
    _record_group(
        "communities.wg_invitation_accepted" if accept else "communities.wg_invitation_declined",
        user,
        membership,
    )
    access.forget(user)
    notices.wg_decision(
        user,
        group,
        notices.community_of(group),
        accept,
        invitation=True,
        answerer=membership.invited_by,
    )
    return membership


@transaction.atomic
def answer_request(actor, requester, group, accept: bool):
    if not access.can(actor, Action.MANAGE_WORKING_GROUP, group):
        _deny(_("You cannot manage this working group."))
    membership = _open_membership(requester, group, WGStatus.REQUESTED)
    membership.status = WGStatus.ACTIVE if accept else WGStatus.DECLINED
    membership.responded_at = timezone.now()
    membership.save(update_fields=["status", "responded_at"])
    _record_group(
        "communities.wg_request_accepted" if accept else "communities.wg_request_refused",
        actor,
        membership,
    )
    access.forget(requester)
    notices.wg_decision(requester, group, notices.community_of(group), accept)
    return membership


@transaction.atomic
def set_group_coordinator(actor, member, group):
    """The group names its coordinator (one at a time; the previous one stays a member)."""
    if not access.can(actor, Action.MANAGE_WORKING_GROUP, group):
        _deny(_("You cannot manage this working group."))
    target = _open_membership(member, group, WGStatus.ACTIVE)
    WorkingGroupMembership.objects.filter(
        group=group, role=WorkingGroupMembership.Role.COORDINATOR
    ).exclude(pk=target.pk).update(role=WorkingGroupMembership.Role.MEMBER)
    target.role = WorkingGroupMembership.Role.COORDINATOR
    target.save(update_fields=["role"])
    _record_group("communities.wg_coordinator_named", actor, target)
    access.forget(member)
    return target


@transaction.atomic
def leave_working_group(user, group):
    membership = _open_membership(user, group, WGStatus.ACTIVE)
    membership.status = WGStatus.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at"])
    _record_group("communities.wg_leave", user, membership)
    access.forget(user)
    return membership
