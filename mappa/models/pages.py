"""The "Mappa dei Comuni Digitali" page: the public dashboards (``mappa.dashboard``); the
campaigns' questionnaires (``surveys.SurveyPage``) live under it, answered only by accredited
compilers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from cms.models import BasePage


class MappaPage(BasePage):
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["surveys.SurveyPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("Mappa dei Comuni Digitali page")

    def get_context(self, request, *args, **kwargs):
        """The public dashboard of the chosen (or latest) Mappa campaign: the same for every
        visitor, so the page stays cacheable (``cms.cache``)."""
        from ..dashboard import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(request))
        return context
