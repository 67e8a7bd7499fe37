"""The communities' part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``, the map in ``membership.gdpr``): memberships and
their history, designations and their appointment acts, working groups.

Appointment acts leave the storage with their designation, and a replaced act leaves it as soon
as the new one is stored, whatever replaced it (the member's pages, the API, the admin):
``act_replaced`` and ``act_deleted`` below. Files replaced before that rule existed are removed
by ``manage.py purge_orphan_act_files``.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from cms import access
from membership.erasure import register_eraser
from membership.export import register_exporter
from membership.gdpr import anonymise_audit_labels, declare

from .models import (
    Designation,
    MemberRequest,
    Membership,
    SupportApplication,
    WorkingGroupMembership,
)

logger = logging.getLogger("communities")

WGStatus = WorkingGroupMembership.Status


def _iso(value):
    return value.isoformat() if value else None


def _page(page):
    return {"id": page.pk, "title": page.title}


def act_url(designation) -> str:
    """Where the member downloads their appointment act (through the access policy)."""
    path = reverse("communities:designation_act", args=[designation.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _designation(designation):
    return {
        "signed_by": designation.signed_by,
        "signed_by_label": str(designation.get_signed_by_display()),
        "act_date": _iso(designation.act_date),
        "status": designation.status,
        "declared_at": _iso(designation.declared_at),
        "copy_requested_at": _iso(designation.copy_requested_at),
        "verified_at": _iso(designation.verified_at),
        "revoked_at": _iso(designation.revoked_at),
        "revocation_reason": designation.revocation_reason,
        "reopened_at": _iso(designation.reopened_at),
        "act_file": act_url(designation) if designation.act_file else None,
    }


# --- Export -----------------------------------------------------------------------------------


@register_exporter("memberships", covers=["communities.Membership.user"])
def export_memberships(user):
    """Every membership, the ended ones too (each join is a row: the history), with the
    designation and a link to download the appointment act."""
    rows = []
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("community", "designation")
        .order_by("joined_at", "pk")
    )
    for membership in memberships:
        designation = getattr(membership, "designation", None)
        rows.append(
            {
                "community": _page(membership.community),
                "role": membership.role,
                "role_label": str(membership.get_role_display()),
                "support_kind": membership.support_kind,
                "joined_at": _iso(membership.joined_at),
                "role_changed_at": _iso(membership.role_changed_at),
                "left_at": _iso(membership.left_at),
                "end_reason": membership.end_reason,
                "removal_reason": membership.removal_reason,
                "readmitted_at": _iso(membership.readmitted_at),
                "suspended_at": _iso(membership.suspended_at),
                "suspended_until": _iso(membership.suspended_until),
                "suspension_reason": membership.suspension_reason,
                "active": membership.is_active,
                "designation": _designation(designation) if designation else None,
            }
        )
    return rows


@register_exporter("requests_to_managers", covers=[])
def export_requests(user):
    """What the member asked the managers (readmission, end of a suspension, re-opening of a
    designation) and the answers they got."""
    return [
        {
            "community": _page(row.membership.community),
            "kind": row.kind,
            "message": row.message,
            "status": row.status,
            "created_at": _iso(row.created_at),
            "decided_at": _iso(row.decided_at),
            "decision_note": row.decision_note,
        }
        for row in MemberRequest.objects.filter(membership__user=user)
        .select_related("membership__community")
        .order_by("created_at", "pk")
    ]


@register_exporter("support_applications", covers=["communities.SupportApplication.user"])
def export_support_applications(user):
    """The member's applications to support teams, with the answers."""
    return [
        {
            "community": _page(row.community),
            "motivation": row.motivation,
            "status": row.status,
            "created_at": _iso(row.created_at),
            "decided_at": _iso(row.decided_at),
            "decision_note": row.decision_note,
        }
        for row in SupportApplication.objects.filter(user=user)
        .select_related("community")
        .order_by("created_at", "pk")
    ]


