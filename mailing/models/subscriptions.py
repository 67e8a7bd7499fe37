"""Who receives a community's communications, and how often; notices; private feed tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionQuerySet(models.QuerySet):
    def current(self):
        """Subscriptions of current members (not ended by leaving the community)."""
        return self.filter(ended_at__isnull=True)

    def of(self, community):
        return self.filter(community__translation_key=community.translation_key)


class Subscription(models.Model):
    """A member's subscription to a community's mailing list (one row per user and community,
    kept when they leave so that re-joining restores their choice)."""

    class Frequency(models.TextChoices):
        EACH = "each", _("Each message")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")
        NONE = "none", _("No emails")

    #: The frequency of a new subscription (decisions: the seeds' "ricevere tutte le
    #: comunicazioni").
    DEFAULT_FREQUENCY = Frequency.EACH
    DIGESTS = (Frequency.DAILY, Frequency.WEEKLY)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mailing_subscriptions",
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    #: When the current subscription began (joined, or joined again): unsubscribe tokens are
    #: bound to it, so that a link from before a re-join does nothing to the new subscription.
    started_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="mailing_one_subscription_per_community"
            )
        ]
        indexes = [models.Index(fields=["frequency", "ended_at"], name="mailing_sub_freq")]

    def __str__(self):
        return f"{self.user} · {self.community} · {self.get_frequency_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.frequency != self.Frequency.NONE


class Notice(models.Model):
    """Something a member should hear about (``communities.signals.member_notified``): shown in
    La mia area, and emailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mailing_notices",
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32)
    subject = models.CharField(_("subject"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="mailing_notice_unread")]

    def __str__(self):
        return self.subject


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret of a member's private feed of announcements (revoked by replacing it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mailing_feed_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")

    def __str__(self):
        return f"{self.user_id} · feed"

    def renew(self) -> None:
        self.token = _new_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
