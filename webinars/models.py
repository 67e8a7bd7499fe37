"""Webinars: upcoming and past sessions, each with an .ics download."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import SpeakerBlock
from cms.models import BasePage, paginate, visible_children
from events import ics
from events.models import RegistrableEvent


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


class WebinarPage(RoutablePageMixin, RegistrableEvent, BasePage):
    """A webinar: an event (``events.models.RegistrableEvent``: registration on the portal with
    capacity, waiting list, reminders, attendance; recording and slides afterwards) with its
    speakers and materials. ``registration_url`` is an external registration link, shown only
    when the portal's registration is off (``registration_enabled``)."""

    description = RichTextField(_("description"), features=["bold", "italic", "link", "ol", "ul"])
    speakers = StreamField([("speaker", SpeakerBlock())], verbose_name=_("speakers"), blank=True)
    registration_url = models.URLField(
        _("external registration link"),
        blank=True,
        help_text=_("Only used when registration on the portal is off."),
    )
    tags = ClusterTaggableManager(through=WebinarPageTag, blank=True, verbose_name=_("tags"))

    ics_uid_prefix = "webinar"

    parent_page_types = ["webinars.WebinarIndexPage"]
    subpage_types: list[str] = []

    content_panels = (
        BasePage.content_panels
        + RegistrableEvent.when_panels
        + [FieldPanel("description"), FieldPanel("speakers")]
        + RegistrableEvent.registration_panels
        + [FieldPanel("registration_url")]
        + RegistrableEvent.after_panels
        + [InlinePanel("materials", label=_("Materials")), FieldPanel("tags")]
    )
    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.SearchField("speakers"),
        index.FilterField("start"),
        index.FilterField("end"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
    ]
    api_fields = (
        BasePage.api_fields
        + RegistrableEvent.event_api_fields
        + [
            APIField("description"),
            APIField("speakers"),
            APIField("registration_url"),
            APIField("materials"),
            APIField("tags"),
        ]
    )

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    def get_context(self, request, *args, **kwargs):
        from events.selectors import registration_box

        context = super().get_context(request, *args, **kwargs)
        context["materials"] = [
            item for item in self.materials.select_related("document") if item.document_id
        ]
        context["box"] = registration_box(request, self)
        return context

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("ics/", name="ics")
    def ics(self, request):
        return ics.download(self)


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
