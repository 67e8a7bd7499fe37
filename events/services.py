"""Every write of the events: registering, cancelling (with the promotion of the waiting
list), attendance, the private calendar feed tokens.

The services ask the access policy, raise ``cms.errors`` (the site and the API translate them:
404 for an event the user may not see, 403 refused, 409 conflicts with the event's state, 400
bad input) and enqueue their emails on commit (``events.tasks``). Registrations to one event are
serialised by a row lock on the event's page (``select_for_update``), so two members cannot take
the last place at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms import access
from cms.errors import Conflict, Invalid, NotFound, Refused
from membership.registration import is_registered

from .models import CalendarFeedToken, Registration
from .permissions import Action
from .signals import attendance_recorded

Status = Registration.Status

#: Attendance CSV imports: at most this many lines, this many bytes.
CSV_MAX_LINES = 5000
CSV_MAX_BYTES = 512 * 1024


def _notify(registration, kind):
    from .tasks import send_registration_email

    transaction.on_commit(lambda: send_registration_email.enqueue(registration.pk, kind))


def lock(page):
    """Lock the event's page row until the transaction ends (serialises its registrations)."""
    Page.objects.select_for_update().filter(pk=page.pk).values_list("pk", flat=True).first()


def _visible(user, page):
    if page is None or not access.can_view_page(user, page):
        raise NotFound()


def register(user, page) -> Registration:
    """Register ``user`` to the event ``page``: a place, or the waiting list when full."""
    _visible(user, page)
    if not is_registered(user):
        raise Refused(
            _("Only members registered to the Community can register to events."),
            code="registration_required",
        )
    if not page.registration_enabled:
        raise Conflict(
            _("This event does not take registrations on the portal."), code="no_registration"
        )
    if not access.can(user, Action.REGISTER_EVENT, page):
        raise Refused(_("You cannot register to this event."))
    with transaction.atomic():
        lock(page)
        if timezone.now() >= page.closes_at:
            raise Conflict(_("Registration to this event is closed."), code="registration_closed")
        existing = Registration.objects.open().filter(page_id=page.pk, user=user).first()
        if existing is not None:
            message = (
                _("You are already on the waiting list for this event.")
                if existing.status == Status.WAITING
                else _("You are already registered to this event.")
            )
            raise Conflict(message, code="already_registered")
        taken = Registration.objects.registered().filter(page_id=page.pk).count()
        status = Status.REGISTERED
        if page.capacity is not None and taken >= page.capacity:
            if not page.waiting_list:
                raise Conflict(
                    _("The event is full and has no waiting list: registration is not possible."),
                    code="full",
                )
            status = Status.WAITING
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    page_id=page.pk, user=user, status=status
                )
        except IntegrityError as error:  # the constraint: another request of the same member
            raise Conflict(
                _("You are already registered to this event."), code="already_registered"
            ) from error
        _notify(registration, "confirmed" if status == Status.REGISTERED else "waiting")
    return registration


def cancel(user, page) -> Registration:
    """Cancel ``user``'s registration (or place on the waiting list) to ``page``; a freed place
    goes to the first member waiting, who is emailed."""
    _visible(user, page)
    with transaction.atomic():
        lock(page)
        registration = Registration.objects.open().filter(page_id=page.pk, user=user).first()
        if registration is None:
            raise Conflict(_("You are not registered to this event."), code="not_registered")
        if page.is_past:
            raise Conflict(
                _("The event is over: the registration cannot be cancelled."), code="past"
            )
        freed = registration.status == Status.REGISTERED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        _notify(registration, "cancelled")
        if freed:
            promote(page)
    return registration


def promote(page) -> list[Registration]:
    """Give the free places of ``page`` to the members waiting, first come first served (inside
    the caller's transaction and lock). Each promoted member is emailed."""
    if page.is_past:
        return []
    waiting = Registration.objects.waiting().filter(page_id=page.pk)
    if page.capacity is None:
        chosen = list(waiting)
    else:
        free = page.capacity - Registration.objects.registered().filter(page_id=page.pk).count()
        chosen = list(waiting[: max(0, free)])
    now = timezone.now()
    for registration in chosen:
        registration.status = Status.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _notify(registration, "promoted")
    return chosen


