"""The segment a response is counted in: the region, kind and population class of the authority
it is for, and the respondent's position (``membership.User.Position``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from membership.enti import population_class

from .models import Segment


def segment_for(user, ente) -> Segment:
    values = {
        "region": (ente.region if ente else "")[:64],
        "ente_kind": ente.kind if ente else "",
        "population_class": population_class(ente.population) if ente else "",
        "position": getattr(user, "position", "") or "",
    }
    segment = Segment.objects.filter(**values).first()
    if segment is not None:
        return segment
    try:
        with transaction.atomic():
            return Segment.objects.create(**values)
    except IntegrityError:  # created meanwhile by a concurrent response
        return Segment.objects.get(**values)
