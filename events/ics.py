"""The one iCalendar builder of the portal's events and webinars: the ``.ics`` download of one
event, the attachment of the confirmation emails, and the calendar feeds (portal, community,
private per member).

An event's UID is stable across edits and translations (``<prefix>-<translation_key>``), so a
calendar application updates the entry it already has instead of adding a second one.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from icalendar import Calendar, Event, vText

PRODID = "-//Community dei Comuni Digitali//Eventi//IT"
UID_DOMAIN = "comunidigitali"


def uid_for(page) -> str:
    prefix = getattr(page, "ics_uid_prefix", "event")
    return f"{prefix}-{page.translation_key}@{UID_DOMAIN}"


def _location(page, *, with_link: bool) -> str:
    if page.location:
        if with_link and page.online_url:
            return f"{page.location} · {page.online_url}"
        return page.location
    if with_link and page.online_url:
        return page.online_url
    external = getattr(page, "registration_url", "")
    if external and not page.registration_enabled:
        return external
    return page.full_url or "Online"


def event_component(page, *, with_link: bool = False, status: str | None = None) -> Event:
    """The VEVENT of ``page`` (a ``RegistrableEvent`` page). ``with_link``: include the online
    link (only for registered members: the confirmation and their own download)."""
    event = Event()
    event.add("uid", uid_for(page))
    event.add("summary", page.title)
    event.add("dtstart", timezone.localtime(page.start))
    event.add("dtend", timezone.localtime(page.end))
    event.add("dtstamp", page.last_published_at or timezone.now())
    url = page.full_url or ""
    if url:
        event.add("url", url)
    event["location"] = vText(_location(page, with_link=with_link))
    description = page.summary or strip_tags(getattr(page, "description", "") or "")[:500]
    if description:
        event.add("description", description.strip())
    if status:
        event.add("status", status)
    return event


def calendar(pages, *, name: str | None = None, method: str = "PUBLISH", with_link=False):
    """A VCALENDAR with one VEVENT per page, as bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    for page in pages:
        cal.add_component(event_component(page, with_link=with_link))
    return cal.to_ical()


def filename_for(page) -> str:
    prefix = getattr(page, "ics_uid_prefix", "event")
    return f"{prefix}-{slugify(page.slug)[:60]}.ics"


def response(content: bytes, filename: str | None = None) -> HttpResponse:
    """An ``text/calendar`` response; a download when ``filename`` is given (a feed otherwise)."""
    http = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        http["Content-Disposition"] = f'attachment; filename="{filename}"'
    return http


def download(page, *, with_link=False) -> HttpResponse:
    """The ``.ics`` download of one event."""
    return response(calendar([page], with_link=with_link), filename_for(page))