@register_exporter("working_groups", covers=["communities.WorkingGroupMembership.user"])
def export_working_groups(user):
    return [
        {
            "group": _page(row.group),
            "role": row.role,
            "status": row.status,
            "invited": row.invited_by_id is not None,
            "created_at": _iso(row.created_at),
            "responded_at": _iso(row.responded_at),
            "left_at": _iso(row.left_at),
        }
        for row in WorkingGroupMembership.objects.filter(user=user)
        .select_related("group")
        .order_by("created_at", "pk")
    ]


@register_exporter(
    "working_group_invitations_sent", covers=["communities.WorkingGroupMembership.invited_by"]
)
def export_invitations_sent(user):
    """Invitations the member sent as a manager (not whom: that is the invitee's data)."""
    return [
        {"group": _page(row.group), "created_at": _iso(row.created_at), "status": row.status}
        for row in WorkingGroupMembership.objects.filter(invited_by=user)
        .select_related("group")
        .order_by("created_at", "pk")
    ]


@register_exporter(
    "designations_handled",
    covers=[
        "communities.Designation.copy_requested_by",
        "communities.Designation.verified_by",
        "communities.Designation.revoked_by",
    ],
)
def export_designations_handled(user):
    """What the member did, as a manager, to other members' designations."""
    rows = []
    designations = (
        Designation.objects.filter(
            Q(copy_requested_by=user) | Q(verified_by=user) | Q(revoked_by=user)
        )
        .select_related("membership__community")
        .order_by("declared_at", "pk")
    )
    for designation in designations:
        for action, by, at in (
            ("copy_requested", designation.copy_requested_by_id, designation.copy_requested_at),
            ("verified", designation.verified_by_id, designation.verified_at),
            ("revoked", designation.revoked_by_id, designation.revoked_at),
        ):
            if by == user.pk:
                rows.append(
                    {
                        "designation_id": designation.pk,
                        "community": _page(designation.membership.community),
                        "action": action,
                        "at": _iso(at),
                    }
                )
    return rows


@register_exporter(
    "measures_taken",
    covers=[
        "communities.Designation.reopened_by",
        "communities.Membership.removed_by",
        "communities.Membership.readmitted_by",
        "communities.Membership.suspended_by",
        "communities.MemberRequest.decided_by",
    ],
)
def export_measures_taken(user):
    """What the member did, as a manager, to other members' memberships: removals,
    readmissions, suspensions, re-opened designations, requests decided (not to whom)."""
    rows = []
    memberships = (
        Membership.objects.filter(Q(removed_by=user) | Q(readmitted_by=user) | Q(suspended_by=user))
        .select_related("community")
        .order_by("joined_at", "pk")
    )
    for membership in memberships:
        for action, by, at in (
            ("removed", membership.removed_by_id, membership.left_at),
            ("readmitted", membership.readmitted_by_id, membership.readmitted_at),
            ("suspended", membership.suspended_by_id, membership.suspended_at),
        ):
            if by == user.pk:
                rows.append(
                    {"community": _page(membership.community), "action": action, "at": _iso(at)}
                )
    for designation in Designation.objects.filter(reopened_by=user).select_related(
        "membership__community"
    ):
        rows.append(
            {
                "community": _page(designation.membership.community),
                "action": "designation_reopened",
                "at": _iso(designation.reopened_at),
            }
        )
    for request in MemberRequest.objects.filter(decided_by=user).select_related(
        "membership__community"
    ):
        rows.append(
            {
                "community": _page(request.membership.community),
                "action": f"request_{request.status}",
                "at": _iso(request.decided_at),
            }
        )
    return rows


# --- Erasure ----------------------------------------------------------------------------------


