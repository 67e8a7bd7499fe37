"""A member's own membership: join, leave, switch role (declaring a designation); staff assign
the managers' roles; a manager's export of the members list is recorded."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors
from membership import registration

from .. import notices, permissions, signals
from ..models import Designation, Membership
from ..permissions import Action
from ._common import EndReason, Role, _deny, _leave_working_groups, _send_on_commit
from .measures import _refuse_for_measure


@transaction.atomic
def join(user, community, role=Role.PARTICIPANT, *, signed_by="", act_date=None, act_file=None):
    """``user`` joins ``community`` as participant or designated participant."""
    if not registration.is_registered(user):
        _deny(_("Complete your registration to the Community before joining a community."))
    if permissions.role_in(user, community) is not None:
        raise errors.Conflict(_("You are already a member of this community."), code="already")
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
        raise errors.Conflict(
            _("You are already a member of this community."), code="already"
        ) from error
    audit.record("communities.join", membership, actor=user, data={"role": role})
    if designation is not None:
        designation.membership = membership
        designation.save()
        _record_declared(user, designation)
    access.forget(user)
    _send_on_commit(signals.membership_started, membership)
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
        .current()
        .of(community)
        .filter(user=user)
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
    _send_on_commit(signals.membership_ended, membership)
    return membership


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
        raise errors.Conflict(_("You already have this role."), code="same_role")
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
        notices.role_change(membership)
    access.forget(membership.user)
    return membership


def added_by_staff(actor, membership):
    """Staff added ``membership`` in the admin (usually appointing a coordinator or the support
    team): recorded, the member is told their role, and the membership begins for the apps
    above (the mailing list), once committed."""
    audit.record(
        "communities.role_assigned",
        membership,
        actor=actor,
        data={"member": membership.user_id, "from": None, "to": membership.role},
    )
    notices.role_change(membership)
    _send_on_commit(signals.membership_started, membership)
    return membership


def record_members_export(actor, community, rows: int, filters: dict):
    """A manager exported the members list of ``community`` (who, what, how many rows)."""
    audit.record(
        "communities.members_exported",
        community,
        actor=actor,
        data={"rows": rows, "filters": {k: v for k, v in filters.items() if v}},
    )
