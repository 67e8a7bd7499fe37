"""Webinars: upcoming and past sessions, each with an .ics download."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import SpeakerBlock
from cms.models import BasePage, paginate, visible_children


class WebinarIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["webinars.WebinarPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("webinar index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        webinars = visible_children(request, WebinarPage, self)
        context["upcoming"] = list(webinars.filter(end__gte=now).order_by("start"))
        context["past"] = paginate(request, webinars.filter(end__lt=now).order_by("-start"))
        return context


class WebinarPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "webinars.WebinarPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class WebinarPage(RoutablePageMixin, BasePage):
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    description = RichTextField(_("description"), features=["bold", "italic", "link", "ol", "ul"])
    speakers = StreamField([("speaker", SpeakerBlock())], verbose_name=_("speakers"), blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    recording_url = models.URLField(
        _("recording"),
        blank=True,
        help_text=_("Link to the recording (YouTube, Vimeo…), shown once the webinar is over."),
    )
    tags = ClusterTaggableManager(through=WebinarPageTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["webinars.WebinarIndexPage"]
    subpage_types: list[str] = []

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")])], heading=_("When")
        ),
        FieldPanel("description"),
        FieldPanel("speakers"),
        FieldPanel("registration_url"),
        FieldPanel("recording_url"),
        InlinePanel("materials", label=_("Materials")),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.SearchField("speakers"),
        index.FilterField("start"),
        index.FilterField("end"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
    ]
    api_fields = BasePage.api_fields + [
        APIField("start"),
        APIField("end"),
        APIField("description"),
        APIField("speakers"),
        APIField("registration_url"),
        APIField("recording_url"),
        APIField("materials"),
        APIField("tags"),
    ]

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def is_live(self):
        return self.start <= timezone.now() <= self.end

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["materials"] = [
            item for item in self.materials.select_related("document") if item.document_id
        ]
        return context

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("ics/", name="ics")
    def ics(self, request):
        from icalendar import Calendar, Event, vText

        calendar = Calendar()
        calendar.add("prodid", "-//Community dei Comuni Digitali//Webinar//IT")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", f"webinar-{self.translation_key}@comunidigitali")
        event.add("summary", self.title)
        event.add("dtstart", timezone.localtime(self.start))
        event.add("dtend", timezone.localtime(self.end))
        event.add("dtstamp", self.last_published_at or timezone.now())
        event.add("url", self.full_url or "")
        event["location"] = vText(self.registration_url or self.full_url or "Online")
        if self.summary:
            event.add("description", self.summary)
        calendar.add_component(event)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        filename = f"webinar-{slugify(self.slug)[:60]}.ics"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class WebinarMaterial(Orderable):
    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("description")]
    api_fields = [APIField("document"), APIField("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("webinar material")
