"""Reads that depend on who asks: the calendars, the registration box of an event page, the
member's own registrations. Queries do not grow with the number of events."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from cms import access, locales

from .models import Registration, event_models
from .permissions import Action

Status = Registration.Status


def events_for(user, *, public_only=False, within=None, start_after=None, start_before=None):
    """Every live event page (all event models) ``user`` may see (anyone may, when
    ``public_only``), optionally inside the subtree of the page ``within``, ordered by start.
    One query per event model."""
    viewer = AnonymousUser() if public_only or user is None else user
    pages = []
    for model in event_models(listed_only=True):
        queryset = model.objects.live()
        if within is not None:
            queryset = queryset.descendant_of(within)
        if start_after is not None:
            queryset = queryset.filter(start__gte=start_after)
        if start_before is not None:
            queryset = queryset.filter(start__lt=start_before)
        pages.extend(access.visible_pages(viewer, queryset))
    pages.sort(key=lambda page: (page.start, page.pk))
    return _one_per_event(pages)


def _one_per_event(pages):
    """One page per event: a translated event (the webinars' English pages) is listed once, in
    the active language when it has a page in it, otherwise in the first found (a calendar
    feed must not hold two entries with the same UID)."""
    try:
        active = locales.get_active().pk
    except Locale.DoesNotExist:
        active = None
    chosen = {}
    for page in pages:
        current = chosen.get(page.translation_key)
        if current is None or (page.locale_id == active and current.locale_id != active):
            chosen[page.translation_key] = page
    kept = {page.pk for page in chosen.values()}
    return [page for page in pages if page.pk in kept]


def calendar_entries(user, **kwargs):
    """``(upcoming, past)``: the events ``user`` may see, upcoming first by date, past most
    recent first."""
    now = timezone.now()
    pages = events_for(user, **kwargs)
    upcoming = [page for page in pages if page.end >= now]
    past = [page for page in reversed(pages) if page.end < now]
    return upcoming, past


def counts(page) -> dict:
    """``{"registered": n, "waiting": n}`` of ``page`` (one query)."""
    return Registration.objects.filter(page_id=page.pk).aggregate(
        registered=Count("pk", filter=Q(status=Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )


def places_left(page, registered: int):
    """Places left (``None``: unlimited)."""
    if page.capacity is None:
        return None
    return max(0, page.capacity - registered)


def own_registration(user, page):
    """``user``'s open registration to ``page`` (or ``None``), with its waiting position."""
    if user is None or not user.is_authenticated:
        return None
    registration = Registration.objects.open().filter(page_id=page.pk, user=user).first()
    if registration is not None and registration.status == Status.WAITING:
        registration.position = (
            Registration.objects.waiting()
            .filter(page_id=page.pk)
            .filter(
                Q(created_at__lt=registration.created_at)
                | Q(created_at=registration.created_at, pk__lt=registration.pk)
            )
            .count()
            + 1
        )
    return registration


def registration_box(request, page) -> dict:
    """What the event page shows about registering (``events/includes/registration_box.html``):
    places, the user's status, what they may do, the URLs. Up to four queries for a member."""
    user = request.user
    box = {
        "enabled": page.registration_enabled,
        "open": page.registration_is_open,
        "closes_at": page.closes_at,
        "is_past": page.is_past,
        "ics_url": reverse("events:ics", args=[page.pk]),
        "register_url": reverse("events:register", args=[page.pk]),
        "cancel_url": reverse("events:cancel", args=[page.pk]),
        "manage_url": reverse("events:manage", args=[page.pk]),
        "signed_in": user.is_authenticated,
    }
    if not user.is_authenticated:
        return box  # the anonymous page is cached: nothing that changes with registrations
    numbers = counts(page)
    box["registered"] = numbers["registered"]
    box["waiting"] = numbers["waiting"]
    box["places_left"] = places_left(page, numbers["registered"])
    box["full"] = box["places_left"] == 0
    box["mine"] = own_registration(user, page)
    box["can_register"] = access.can(user, Action.REGISTER_EVENT, page)
    box["can_manage"] = access.can(user, Action.MANAGE_EVENT, page)
    return box


def my_registrations(user):
    """``user``'s open registrations with their event pages (specific), upcoming first; the
    events they may no longer see are left out. Two queries plus one per event model."""
    registrations = list(Registration.objects.open().filter(user=user).order_by("created_at"))
    page_ids = {registration.page_id for registration in registrations}
    pages = {}
    for model in event_models():
        for page in access.visible_pages(user, model.objects.filter(pk__in=page_ids)):
            pages[page.pk] = page
    result = []
    for registration in registrations:
        page = pages.get(registration.page_id)
        if page is not None:
            registration.event = page
            result.append(registration)
    result.sort(key=lambda registration: registration.event.start)
    return result


def specific_event(page_id):
    """The live event page ``page_id`` as its specific model, or ``None``."""
    for model in event_models():
        page = model.objects.live().filter(pk=page_id).first()
        if page is not None:
            return page
    return None
