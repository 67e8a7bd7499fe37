"""Event pages: the ``RegistrableEvent`` mixin and the portal's and communities' events.

An ``EventPage`` lives where its audience is: under a ``communities.CommunityPage`` (a public
event of the community), under its reserved area or a working group (members-only: the page sits
below their view restriction, so who may see it is the page policy, ``cms.access.can_view_page``)
or under the portal's ``EventIndexPage``. ``webinars.WebinarPage`` uses the same mixin, so
registration, calendars and reminders treat webinars as events.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from cms.models import BasePage, paginate


class RegistrableEvent(models.Model):
    """When and where an event happens, how members register, and what remains afterwards."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    location = models.CharField(
        _("location"), max_length=255, blank=True, help_text=_("Venue and address, if in person.")
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Link to join online; sent to registered members only."),
    )
    registration_enabled = models.BooleanField(
        _("registration on the portal"),
        default=True,
        help_text=_("Members register on the portal (confirmation, reminder, waiting list)."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave blank for unlimited places.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Leave blank to close registration when the event starts."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When full, members join a waiting list and are promoted automatically."),
    )
    minutes = RichTextField(
        _("minutes"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    recording_url = models.URLField(
        _("recording"),
        blank=True,
        help_text=_("Link to the recording (YouTube, Vimeo…), shown once the event is over."),
    )
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("slides"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: The admin panels of the mixin's fields (the page types place them in their own panels).
    when_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("mode"),
                FieldPanel("location"),
                FieldPanel("online_url"),
            ],
            heading=_("When and where"),
        )
    ]
    registration_panels = [
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_closes_at")]),
                FieldPanel("waiting_list"),
            ],
            heading=_("Registration"),
        )
    ]
    after_panels = [
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("recording_url"), FieldPanel("slides")],
            heading=_("After the event"),
        )
    ]
    #: Listed in the portal's calendars and the digests' upcoming events. A course's live sessions
    #: (``academy.CourseSessionPage``) are not: they are for the course's enrolled members, who
    #: find them on the course's page, in "I miei eventi" and in their reminders.
    listed_in_calendars = True

    event_search_fields = [index.FilterField("start"), index.FilterField("end")]
    event_api_fields = [
        APIField("start"),
        APIField("end"),
        APIField("mode"),
        APIField("location"),
        APIField("capacity"),
        APIField("registration_enabled"),
        APIField("registration_closes_at"),
        APIField("waiting_list"),
        APIField("recording_url"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        closes = self.registration_closes_at
        if closes and self.end and closes > self.end:
            raise ValidationError(
                {"registration_closes_at": _("Registration must close before the event ends.")}
            )

    @property
    def closes_at(self):
        """When registration closes (the start, unless the editors chose another time)."""
        return self.registration_closes_at or self.start

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def is_live(self):
        return self.start <= timezone.now() <= self.end

    @property
    def registration_is_open(self):
        return self.registration_enabled and timezone.now() < self.closes_at

    @property
    def event_kind(self) -> str:
        return self._meta.label_lower


def event_models(*, listed_only: bool = False) -> list[type]:
    """Every concrete page model using ``RegistrableEvent`` (events here, webinars...); with
    ``listed_only``, those listed in the calendars and digests (``listed_in_calendars``)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, RegistrableEvent)
        and not model._meta.abstract
        and (model.listed_in_calendars or not listed_only)
    ]


class EventIndexPage(BasePage):
    """The portal's events ("Eventi"): its children are the portal events; the page lists the
    portal calendar (portal events, public community events and webinars)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("event index")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import calendar_entries

        context = super().get_context(request, *args, **kwargs)
        upcoming, past = calendar_entries(request.user)
        context["upcoming"] = upcoming
        context["past"] = paginate(request, past)
        return context


class EventPage(RegistrableEvent, BasePage):
    """An event with registration: a community's (public or members-only) or the portal's."""

    description = RichTextField(
        _("description"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    parent_page_types = [
        "communities.CommunityPage",
        "communities.CommunityAreaPage",
        "communities.WorkingGroupPage",
        "events.EventIndexPage",
    ]
    subpage_types: list[str] = []

    content_panels = (
        BasePage.content_panels
        + RegistrableEvent.when_panels
        + [FieldPanel("description")]
        + RegistrableEvent.registration_panels
        + RegistrableEvent.after_panels
    )
    search_fields = (
        BasePage.search_fields
        + [index.SearchField("description"), index.SearchField("location")]
        + RegistrableEvent.event_search_fields
    )
    api_fields = (
        BasePage.api_fields
        + RegistrableEvent.event_api_fields
        + [
            APIField("description"),
            APIField("minutes"),
        ]
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        from ..selectors import registration_box

        context = super().get_context(request, *args, **kwargs)
        context["box"] = registration_box(request, self)
        return context
