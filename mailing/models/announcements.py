"""Announcements of a community (or of one of its working groups) and their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from cms.models import BasePage

EMPTY_AUDIENCE = _(
    "Nobody would receive this announcement: the chosen audience has no members. "
    "Choose another audience or wait until the group has members."
)


class AnnouncementForm(WagtailAdminPageForm):
    """Refuses to publish an announcement to an empty audience (drafts may still be saved)."""

    def clean(self):
        cleaned = super().clean()
        if "action-publish" not in self.data:
            return cleaned
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        from ..audience import audience_user_ids

        audience = cleaned.get("audience") or AnnouncementPage.Audience.ALL
        if parent is not None and not audience_user_ids(parent.specific, audience):
            raise ValidationError(EMPTY_AUDIENCE)
        return cleaned


class AnnouncementPage(BasePage):
    """An announcement in a reserved area (to the community) or in a working group's space (to
    the group and the community's managers): shown in the area's News, emailed once, when it is
    first published, to the members of its audience who chose "each message"; the others get it
    in their digest."""

    class Audience(models.TextChoices):
        ALL = "all", _("All participants")
        DESIGNATED = "designated", _("Designated participants only")

    body = RichTextField(_("body"), features=["bold", "italic", "link", "ol", "ul", "h3"])
    audience = models.CharField(
        _("audience"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.ALL,
        help_text=_(
            "In a working group, the announcement goes to the group's members and the "
            "community's coordinators and support team."
        ),
    )

    parent_page_types = ["communities.CommunityAreaPage", "communities.WorkingGroupPage"]
    subpage_types: list[str] = []
    base_form_class = AnnouncementForm

    content_panels = BasePage.content_panels + [FieldPanel("audience"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    api_fields = BasePage.api_fields + [APIField("audience"), APIField("body")]

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def get_context(self, request, *args, **kwargs):
        from cms import access

        context = super().get_context(request, *args, **kwargs)
        context["can_see_deliveries"] = access.can(request.user, "announce", self)
        return context


class Dispatch(models.Model):
    """The first publication of an announcement: it is emailed once (republishing an edited
    announcement sends nothing again)."""

    page = models.OneToOneField(
        AnnouncementPage,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="dispatch",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement dispatch")
        verbose_name_plural = _("announcement dispatches")

    def __str__(self):
        return f"{self.page_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One recipient's email of one announcement."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    page = models.ForeignKey(
        AnnouncementPage,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="mailing_deliveries",
    )
    subscription = models.ForeignKey(
        "mailing.Subscription",
        verbose_name=_("subscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="mailing_one_delivery_per_user")
        ]
        indexes = [models.Index(fields=["status", "attempts"], name="mailing_delivery_status")]

    def __str__(self):
        return f"{self.page_id} → {self.user_id} · {self.status}"
