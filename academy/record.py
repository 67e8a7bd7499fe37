"""Reads of a member's learning record (La mia area > Accademia, the enrol/cancel box of a
course's editions): my enrolments with the waiting-list position, my hours, my badges."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Enrolment, IssuedBadge

Status = Enrolment.Status


def _ahead_in_line():
    """How many members wait before the enrolment of the outer query (same edition)."""
    ahead = (
        Enrolment.objects.filter(edition=OuterRef("edition"), status=Status.WAITING)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("edition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first in line; ``None`` for an enrolment that is not waiting."""
    if enrolment.status != Status.WAITING:
        return None
    ahead = Enrolment.objects.filter(edition_id=enrolment.edition_id, status=Status.WAITING).filter(
        Q(created_at__lt=enrolment.created_at)
        | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


def learning_record(user) -> dict:
    """``enrolled``, ``waiting`` (each with ``position``), ``completed`` (latest first),
    ``hours`` (the sum of the completed enrolments' hours) and ``badges`` (latest first)."""
    enrolments = list(
        Enrolment.objects.live()
        .filter(user=user)
        .select_related("edition__course")
        .annotate(ahead=_ahead_in_line())
        .order_by("-created_at", "-pk")
    )
    for enrolment in enrolments:
        enrolment.position = enrolment.ahead + 1 if enrolment.status == Status.WAITING else None
    completed = sorted(
        (e for e in enrolments if e.status == Status.COMPLETED),
        key=lambda e: (e.completed_on, e.pk),
        reverse=True,
    )
    badges = list(
        IssuedBadge.objects.filter(user=user).select_related("course").order_by("-issued_at", "-pk")
    )
    by_enrolment = {badge.enrolment_id: badge for badge in badges}
    for enrolment in completed:
        enrolment.issued_badge = by_enrolment.get(enrolment.pk)
    return {
        "enrolled": [e for e in enrolments if e.status == Status.ENROLLED],
        "waiting": [e for e in enrolments if e.status == Status.WAITING],
        "completed": completed,
        "hours": sum((e.hours or Decimal(0) for e in completed), Decimal(0)),
        "badges": badges,
    }
