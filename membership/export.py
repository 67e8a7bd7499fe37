"""Export of a member's own data (``/profilo/dati.json``).

Every app contributes its section by registering an exporter: a callable that takes the user and
returns something JSON-serialisable (dates become ISO strings)::

    from membership.export import register_exporter

    @register_exporter("topics")
    def export_topics(user):
        return [{"title": t.title, "created_at": t.created_at} for t in user.topics.all()]

Register from the app's ``AppConfig.ready()`` (or a module it imports) so the exporter exists
before the first request. ``covers`` names the relations to the user model that the section
exports (``"app_label.Model.field"``): ``tests/membership/test_personal_data.py`` fails when a
relation is neither covered by an exporter nor declared with a reason
(``membership.gdpr.declare``), so that no model holding personal data is forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

Exporter = Callable[[Any], Any]

_EXPORTERS: dict[str, Exporter] = {}
_COVERS: dict[str, tuple[str, ...]] = {}


def register_exporter(section: str, *, covers: tuple[str, ...] | list[str] = ()):
    """Decorator: add ``section`` to every member's data export; ``covers`` lists the relations
    to the user model (``"app_label.Model.field"``) whose rows the section exports."""

    def decorator(func: Exporter) -> Exporter:
        _EXPORTERS[section] = func
        _COVERS[section] = tuple(covers)
        return func

    return decorator


def unregister_exporter(section: str):
    _EXPORTERS.pop(section, None)
    _COVERS.pop(section, None)


def exporters() -> dict[str, Exporter]:
    return dict(_EXPORTERS)


def covered_relations() -> dict[str, str]:
    """``{relation: section}`` for every relation an exporter declares it covers."""
    return {relation: section for section, names in _COVERS.items() for relation in names}


def export_user_data(user) -> dict:
    """The whole export: metadata plus one key per registered section."""
    data = {"exported_at": timezone.now().isoformat(), "format_version": 1}
    for section, func in _EXPORTERS.items():
        data[section] = func(user)
    return data


def _iso(value):
    return value.isoformat() if value else None


@register_exporter("user")  # the user row itself
def export_user(user):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "fiscal_number": user.fiscal_number,
        "email": user.email,
        "contact_email": user.contact_email,
        "phone": user.phone,
        "office": user.office,
        "position": user.position,
        "position_label": str(user.get_position_display()) if user.position else "",
        "show_in_directory": user.show_in_directory,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "last_login_method": user.last_login_method,
        "onboarded_at": _iso(user.onboarded_at),
    }


@register_exporter("ente")
def export_ente(user):
    ente = user.ente
    if ente is None:
        return None
    data = {
        "name": ente.name,
        "kind": ente.kind,
        "istat_code": ente.istat_code,
        "ipa_code": ente.ipa_code,
        "region": ente.region,
        "province": ente.province,
        "province_code": ente.province_code,
        "status": ente.status,
    }
    data["proposed_by_me"] = ente.proposed_by_id == user.pk
    return data


@register_exporter("consents", covers=["membership.Consent.user"])
def export_consents(user):
    return [
        {"document": c.kind, "version": c.version, "accepted_at": _iso(c.accepted_at)}
        for c in user.consents.order_by("accepted_at", "kind")
    ]
