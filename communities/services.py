"""What members and managers do to memberships: join, leave, switch role, designations,
the managers' measures (removal, suspension, revocation) and the members' requests about them,
and working groups. Views, forms, the admin and the API call these; each asks the access policy
first and raises ``PermissionDenied`` or ``ValidationError`` (with a message for the user)
otherwise, changing nothing. Every security-relevant change is written to the audit trail
(``cms.audit``) in the same transaction."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit
from membership import registration

from . import permissions
from .models import Designation, MemberRequest, Membership, WorkingGroupMembership
from .permissions import Action

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status
EndReason = Membership.EndReason
RequestKind = MemberRequest.Kind
RequestStatus = MemberRequest.Status


logger = logging.getLogger("communities")


class MeasureRefusal(PermissionDenied):
    """Refused because of a measure of the managers in force on the member (removal,
    suspension, revoked designation); ``code`` names it for API clients."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def _deny(message):
    raise PermissionDenied(message)


def _human_date(value) -> str:
    from cms.templatetags.portal_tags import human_date

    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return human_date(value)


def _with_reason(message, reason) -> str:
    if reason:
        return message + " " + _("Reason given: %(reason)s") % {"reason": reason}
    return message


def measure_message(user, community, measure) -> tuple[str, str]:
    """``(message, code)`` explaining to ``user`` the measure in force on them in
    ``community``: when, why, and that they can ask the managers."""
    key = community.translation_key
    if measure.removed_at is not None:
        removed = (
            Membership.objects.filter(
                user=user,
                community__translation_key=key,
                end_reason=EndReason.REMOVED,
                readmitted_at__isnull=True,
            )
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
            Membership.objects.filter(
                user=user, community__translation_key=key, suspended_until__gt=timezone.now()
            )
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


def _community_key_filter(community):
    return {"community__translation_key": community.translation_key, "left_at__isnull": True}


@transaction.atomic
def join(user, community, role=Role.PARTICIPANT, *, signed_by="", act_date=None, act_file=None):
    """``user`` joins ``community`` as participant or designated participant."""
    if not registration.is_registered(user):
        _deny(_("Complete your registration to the Community before joining a community."))
    if permissions.role_in(user, community) is not None:
        raise ValidationError(_("You are already a member of this community."), code="already")
    measure = permissions.measure_in(user, community)
    if measure is not None and measure.blocks_join:
        _refuse_for_measure(user, community, measure)
    if not access.can(user, Action.JOIN, community):
        _deny(_("You cannot join this community."))
    if role not in (Role.PARTICIPANT, Role.DESIGNATED):
        _deny(_("Coordinators and the support team are appointed by the editorial staff."))
    if role == Role.DESIGNATED and measure is not None and measure.revoked_at is not None:
        _refuse_for_measure(user, community, measure)
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
    audit.record("communities.join", membership, actor=user, data={"role": role})
    if designation is not None:
        designation.membership = membership
        designation.save()
        _record_declared(user, designation)
    access.forget(user)
    return membership


def _record_declared(user, designation):
    audit.record(
        "communities.designation_declared",
        designation,
        actor=user,
        data={"membership": designation.membership_id, "signed_by": designation.signed_by},
    )


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
    membership.end_reason = EndReason.LEFT
    membership.save(update_fields=["left_at", "end_reason"])
    audit.record("communities.leave", membership, actor=user)
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
    back to participant leaves the community's working groups. A member whose designation was
    revoked may not declare it again until a manager re-opens it."""
    if not access.can(user, Action.SWITCH_ROLE, community):
        measure = permissions.measure_in(user, community)
        if measure is not None:
            _refuse_for_measure(user, community, measure)
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
            declared = existing
        else:
            fresh.membership = membership
            fresh.save()
            declared = fresh
    else:
        _leave_working_groups(user, membership.community, now)
    previous = membership.role
    membership.role = role
    membership.role_changed_at = now
    membership.save(update_fields=["role", "role_changed_at"])
    audit.record(
        "communities.switch_role", membership, actor=user, data={"from": previous, "to": role}
    )
    if role == Role.DESIGNATED:
        _record_declared(user, declared)
    access.forget(user)
    return membership


@transaction.atomic
def request_designation_copy(actor, designation):
    if not access.can(actor, Action.REQUEST_DESIGNATION_COPY, designation):
        _deny(_("You cannot handle the designations of this community."))
    designation.status = Designation.Status.COPY_REQUESTED
    designation.copy_requested_at = timezone.now()
    designation.copy_requested_by = actor
    designation.save(update_fields=["status", "copy_requested_at", "copy_requested_by"])
    _record_designation("communities.designation_copy_requested", actor, designation)
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
    return designation


@transaction.atomic
def reopen_designation(actor, designation):
    """A manager re-opens a revoked designation: the member may declare it again."""
    if not access.can(actor, Action.VERIFY_DESIGNATION, designation):
        _deny(_("You cannot handle the designations of this community."))
    if not designation.blocks_declaring:
        raise ValidationError(
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


# --- The managers' measures: removal and suspension --------------------------------------------


def _reason(reason, field="reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {field: _("Write the reason: the member will read it.")}, code="required"
        )
    if len(reason) > 1000:
        raise ValidationError({field: _("Write at most 1000 characters.")}, code="max_length")
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
        raise ValidationError(
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
        raise ValidationError(
            {"until": _("The suspension must end in the future.")}, code="invalid"
        )
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
        raise ValidationError(_("This member is not suspended."), code="nothing_pending")
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
    removed = Membership.objects.select_for_update().filter(
        user_id=membership.user_id,
        community__translation_key=community.translation_key,
        end_reason=EndReason.REMOVED,
        readmitted_at__isnull=True,
        left_at__isnull=False,
    )
    if not removed.exists():
        raise ValidationError(
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


# --- The member asks the managers; the managers decide -----------------------------------------

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
    rows = Membership.objects.filter(
        user=user, community__translation_key=community.translation_key
    ).select_related("community")
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
        raise ValidationError(
            _("You have already asked the managers: they will answer you."), code="already"
        )
    request = MemberRequest(membership=membership, kind=kind, message=(message or "").strip())
    request.full_clean(exclude=["membership"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        raise ValidationError(
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
        raise ValidationError(_("This request has already been answered."), code="nothing_pending")
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": _("Write at most 1000 characters.")}, code="max_length")
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
    return member_request


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


# --- Staff assign roles (the admin) ------------------------------------------------------------


@transaction.atomic
def assign_role(actor, membership, role, support_kind=""):
    """Staff appoint a coordinator or the support team, or give a member back a member role
    (from the admin). Going back to participant leaves the community's working groups."""
    if not access.can(actor, Action.ASSIGN_COORDINATOR, membership.community):
        _deny(_("Only the editorial staff assign the roles of a community."))
    previous = Membership.objects.values_list("role", flat=True).get(pk=membership.pk)
    membership.role = role
    membership.support_kind = support_kind if role == Role.SUPPORT else ""
    membership.full_clean(exclude=["user", "community"])
    if role == Role.PARTICIPANT and previous != Role.PARTICIPANT:
        _leave_working_groups(membership.user, membership.community, timezone.now())
    membership.role_changed_at = timezone.now()
    membership.save(update_fields=["role", "support_kind", "role_changed_at"])
    if previous != role:
        audit.record(
            "communities.role_assigned",
            membership,
            actor=actor,
            data={"member": membership.user_id, "from": previous, "to": role},
        )
    access.forget(membership.user)
    return membership


# --- Working groups ---------------------------------------------------------------------------


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
        raise ValidationError(
            _("Only designated participants of the community can be invited."),
            code="not_designated",
        )
    membership = WorkingGroupMembership.objects.create(
        user=invitee, group=group, status=WGStatus.INVITED, invited_by=actor
    )
    _record_group("communities.wg_invite", actor, membership)
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
    return membership


def _open_membership(user, group, status):
    membership = WorkingGroupMembership.objects.filter(
        user=user, group=group, status=status
    ).first()
    if membership is None:
        raise ValidationError(_("There is nothing to answer."), code="nothing_pending")
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


def record_members_export(actor, community, rows: int, filters: dict):
    """A manager exported the members list of ``community`` (who, what, how many rows)."""
    audit.record(
        "communities.members_exported",
        community,
        actor=actor,
        data={"rows": rows, "filters": {k: v for k, v in filters.items() if v}},
    )
