"""What the events add to the core's and the other apps' extension points: the upcoming
events of the members' digest (``portal_digest_sections``, read by ``mailing``), the upcoming
events on the home page (``portal_home_context``)."""

from __future__ import annotations

from django.utils import timezone
from wagtail import hooks

from .digest import upcoming_events
from .models import EventPage


@hooks.register("portal_digest_sections")
def events_digest_section(users, since, until):
    return upcoming_events(users, since, until)


@hooks.register("portal_home_context")
def upcoming_portal_events(request, home_page, visible):
    upcoming = visible(EventPage).filter(end__gte=timezone.now()).order_by("start")[:3]
    return {"upcoming_events": list(upcoming)}