@register_eraser(
    "memberships",
    covers=[
        "communities.Membership.user",
        "communities.WorkingGroupMembership.user",
        "communities.SupportApplication.user",
    ],
)
def end_memberships(user):
    """Memberships end (so they leave every count, listing and export of the community), open
    working-group invitations and requests are declined, designations and their acts are
    deleted. The ended rows stay, anonymous, for the communities' history."""
    now = timezone.now()
    for row in WorkingGroupMembership.objects.open().filter(user=user):
        row.status = WGStatus.LEFT if row.status == WGStatus.ACTIVE else WGStatus.DECLINED
        row.left_at = now
        row.save(update_fields=["status", "left_at"])
    for membership in Membership.objects.current().filter(user=user):
        membership.left_at = now
        membership.save(update_fields=["left_at"])
        # The apps above (the mailing list) drop the member too, once the erasure commits.
        _membership_ended_on_commit(membership)
    designations = list(Designation.objects.filter(membership__user=user))
    anonymise_audit_labels(Designation, [d.pk for d in designations])
    for designation in designations:
        designation.delete()  # ``act_deleted`` removes the file once the erasure commits
    # What the member wrote to the managers, and what managers wrote about them, goes; the
    # measures' dates and outcomes stay with the anonymous rows.
    MemberRequest.objects.filter(membership__user=user).update(message="", decision_note="")
    SupportApplication.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).update(removal_reason="", suspension_reason="")
    anonymise_audit_labels(
        Membership, Membership.objects.filter(user=user).values_list("pk", flat=True)
    )
    anonymise_audit_labels(
        WorkingGroupMembership,
        WorkingGroupMembership.objects.filter(user=user).values_list("pk", flat=True),
    )
    access.forget(user)


def _membership_ended_on_commit(membership):
    from .signals import membership_ended

    transaction.on_commit(lambda: membership_ended.send(sender=Membership, membership=membership))


_MANAGER_ACTION = (
    "a manager's action on another member's record: it stays with that record, linked to the "
    "anonymised account (no name remains)"
)
for _relation in (
    "communities.Designation.copy_requested_by",
    "communities.Designation.verified_by",
    "communities.Designation.revoked_by",
    "communities.Designation.reopened_by",
    "communities.Membership.removed_by",
    "communities.Membership.readmitted_by",
    "communities.Membership.suspended_by",
    "communities.MemberRequest.decided_by",
    "communities.SupportApplication.decided_by",
    "communities.WorkingGroupMembership.invited_by",
):
    declare(_relation, erase=_MANAGER_ACTION)

declare(
    "communities.SupportApplication.decided_by",
    export=(
        "a coordinator's answer to another member's application: part of the applicant's data "
        "(exported to them), not the coordinator's"
    ),
)


# --- Appointment acts in the storage ----------------------------------------------------------


def _delete_after_commit(storage, name):
    def delete():
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete the appointment act %s", name)

    transaction.on_commit(delete)


@receiver(pre_save, sender=Designation, dispatch_uid="communities_act_replaced")
def act_replaced(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new act replaces the old one: the old file goes once the change is committed."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "act_file" not in update_fields:
        return
    old = Designation.objects.filter(pk=instance.pk).values_list("act_file", flat=True).first()
    if old and old != instance.act_file.name:
        _delete_after_commit(instance.act_file.storage, old)


@receiver(post_delete, sender=Designation, dispatch_uid="communities_act_deleted")
def act_deleted(sender, instance, **kwargs):
    if instance.act_file:
        _delete_after_commit(instance.act_file.storage, instance.act_file.name)


def orphan_act_files(*, older_than: datetime.timedelta = datetime.timedelta(hours=1)):
    """Files in the acts' directory that no designation references (replaced or deleted before
    they were removed with it), older than ``older_than`` (a file being uploaded is stored
    before its designation row is committed)."""
    storage = Designation._meta.get_field("act_file").storage
    referenced = set(Designation.objects.exclude(act_file="").values_list("act_file", flat=True))
    cutoff = timezone.now() - older_than
    orphans = []

    def walk(directory):
        try:
            subdirs, files = storage.listdir(directory)
        except FileNotFoundError:
            return
        for sub in subdirs:
            walk(f"{directory}/{sub}")
        for name in files:
            path = f"{directory}/{name}"
            if path not in referenced and storage.get_modified_time(path) < cutoff:
                orphans.append(path)

    walk("designations")
    return sorted(orphans)
