"""The events' emails, through Django's task framework (enqueued on commit by the services; the
immediate backend in tests, the database backend and its worker in production).

- ``send_registration_email(registration_id, kind)``: ``confirmed`` and ``promoted`` (with the
  event's ``.ics``), ``waiting``, ``cancelled``;
- ``send_event_reminders()``: one reminder to each registered member of the events starting in
  the next 24 hours (``manage.py send_event_reminders``, hourly: docs/deploy.md). Idempotent: a
  registration is claimed by setting ``reminder_sent_at`` before its email is sent.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cms import access

from . import ics
from .models import Registration, event_models

logger = logging.getLogger(__name__)

REMINDER_WINDOW = datetime.timedelta(hours=24)


def _address(user) -> str:
    return (getattr(user, "contact_email", "") or user.email or "").strip()


def _when(page) -> str:
    start = timezone.localtime(page.start)
    return formats.date_format(start, "l j F Y, H:i")


def _where(page) -> str:
    parts = [str(page.get_mode_display())]
    if page.location:
        parts.append(page.location)
    return " · ".join(parts)


def _body(page, registration, lead: str) -> str:
    lines = [
        _("Hello %(name)s,") % {"name": registration.user.first_name or ""},
        "",
        lead,
        "",
        page.title,
        _("When: %(when)s (Italian time)") % {"when": _when(page)},
        _("Where: %(where)s") % {"where": _where(page)},
    ]
    if registration.status == Registration.Status.REGISTERED and page.online_url:
        lines.append(_("Link to join: %(url)s") % {"url": page.online_url})
    lines += ["", _("Event page: %(url)s") % {"url": page.full_url or ""}, ""]
    lines.append(_("— Community dei Comuni Digitali"))
    return "\n".join(lines)


def _message(page, registration, kind):
    title = page.title
    if kind == "confirmed":
        subject = _("Registration confirmed: %(title)s") % {"title": title}
        lead = _("your registration is confirmed. The calendar entry is attached.")
    elif kind == "promoted":
        subject = _("A place is free for you: %(title)s") % {"title": title}
        lead = _(
            "a place became free and you have moved from the waiting list to the registered "
            "members. The calendar entry is attached."
        )
    elif kind == "waiting":
        subject = _("On the waiting list: %(title)s") % {"title": title}
        lead = _(
            "the event is full: you are on the waiting list. If a place becomes free, you will "
            "be registered automatically and we will write to you."
        )
    elif kind == "cancelled":
        subject = _("Registration cancelled: %(title)s") % {"title": title}
        lead = _("your registration has been cancelled, as you asked.")
    elif kind == "reminder":
        subject = _("Reminder: %(title)s starts soon") % {"title": title}
        lead = _("a reminder: the event you registered to starts within a day.")
    else:  # pragma: no cover - a programming error
        raise ValueError(kind)
    message = EmailMultiAlternatives(
        subject=subject,
        body=_body(page, registration, lead),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_address(registration.user)],
    )
    if kind in ("confirmed", "promoted", "reminder"):
        message.attach(
            ics.filename_for(page),
            ics.calendar([page], method="PUBLISH", with_link=True),
            "text/calendar; charset=utf-8",
        )
    return message


def _event_page(page_id):
    for model in event_models():
        page = model.objects.filter(pk=page_id).first()
        if page is not None:
            return page
    return None


@task
def send_registration_email(registration_id: int, kind: str) -> bool:
    """Email the member of ``registration_id`` about it (``kind``); nothing when the state
    changed in the meantime (e.g. a confirmation for a registration already cancelled)."""
    registration = Registration.objects.select_related("user").filter(pk=registration_id).first()
    if registration is None or not _address(registration.user):
        return False
    expected = {
        "confirmed": Registration.Status.REGISTERED,
        "promoted": Registration.Status.REGISTERED,
        "waiting": Registration.Status.WAITING,
        "cancelled": Registration.Status.CANCELLED,
    }[kind]
    if registration.status != expected:
        return False
    page = _event_page(registration.page_id)
    if page is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        _message(page, registration, kind).send()
    return True


def send_due_reminders(now=None) -> int:
    """Remind every registered member of the events starting within 24 hours, once."""
    now = now or timezone.now()
    pages = {}
    for model in event_models():
        for page in model.objects.live().filter(start__gt=now, start__lte=now + REMINDER_WINDOW):
            pages[page.pk] = page
    if not pages:
        return 0
    due = list(
        Registration.objects.registered()
        .filter(page_id__in=pages, reminder_sent_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for registration in due:
            page = pages[registration.page_id]
            if not access.can_view_page(registration.user, page):
                continue  # left the community since: no reminder of a page they cannot open
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if not claimed or not _address(registration.user):
                continue
            try:
                _message(page, registration, "reminder").send()
            except Exception:  # noqa: BLE001 - one bad address must not stop the others
                logger.exception("event reminder %s not sent", registration.pk)
                Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
                continue
            sent += 1
    return sent


@task
def send_event_reminders() -> int:
    """The reminders as a task (for the worker's scheduler): see ``send_due_reminders``."""
    return send_due_reminders()
