"""Communities of practice: public pages. Memberships, roles and reserved areas build on these."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.blocks import BodyStreamBlock, MilestoneBlock
from cms.models import BasePage, visible_children


class CommunityIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["communities.CommunityPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("communities index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communities"] = list(
            visible_children(request, CommunityPage, self).select_related("image").order_by("path")
        )
        return context


class CommunityPage(BasePage):
    theme = models.CharField(_("theme"), max_length=200)
    mission = RichTextField(_("mission"), features=["bold", "italic", "link", "ol", "ul"])
    objectives = RichTextField(
        _("objectives"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timeline = StreamField(
        [("milestone", MilestoneBlock())], verbose_name=_("timeline"), blank=True
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["communities.CommunityIndexPage"]
    subpage_types: list[str] = []

    content_panels = BasePage.content_panels + [
        FieldPanel("theme"),
        FieldPanel("image"),
        FieldPanel("mission"),
        FieldPanel("objectives"),
        FieldPanel("timeline"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("theme"),
        index.SearchField("mission"),
        index.SearchField("objectives"),
        index.SearchField("body"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("theme"),
        APIField("mission"),
        APIField("objectives"),
        APIField("image"),
        APIField("timeline"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
