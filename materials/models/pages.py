"""The published outputs of the communities (``MaterialPage``, under Risorse) and the licences
staff offer for them.

A ``MaterialPage`` is never created by hand: opening a validation round creates it as a draft
(not live, so nobody outside the admin sees it) and starts the materials workflow on it;
publishing the approved version fills in the public file, the date and the authors and
publishes it (``materials.services.publish``). Editors may then edit the texts, tags and licence
of a published output; they may never publish one whose version the participants did not
approve (``MaterialPagePermissionTester``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from cms.admin_permissions import PortalPagePermissionTester
from cms.models import BasePage


class Licence(models.Model):
    """A licence staff may give a published output (e.g. CC BY 4.0). A snippet, registered
    with its menu item in ``materials.wagtail_hooks``."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("e.g. cc-by-4.0"))
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("legal text"), blank=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Given to outputs published without a choice.")
    )

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("url"), FieldPanel("is_default")]

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def default(cls):
        return cls.objects.filter(is_default=True).order_by("pk").first() or (
            cls.objects.order_by("pk").first()
        )


class MaterialPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "materials.MaterialPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class MaterialPagePermissionTester(PortalPagePermissionTester):
    """Nobody publishes an output whose version the participants did not approve; the managers
    of its community publish an approved one (the policy's ``publish_material``) even without
    Wagtail's publish permission on Risorse."""

    def can_publish(self):
        page = self.page.specific_deferred
        if not page.publication_allowed():
            return False
        if super().can_publish():
            return True
        from cms import access

        from ..permissions import Action

        return self.user.is_active and access.can(self.user, Action.PUBLISH_MATERIAL, page)

    def can_publish_subpage(self):
        return False


class MaterialPage(BasePage):
    """A community's published output: the approved version of a working group's document."""

    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    working_group = models.ForeignKey(
        "communities.WorkingGroupPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("working group"),
    )
    group_name = models.CharField(_("working group"), max_length=255, blank=True)
    source_version = models.ForeignKey(
        "materials.DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated version"),
    )
    version_label = models.CharField(_("version"), max_length=20, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    authors = models.TextField(_("authors"), max_length=2000, blank=True)
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("licence"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("file"),
    )
    body = RichTextField(
        _("text"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    tags = ClusterTaggableManager(through=MaterialPageTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["cms.ResourcesPage"]
    subpage_types: list[str] = []
    #: Created by opening a validation round, never by hand (``materials.services``).
    is_creatable = False
    content_panels = BasePage.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("version_label", read_only=True),
                FieldPanel("publication_date", read_only=True),
                FieldPanel("group_name", read_only=True),
                FieldPanel("authors"),
                FieldPanel("licence"),
            ],
            heading=_("Publication"),
        ),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("authors"),
        index.SearchField("group_name"),
        index.FilterField("publication_date"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
    ]
    api_fields = BasePage.api_fields + [
        APIField("community"),
        APIField("group_name"),
        APIField("version_label"),
        APIField("publication_date"),
        APIField("authors"),
        APIField("licence"),
        APIField("document"),
        APIField("body"),
        APIField("tags"),
    ]

    class Meta:
        verbose_name = _("community output")
        verbose_name_plural = _("community outputs")

    def permissions_for_user(self, user):
        return MaterialPagePermissionTester(user, self)

    def json_ld(self, request=None) -> str:
        """schema.org ``CreativeWork`` of the output (licence, authors, date, version), as
        JSON safe inside a ``<script>`` element."""
        import json

        from django.conf import settings
        from django.utils.html import strip_tags
        from django.utils.safestring import mark_safe

        data = {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "name": self.title,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
        }
        if self.summary:
            data["description"] = self.summary
        if self.publication_date:
            data["datePublished"] = self.publication_date.isoformat()
        if self.version_label:
            data["version"] = self.version_label
        if self.licence_id:
            data["license"] = self.licence.url or self.licence.name
        creators = []
        if self.group_name:
            creators.append({"@type": "Organization", "name": self.group_name})
        if self.community_id:
            creators.append({"@type": "Organization", "name": self.community.title})
        if creators:
            data["author"] = creators
        if self.authors:
            data["creditText"] = self.authors
        data["publisher"] = {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}
        keywords = [tag.name for tag in self.tags.all()]
        if keywords:
            data["keywords"] = keywords
        if self.document_id:
            data["associatedMedia"] = {
                "@type": "MediaObject",
                "name": self.document.title,
                "contentUrl": self.document.url
                if self.document.url.startswith("http")
                else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.document.url,
                "encodingFormat": self.document.file_extension,
            }
        elif self.body:
            data["text"] = strip_tags(self.body)[:5000]
        # Escape "<" so that no text can close the script element.
        text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
        return mark_safe(text)  # noqa: S308 - JSON with "<" escaped

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["material_json_ld"] = self.json_ld(request)
        return context

    def publication_allowed(self) -> bool:
        """Whether this output may be published now: its latest round (withdrawn ones aside)
        was approved by the participants and not sent back by the publisher; or it is live
        and that round is the one of its published version (editors fix its texts). While a
        round on a newer version is open or was not approved, nobody publishes it."""
        from .validation import ValidationRound

        latest = (
            ValidationRound.objects.filter(page_id=self.pk)
            .exclude(status=ValidationRound.Status.CANCELLED)
            .order_by("-opened_at", "-pk")
            .first()
        )
        if latest is None:
            return False
        if latest.status == ValidationRound.Status.APPROVED and not latest.outcome.get("sent_back"):
            return True
        return bool(self.live and latest.published_at is not None)
