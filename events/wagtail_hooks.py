"""What the events add to the other apps' extension points: the upcoming events of the
members' digest (``portal_digest_sections``, read by ``mailing``)."""

from __future__ import annotations

from wagtail import hooks

from .digest import upcoming_events


@hooks.register("portal_digest_sections")
def events_digest_section(users, since, until):
    return upcoming_events(users, since, until)
