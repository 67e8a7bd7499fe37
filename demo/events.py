"""Demo events for ``manage.py load_demo``: a public event of the Cybersicurezza community, a
members-only one that is full with a waiting list, and a past one with its minutes and the
attendance recorded (``demo/data/events.toml``).

Idempotent like the rest of the demo: an event is looked up by slug under its parent and left
as it is. Registrations are written directly (no confirmation emails for demo content), one
per person and event.
"""

from __future__ import annotations

from datetime import timedelta

from communities.models import CommunityAreaPage, CommunityPage
from events.models import EventPage, Registration

from .content import load
from .discussions import CYBER, _users


def load_events(builder) -> int:
    """Create the demo events that are missing; the number created."""
    community = CommunityPage.objects.get(slug=CYBER, locale=builder.it)
    parents = {"community": community, "area": CommunityAreaPage.objects.child_of(community).get()}
    users = _users()
    created = 0
    for spec in load("events")["events"]:
        parent = parents[spec["parent"]]
        if parent.get_children().filter(slug=spec["slug"]).exists():
            continue
        event = _event(builder, parent, spec)
        _registrations(event, spec, users, past=event.end < builder.now)
        created += 1
    return created


def _event(builder, parent, spec) -> EventPage:
    day = builder.today + timedelta(days=spec["days_from_now"])
    start = builder.at(day, *spec["start"])
    end = builder.at(day, *spec["end"])
    event = EventPage(
        slug=spec["slug"],
        locale=builder.it,
        title=spec["title"],
        summary=spec["summary"],
        description=spec["description"],
        start=start,
        end=end,
        mode=spec["mode"],
        location=spec.get("location", ""),
        online_url=spec.get("online_url", ""),
        capacity=spec.get("capacity"),
        minutes=spec.get("minutes", ""),
        recording_url=spec.get("recording_url", ""),
        first_published_at=min(start - timedelta(days=30), builder.now),
        live=False,
    )
    parent.add_child(instance=event)
    event.save_revision().publish()
    return event


def _registrations(event, spec, users, *, past) -> None:
    attended = set(spec.get("attended", []))
    rows = []
    for offset, key in enumerate(spec.get("registered", []) + spec.get("waiting", [])):
        user = users.get(key)
        if user is None:
            continue
        status = (
            Registration.Status.WAITING
            if key in spec.get("waiting", [])
            else Registration.Status.REGISTERED
        )
        rows.append(
            Registration(
                page=event,
                user=user,
                status=status,
                created_at=event.first_published_at + timedelta(days=1, minutes=offset),
                attended=(key in attended) if past else None,
                attended_recorded_at=event.end if past else None,
            )
        )
    Registration.objects.bulk_create(rows)
