"""Frequently asked questions, grouped by category, with schema.org FAQPage data."""

import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from cms.blocks import FAQCategoryBlock
from cms.models import BasePage


class FAQIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    categories = StreamField(
        [("category", FAQCategoryBlock())], verbose_name=_("categories"), blank=True
    )

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("categories")]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("categories"),
    ]
    api_fields = BasePage.api_fields + [APIField("intro"), APIField("categories")]

    class Meta:
        verbose_name = _("FAQ page")

    def grouped_questions(self):
        """Categories with their questions, each with a stable, unique anchor."""
        used = set()
        groups = []
        for block in self.categories:
            category = block.value
            questions = []
            for item in category["questions"]:
                base = slugify(item["question"])[:60] or "domanda"
                anchor, n = base, 2
                while anchor in used:
                    anchor, n = f"{base}-{n}", n + 1
                used.add(anchor)
                questions.append(
                    {"anchor": anchor, "question": item["question"], "answer": item["answer"]}
                )
            cat_anchor = slugify(category["title"])[:60] or "categoria"
            groups.append(
                {"title": category["title"], "anchor": f"cat-{cat_anchor}", "questions": questions}
            )
        return groups

    def json_ld(self, groups):
        data = {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": q["question"],
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": strip_tags(expand_db_html(q["answer"].source)).strip(),
                    },
                }
                for group in groups
                for q in group["questions"]
            ],
        }
        # Escape "<" so that no answer text can close the script element.
        text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
        return mark_safe(text)  # noqa: S308 - JSON with "<" escaped

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        groups = self.grouped_questions()
        context["groups"] = groups
        context["faq_json_ld"] = self.json_ld(groups)
        return context
