"""Registrations to events and the members' private calendar feed tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegistrationQuerySet(models.QuerySet):
    def open(self):
        """Registered or waiting (not cancelled)."""
        return self.filter(status__in=Registration.OPEN)

    def registered(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waiting(self):
        """The waiting list, first in line first."""
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")


class Registration(models.Model):
    """A member's registration to an event page (``EventPage``, ``WebinarPage``...).

    A cancelled registration stays (history, attendance figures); a new registration after a
    cancellation is a new row. The waiting list is ordered by ``created_at`` (when the member
    joined it). At most one open (registered or waiting) registration per member and event: a
    database constraint.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.REGISTERED, Status.WAITING)

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waiting list at"), null=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attended_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attended_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"],
                condition=Q(status__in=["registered", "waiting"]),
                name="events_one_open_registration",
            )
        ]
        indexes = [models.Index(fields=["page", "status", "created_at"])]

    def __str__(self):
        return f"{self.user_id} → {self.page_id} ({self.status})"

    @property
    def is_open(self):
        return self.status in self.OPEN


def new_key() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret of a member's private calendar feed (``/calendario/privato/<key>.ics``).

    Revoking deletes it; regenerating replaces the key (the old URL answers 404). What the feed
    contains is decided at each fetch with the member's current rights.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_feed_token",
    )
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_key)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("private calendar feed")
        verbose_name_plural = _("private calendar feeds")

    def __str__(self):
        return f"calendar feed of {self.user_id}"
