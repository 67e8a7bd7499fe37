"""Template helpers of the community pages (people of a community, role labels)."""

from __future__ import annotations

from django import template
from django.db.models import Case, IntegerField, Value, When

from communities.models import Membership

register = template.Library()


@register.simple_tag
def community_people(community):
    """Number of members, coordinators and support team of ``community`` (two queries).

    Coordinators and the support team are public roles: they are listed whatever their
    directory choice.
    """
    active = Membership.objects.current().of(community)
    managers = list(
        active.managers()
        .select_related("user", "user__ente")
        .annotate(
            kind_order=Case(
                When(support_kind=Membership.SupportKind.ANCI_DTD, then=Value(0)),
                When(support_kind=Membership.SupportKind.NATIONAL, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("kind_order", "user__last_name", "user__first_name", "pk")
    )
    return {
        "count": active.count(),
        "coordinators": [m for m in managers if m.role == Membership.Role.COORDINATOR],
        "support": [m for m in managers if m.role == Membership.Role.SUPPORT],
    }


@register.filter
def role_label(role):
    """The human label of a membership role code (``"designated"`` → "Designated participant")."""
    try:
        return Membership.Role(role).label
    except ValueError:
        return ""
