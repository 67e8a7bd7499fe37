"""The Accademia's part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``).

Erasure deletes the member's enrolments; their badges stay without them (no member, no holder's
name, no credential: the credential carried the salted hash of their address), so the
verification page can still tell whoever holds a copy that the badge was issued and whether it
was revoked. The completions and revocations a staff member recorded stay, without their name.
"""

from __future__ import annotations

from django.utils import timezone

from membership.erasure import register_eraser
from membership.export import register_exporter

from .models import Enrolment, IssuedBadge


def _iso(value):
    return value.isoformat() if value else None


@register_exporter(
    "academy_enrolments",
    covers=["academy.Enrolment.user", "academy.Enrolment.completion_recorded_by"],
)
def export_enrolments(user):
    enrolments = Enrolment.objects.filter(user=user).select_related("edition__course")
    return [
        {
            "course": {"code": e.edition.course.code, "title": e.edition.course.title},
            "edition": e.edition.name,
            "status": e.status,
            "enrolled_at": _iso(e.created_at),
            "promoted_at": _iso(e.promoted_at),
            "cancelled_at": _iso(e.cancelled_at),
            "completed_on": _iso(e.completed_on),
            "completion_source": e.completion_source,
            "hours": str(e.hours) if e.hours is not None else None,
        }
        for e in enrolments.order_by("created_at")
    ]


@register_exporter(
    "academy_badges", covers=["academy.IssuedBadge.user", "academy.IssuedBadge.revoked_by"]
)
def export_badges(user):
    return [
        {
            "id": str(badge.uuid),
            "badge": badge.name,
            "issued_at": _iso(badge.issued_at),
            "revoked_at": _iso(badge.revoked_at),
            "revocation_reason": badge.revocation_reason,
            "show_name": badge.show_name,
            "credential": badge.credential,
        }
        for badge in IssuedBadge.objects.filter(user=user).order_by("issued_at")
    ]


@register_exporter("academy_imports", covers=["academy.CompletionImport.actor"])
def export_imports(user):
    """The completion imports a staff member made (file name, date, figures)."""
    from .models import CompletionImport

    return [
        {
            "imported_at": _iso(record.created_at),
            "filename": record.filename,
            "rows": record.rows,
            "completed": record.completed,
        }
        for record in CompletionImport.objects.filter(actor=user).order_by("created_at")
    ]


@register_eraser(
    "academy",
    covers=[
        "academy.Enrolment.user",
        "academy.Enrolment.completion_recorded_by",
        "academy.IssuedBadge.user",
        "academy.IssuedBadge.revoked_by",
        "academy.CompletionImport.actor",
    ],
)
def erase_academy(user):
    from .services import promote

    Enrolment.objects.filter(completion_recorded_by=user).update(completion_recorded_by=None)
    IssuedBadge.objects.filter(revoked_by=user).update(revoked_by=None)
    from .models import CompletionImport

    CompletionImport.objects.filter(actor=user).update(actor=None)
    IssuedBadge.objects.filter(user=user).update(
        user=None,
        enrolment=None,
        credential={},
        holder_name="",
        show_name=False,
        erased_at=timezone.now(),
    )
    editions = {
        e.edition
        for e in Enrolment.objects.filter(
            user=user, status=Enrolment.Status.ENROLLED
        ).select_related("edition")
    }
    Enrolment.objects.filter(user=user).delete()
    for edition in editions:
        if edition.enrolment_closes_on >= timezone.localdate():
            promote(edition)
