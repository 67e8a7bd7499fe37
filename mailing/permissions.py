"""The mailing list's rule: who may announce to a community or a working group (and see the
deliveries of its announcements).

``announce`` takes a community page, its reserved area, a working group page or an announcement
below them: the community's coordinator and support team, staff (the editors) and superusers.
Registered with ``cms.access`` when the app is ready; a row of docs/permissions.md.
"""

from __future__ import annotations

from cms import access
from communities import permissions as community_permissions
from communities.models import Membership


class Action:
    ANNOUNCE = "announce"


def decide(user, action, obj) -> bool:
    if user.is_superuser or access.is_staff(user):
        return True
    return community_permissions.role_in(user, obj) in Membership.MANAGER_ROLES


def install() -> None:
    access.register([Action.ANNOUNCE], decide)
