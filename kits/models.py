"""Kit documentali: curated sets of documents on a theme, for a given audience."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms import access
from cms.blocks import BodyStreamBlock
from cms.models import BasePage, paginate, tags_for, visible_children


class ThematicArea(models.TextChoices):
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    DIGITAL_SERVICES = "digital-services", _("Digital services")
    DATA = "data", _("Data and interoperability")
    CLOUD = "cloud", _("Cloud and infrastructure")
    ORGANISATION = "organisation", _("Organisation and skills")
    ACCESSIBILITY = "accessibility", _("Accessibility")


class KitIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["kits.KitPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("kit index")

    def kits(self, request):
        return visible_children(request, KitPage, self).order_by("-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kits = self.kits(request)
        area = request.GET.get("area", "").strip()[:40]
        tag = request.GET.get("tag", "").strip()[:100]
        filtered = kits
        if area in ThematicArea.values:
            filtered = filtered.filter(thematic_area=area)
        else:
            area = ""
        if tag:
            filtered = filtered.filter(tags__slug=tag)
        context.update(
            items=paginate(request, filtered),
            areas=ThematicArea.choices,
            current_area=area,
            current_tag=tag,
            tags=tags_for(KitPageTag, kits),
        )
        return context


class KitPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kits.KitPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class KitPage(BasePage):
    description = RichTextField(
        _("description"), features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    thematic_area = models.CharField(
        _("thematic area"),
        max_length=40,
        choices=ThematicArea.choices,
        default=ThematicArea.DIGITAL_SERVICES,
    )
    target_audience = models.CharField(
        _("target audience"),
        max_length=255,
        help_text=_("Who the kit is for, e.g. 'RTD and IT offices of small municipalities'."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=KitPageTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["kits.KitIndexPage"]
    subpage_types: list[str] = []

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        FieldPanel("thematic_area"),
        FieldPanel("target_audience"),
        InlinePanel("documents", label=_("Documents"), min_num=1),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_kits", label=_("Related kits")),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.SearchField("target_audience"),
        index.SearchField("body"),
        index.FilterField("thematic_area"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
    ]
    api_fields = BasePage.api_fields + [
        APIField("description"),
        APIField("thematic_area"),
        APIField("target_audience"),
        APIField("documents"),
        APIField("body"),
        APIField("tags"),
        APIField("related_kits"),
    ]

    class Meta:
        verbose_name = _("document kit")
        verbose_name_plural = _("document kits")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        related_ids = [link.kit_id for link in self.related_kits.all()]
        context["documents"] = [
            item for item in self.documents.select_related("document") if item.document_id
        ]
        context["related"] = list(
            access.visible_pages(request.user, KitPage.objects.filter(pk__in=related_ids))
        )
        return context


class KitDocument(Orderable):
    page = ParentalKey(KitPage, on_delete=models.CASCADE, related_name="documents")
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
        verbose_name = _("kit document")


class RelatedKit(Orderable):
    page = ParentalKey(KitPage, on_delete=models.CASCADE, related_name="related_kits")
    kit = models.ForeignKey(
        KitPage, verbose_name=_("kit"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("kit")]
    api_fields = [APIField("kit")]

    class Meta(Orderable.Meta):
        verbose_name = _("related kit")
