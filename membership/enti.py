"""The registry of authorities as members see it: which Enti they may choose, search, and how
an authority is shown to other people (the JSON autocomplete endpoint is ``views/enti.py``)."""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from .models import Ente
from .population import (  # noqa: F401 - the population classes are part of this module's API
    POPULATION_CLASSES,
    population_class,
    population_class_choices,
)

MAX_RESULTS = 20
MIN_QUERY_LENGTH = 2
# "Name (PR)": how an authority is labelled (str(Ente)), e.g. what the autocomplete filled in.
LABEL_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<sigla>[A-Za-z]{2})\)$")


def selectable_enti(user=None):
    """Approved authorities, plus the ones ``user`` proposed that are still awaiting approval."""
    condition = Q(status=Ente.Status.APPROVED)
    if user is not None and user.is_authenticated:
        condition |= Q(status=Ente.Status.PENDING, proposed_by=user)
    return Ente.objects.filter(condition)


def search_enti(query, user=None, limit=MAX_RESULTS):
    """Authorities matching ``query``: by ISTAT or IPA code, or by name (names starting with the
    query first, then names containing it). At most ``limit`` results, in one query."""
    query = " ".join((query or "").split())
    if len(query) < MIN_QUERY_LENGTH:
        return []
    base = selectable_enti(user)
    label = LABEL_RE.match(query)
    if label:
        base = base.filter(province_code__iexact=label["sigla"])
        query = label["name"]
    if query.isdigit():
        matches = base.filter(istat_code__startswith=query)
    else:
        matches = base.filter(
            Q(name__icontains=query) | Q(ipa_code__iexact=query) | Q(istat_code__iexact=query)
        )
    ranked = matches.annotate(
        rank=Case(
            When(Q(ipa_code__iexact=query) | Q(istat_code__iexact=query), then=Value(0)),
            When(name__iexact=query, then=Value(1)),
            When(name__istartswith=query, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )
    return list(ranked.order_by("rank", "name", "province_code")[:limit])


def resolve_ente(text, user=None):
    """What a member typed in the authority field without JavaScript: the one authority it
    names, or the candidates to choose from. Returns ``(ente_or_None, candidates)``."""
    text = " ".join((text or "").split())
    if not text:
        return None, []
    candidates = search_enti(text, user)
    exact = [e for e in candidates if str(e).casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0], []
    codes = [
        e for e in candidates if text.casefold() in {e.istat_code or "", e.ipa_code.casefold()}
    ]
    if len(codes) == 1:
        return codes[0], []
    same_name = [e for e in candidates if e.name.casefold() == text.casefold()]
    if len(same_name) == 1:
        return same_name[0], []
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates


def is_verified(ente) -> bool:
    """Whether ``ente`` is in the registry as a fact: approved by staff. An authority a member
    proposed is shown "under verification" until staff approve it; a rejected one not at all."""
    return ente is not None and ente.status == Ente.Status.APPROVED


def ente_label(ente) -> str:
    """How an authority is shown next to a member's name to other people (discussions, member
    directories, exports): "Name (PR)" when approved, "Name (PR) (under verification)" while a
    proposal awaits staff, nothing when there is none or it was rejected."""
    if ente is None or ente.status == Ente.Status.REJECTED:
        return ""
    if ente.status == Ente.Status.PENDING:
        return _("%(ente)s (under verification)") % {"ente": ente}
    return str(ente)


def ente_public(ente) -> dict:
    """The authority of a member as the APIs show it to other people: ``ente`` (the name, or
    ``None``), ``ente_verified`` and ``ente_label`` (as ``ente_label``)."""
    shown = ente is not None and ente.status != Ente.Status.REJECTED
    return {
        "ente": ente.name if shown else None,
        "ente_verified": is_verified(ente) if shown else None,
        "ente_label": ente_label(ente) or None,
    }
