"""Template helpers about members: how their authority is shown to other people."""

from __future__ import annotations

from django import template

from membership.enti import ente_label as _ente_label

register = template.Library()


@register.filter
def ente_label(ente) -> str:
    """``{{ user.ente|ente_label }}``: "Name (PR)", "Name (PR) (in verifica)" while a proposed
    authority awaits approval, "" when there is none or it was rejected (membership/enti.py)."""
    return _ente_label(ente)
