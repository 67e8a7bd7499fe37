"""The events' part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``): registrations (with attendance) and the private
calendar feed token."""

from __future__ import annotations

from membership.erasure import register_eraser
from membership.export import register_exporter

from .models import CalendarFeedToken, Registration


def _iso(value):
    return value.isoformat() if value else None


@register_exporter(
    "event_registrations",
    covers=["events.Registration.user", "events.Registration.attended_recorded_by"],
)
def export_registrations(user):
    registrations = Registration.objects.filter(user=user).select_related("page")
    return [
        {
            "event": {"id": registration.page_id, "title": registration.page.title},
            "status": registration.status,
            "registered_at": _iso(registration.created_at),
            "promoted_at": _iso(registration.promoted_at),
            "cancelled_at": _iso(registration.cancelled_at),
            "attended": registration.attended,
            "reminder_sent_at": _iso(registration.reminder_sent_at),
        }
        for registration in registrations.order_by("created_at")
    ]


@register_exporter("event_calendar_feed", covers=["events.CalendarFeedToken.user"])
def export_feed(user):
    token = CalendarFeedToken.objects.filter(user=user).first()
    if token is None:
        return None
    return {"created_at": _iso(token.created_at), "last_used_at": _iso(token.last_used_at)}


@register_eraser(
    "event_registrations",
    covers=[
        "events.Registration.user",
        "events.Registration.attended_recorded_by",
        "events.CalendarFeedToken.user",
    ],
)
def erase_registrations(user):
    """The member's registrations and feed token go; a place they held in an event still to
    come goes to the first member waiting; the attendance they recorded as an organiser stays,
    without their name."""
    from .selectors import specific_event
    from .services import promote

    Registration.objects.filter(attended_recorded_by=user).update(attended_recorded_by=None)
    held = set(
        Registration.objects.registered().filter(user=user).values_list("page_id", flat=True)
    )
    Registration.objects.filter(user=user).delete()
    CalendarFeedToken.objects.filter(user=user).delete()
    for page_id in held:
        page = specific_event(page_id)
        if page is not None:
            promote(page)
