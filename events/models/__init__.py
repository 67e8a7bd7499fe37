"""The events' models: the mixin every registrable event page uses (``RegistrableEvent``: portal
and community events here, webinars in ``webinars``), the event pages, the registrations and the
members' private calendar feed tokens."""

from .pages import EventIndexPage, EventPage, RegistrableEvent, event_models
from .registrations import CalendarFeedToken, Registration

__all__ = [
    "CalendarFeedToken",
    "EventIndexPage",
    "EventPage",
    "RegistrableEvent",
    "Registration",
    "event_models",
]
