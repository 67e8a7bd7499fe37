"""The events' rules, registered with ``cms.access`` (``EventsConfig.ready``).

- ``register_event``: a registered SPID/CIE member (``membership.registration.is_registered``)
  who may see the event page (``cms.access.can_view_page``: a members-only event sits under the
  reserved area's or working group's view restriction), when the event takes registrations on
  the portal. Whether registration is still open, full or already done is the state of the
  event, answered by the services (409), not a permission.
- ``manage_event`` (the organiser: registrants, waiting list, attendance): who may edit the page
  in Wagtail (``page.permissions_for_user(user).can_edit()``), i.e. the staff editors outside
  the reserved spaces and, inside a community, its coordinators and support team through their
  per-community page permissions; they must also see the page.

Targets in ``docs/permissions.md``: *public event* (a community's public event) and
*members-only event* (an event in the community's reserved area).
"""

from __future__ import annotations

from cms import access
from membership.registration import is_registered

from .models import RegistrableEvent


class Action:
    REGISTER_EVENT = "register_event"
    MANAGE_EVENT = "manage_event"
    EVENT = (REGISTER_EVENT, MANAGE_EVENT)


def _decide(user, action, page) -> bool:
    if not isinstance(page, RegistrableEvent) or not access.can_view_page(user, page):
        return False
    if action == Action.REGISTER_EVENT:
        return bool(page.registration_enabled and is_registered(user))
    return bool(page.permissions_for_user(user).can_edit())


def install() -> None:
    access.register(Action.EVENT, _decide)


def visible_events(user, queryset):
    """The live event pages of ``queryset`` that ``user`` may see."""
    return access.visible_pages(user, queryset)
