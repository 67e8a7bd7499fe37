"""What members and managers do to memberships: join, leave, switch role, designations and
working groups. Views, forms and the API call these; each asks the access policy first and
raises ``PermissionDenied`` or ``ValidationError`` (with a message for the user) otherwise,
changing nothing."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .access import Action
from .models import Designation, Membership, WorkingGroupMembership

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status


logger = logging.getLogger("communities")


def _deny(message):
    raise PermissionDenied(message)


def _community_key_filter(community):
    return {"community__translation_key": community.translation_key, "left_at__isnull": True}


@transaction.atomic
def join(user, community, role=Role.PARTICIPANT, *, signed_by="", act_date=None, act_file=None):
    """``user`` joins ``community`` as participant or designated participant."""
    if not access.is_registered(user):
        _deny(_("Complete your registration to the Community before joining a community."))
    if access.role_in(user, community) is not None:
        raise ValidationError(_("You are already a member of this community."), code="already")
    if not access.can(user, Action.JOIN, community):
        _deny(_("You cannot join this community."))
    if role not in (Role.PARTICIPANT, Role.DESIGNATED):
        _deny(_("Coordinators and the support team are appointed by the editorial staff."))
    designation = None
    if role == Role.DESIGNATED:
        designation = _build_designation(signed_by, act_date, act_file)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, community=community, role=role)
    except IntegrityError as error:
        raise ValidationError(
            _("You are already a member of this community."), code="already"
        ) from error
    if designation is not None:
        designation.membership = membership
        designation.save()
    access.forget(user)
    return membership


def _build_designation(signed_by, act_date, act_file):
    designation = Designation(signed_by=signed_by, act_date=act_date, act_file=act_file or "")
    designation.full_clean(exclude=["membership"])
    return designation


def active_membership(user, community) -> Membership | None:
    return (
        Membership.objects.select_related("community")
        .filter(user=user, **_community_key_filter(community))
        .first()
    )


@transaction.atomic
def leave(user, community):
    """``user`` leaves ``community`` (and every working group of it)."""
    if not access.can(user, Action.LEAVE, community):
        _deny(_("You cannot leave this community here: ask the editorial staff."))
    membership = active_membership(user, community)
    now = timezone.now()
    _leave_working_groups(user, community, now)
    membership.left_at = now
    membership.save(update_fields=["left_at"])
    access.forget(user)
    return membership


def _leave_working_groups(user, community, now):
    from .models import WorkingGroupPage

    groups = WorkingGroupPage.objects.descendant_of(community)
    for wgm in WorkingGroupMembership.objects.filter(
        user=user, group__in=groups, status__in=WorkingGroupMembership.OPEN_STATUSES
    ):
        wgm.status = WGStatus.LEFT
        wgm.left_at = now
        wgm.save(update_fields=["status", "left_at"])


@transaction.atomic
def switch_role(user, community, role, *, signed_by="", act_date=None, act_file=None):
    """Participant ↔ designated participant. Becoming designated needs a declaration; going
    back to participant leaves the community's working groups."""
    if not access.can(user, Action.SWITCH_ROLE, community):
        _deny(_("You cannot change your role in this community."))
    if role not in (Role.PARTICIPANT, Role.DESIGNATED):
        _deny(_("Coordinators and the support team are appointed by the editorial staff."))
    membership = active_membership(user, community)
    if membership.role == role:
        raise ValidationError(_("You already have this role."), code="same_role")
    now = timezone.now()
    if role == Role.DESIGNATED:
        fresh = _build_designation(signed_by, act_date, act_file)
        existing = Designation.objects.filter(membership=membership).first()
        if existing is not None:
            existing.signed_by, existing.act_date = fresh.signed_by, fresh.act_date
            if act_file:
                existing.act_file = act_file
            existing.status = Designation.Status.DECLARED
            existing.declared_at = now
            existing.save()
        else:
            fresh.membership = membership
            fresh.save()
    else:
        _leave_working_groups(user, membership.community, now)
    membership.role = role
    membership.role_changed_at = now
    membership.save(update_fields=["role", "role_changed_at"])
    access.forget(user)
    return membership


