"""Who may see the participation figures: ``view_figures``.

On a community (its page, or any page inside it): the community's coordinator and support team,
and staff. On the whole portal (``obj`` is ``None``): staff only. The figures are aggregates
(no person in them), but they describe a community's life: its managers and the programme's
staff answer for them. Registered with ``cms.access`` when the app is ready
(``ReportsConfig.ready``); docs/permissions.md holds the rows, tested cell by cell.
"""

from __future__ import annotations

from cms import access
from communities import permissions as communities
from communities.models import Membership


class Action:
    VIEW_FIGURES = "view_figures"
    #: The rows of the permission matrix whose target is a community.
    COMMUNITY = (VIEW_FIGURES,)
    #: The rows whose target is the whole portal (``obj`` is ``None``).
    PORTAL = (VIEW_FIGURES,)


def decide(user, action: str, obj) -> bool:
    """``view_figures``: staff everywhere; a community's managers on their community."""
    if user.is_superuser or access.is_staff(user):
        return True
    if obj is None:
        return False
    return communities.role_in(user, obj) in Membership.MANAGER_ROLES


def install() -> None:
    """Answer ``view_figures`` in ``cms.access.can`` (``ReportsConfig.ready``)."""
    access.register([Action.VIEW_FIGURES], decide)