# --- Attendance ------------------------------------------------------------------------------


def _require_organiser(user, page):
    _visible(user, page)
    if not access.can(user, Action.MANAGE_EVENT, page):
        raise Refused(_("Only the organisers of this event can do this."))


def record_attendance(actor, page, attended_ids) -> int:
    """The checklist: the registered members ``attended_ids`` (registration ids) attended, the
    other registered members did not. Returns how many registrations changed."""
    _require_organiser(actor, page)
    attended_ids = {int(pk) for pk in attended_ids}
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        registrations = Registration.objects.registered().filter(page_id=page.pk)
        unknown = attended_ids - set(registrations.values_list("pk", flat=True))
        if unknown:
            raise Invalid(_("Some of the members ticked are not registered to this event."))
        for value, queryset in (
            (True, registrations.filter(pk__in=attended_ids)),
            (False, registrations.exclude(pk__in=attended_ids)),
        ):
            changed += queryset.exclude(attended=value).update(
                attended=value, attended_recorded_by=actor, attended_recorded_at=now
            )
        _attendance_recorded(page, actor)
    return changed


def _attendance_recorded(page, actor) -> None:
    transaction.on_commit(
        lambda: attendance_recorded.send(sender=Registration, page=page, actor=actor)
    )


@dataclass
class ImportReport:
    matched: list = field(default_factory=list)  # registrations marked present
    unmatched: list = field(default_factory=list)  # (line number, text)


def _read_identifiers(data: bytes) -> list[tuple[int, str]]:
    if len(data) > CSV_MAX_BYTES:
        raise Invalid(_("The file is too large (at most 512 KB)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid(_("The file is not a UTF-8 text (CSV) file.")) from error
    if "\x00" in text:
        raise Invalid(_("The file is not a text (CSV) file."))
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if number > CSV_MAX_LINES:
            raise Invalid(_("The file has too many lines (at most 5000)."))
        value = next((cell.strip() for cell in row if cell.strip()), "")
        if value:
            rows.append((number, value))
    if not rows:
        raise Invalid(_("The file is empty: one fiscal code or email address per line."))
    return rows


def import_attendance(actor, page, data: bytes) -> ImportReport:
    """Mark present the registered members named in a CSV file (first non-empty cell of each
    line: a fiscal code or an email address); a header line and unknown names are reported as
    unmatched. Nothing is changed when the file cannot be read."""
    _require_organiser(actor, page)
    rows = _read_identifiers(data)
    registrations = list(
        Registration.objects.registered().filter(page_id=page.pk).select_related("user")
    )
    by_key = {}
    for registration in registrations:
        user = registration.user
        for key in (user.fiscal_number, user.email, getattr(user, "contact_email", "")):
            if key:
                by_key[key.strip().lower()] = registration
    report = ImportReport()
    now = timezone.now()
    with transaction.atomic():
        for number, value in rows:
            registration = by_key.get(value.lower())
            if registration is None:
                report.unmatched.append((number, value))
                continue
            if registration not in report.matched:
                report.matched.append(registration)
        Registration.objects.filter(pk__in=[r.pk for r in report.matched]).update(
            attended=True, attended_recorded_by=actor, attended_recorded_at=now
        )
        _attendance_recorded(page, actor)
    return report


# --- The private calendar feed ---------------------------------------------------------------


def feed_token(user) -> CalendarFeedToken:
    """``user``'s private feed token, created on first use."""
    if not is_registered(user):
        raise Refused()
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


def regenerate_feed_token(user) -> CalendarFeedToken:
    """A new secret: the old feed URL stops working at once."""
    if not is_registered(user):
        raise Refused()
    CalendarFeedToken.objects.filter(user=user).delete()
    return CalendarFeedToken.objects.create(user=user)


def revoke_feed_token(user) -> None:
    CalendarFeedToken.objects.filter(user=user).delete()


def feed_user(key: str):
    """The member whose private feed ``key`` is, or ``None`` (unknown, revoked, or the member
    no longer registered)."""
    token = (
        CalendarFeedToken.objects.select_related("user").filter(key=key).first() if key else None
    )
    if token is None or not is_registered(token.user):
        return None
    CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