def request_designation_copy(actor, designation):
    if not access.can(actor, Action.REQUEST_DESIGNATION_COPY, designation):
        _deny(_("You cannot handle the designations of this community."))
    designation.status = Designation.Status.COPY_REQUESTED
    designation.copy_requested_at = timezone.now()
    designation.copy_requested_by = actor
    designation.save(update_fields=["status", "copy_requested_at", "copy_requested_by"])
    transaction.on_commit(lambda: _notify_copy_requested(designation))
    return designation


def _notify_copy_requested(designation):
    """Tell the member that the community asks for a copy of their appointment act."""
    from django.core.mail import send_mail

    user = designation.membership.user
    address = getattr(user, "contact_email", "") or user.email
    if not address:
        return
    community = designation.membership.community.title
    try:
        _send_copy_request(send_mail, community, address)
    except OSError:
        # The request is recorded either way; the member also sees it on their dashboard.
        logger.exception("could not email the copy request to user %s", user.pk)


def _send_copy_request(send_mail, community, address):
    send_mail(
        _("%(community)s: a copy of your appointment is requested") % {"community": community},
        _(
            "The coordination of the community of practice %(community)s asks you for a copy "
            "of the act appointing you as designated participant. Upload it from your area "
            "of the portal."
        )
        % {"community": community},
        None,
        [address],
    )


def verify_designation(actor, designation):
    if not access.can(actor, Action.VERIFY_DESIGNATION, designation):
        _deny(_("You cannot handle the designations of this community."))
    designation.status = Designation.Status.VERIFIED
    designation.verified_at = timezone.now()
    designation.verified_by = actor
    designation.save(update_fields=["status", "verified_at", "verified_by"])
    return designation


@transaction.atomic
def revoke_designation(actor, designation):
    """Revoking a designation makes the member a simple participant again."""
    if not access.can(actor, Action.VERIFY_DESIGNATION, designation):
        _deny(_("You cannot handle the designations of this community."))
    now = timezone.now()
    designation.status = Designation.Status.REVOKED
    designation.revoked_at = now
    designation.revoked_by = actor
    designation.save(update_fields=["status", "revoked_at", "revoked_by"])
    membership = designation.membership
    if membership.is_active and membership.role == Role.DESIGNATED:
        _leave_working_groups(membership.user, membership.community, now)
        membership.role = Role.PARTICIPANT
        membership.role_changed_at = now
        membership.save(update_fields=["role", "role_changed_at"])
    return designation


# --- Working groups ---------------------------------------------------------------------------


def invite(actor, invitee, group):
    if not access.can(actor, Action.INVITE_TO_WORKING_GROUP, group):
        _deny(_("You cannot invite members to this working group."))
    if not access.can_invite(actor, invitee, group):
        raise ValidationError(
            _("Only designated participants of the community can be invited."),
            code="not_designated",
        )
    return WorkingGroupMembership.objects.create(
        user=invitee, group=group, status=WGStatus.INVITED, invited_by=actor
    )


def request_to_join(user, group):
    if not access.can(user, Action.JOIN_WORKING_GROUP, group):
        _deny(_("Only designated participants of the community can join its working groups."))
    membership = WorkingGroupMembership.objects.create(
        user=user, group=group, status=WGStatus.REQUESTED
    )
    access.forget(user)
    return membership


def _open_membership(user, group, status):
    membership = WorkingGroupMembership.objects.filter(
        user=user, group=group, status=status
    ).first()
    if membership is None:
        raise ValidationError(_("There is nothing to answer."), code="nothing_pending")
    return membership


def answer_invitation(user, group, accept: bool):
    membership = _open_membership(user, group, WGStatus.INVITED)
    membership.status = WGStatus.ACTIVE if accept else WGStatus.DECLINED
    membership.responded_at = timezone.now()
    membership.save(update_fields=["status", "responded_at"])
    access.forget(user)
    return membership


def answer_request(actor, requester, group, accept: bool):
    if not access.can(actor, Action.MANAGE_WORKING_GROUP, group):
        _deny(_("You cannot manage this working group."))
    membership = _open_membership(requester, group, WGStatus.REQUESTED)
    membership.status = WGStatus.ACTIVE if accept else WGStatus.DECLINED
    membership.responded_at = timezone.now()
    membership.save(update_fields=["status", "responded_at"])
    access.forget(requester)
    return membership


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
    access.forget(member)
    return target


def leave_working_group(user, group):
    membership = _open_membership(user, group, WGStatus.ACTIVE)
    membership.status = WGStatus.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at"])
    access.forget(user)
    return membership
