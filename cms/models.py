"""Core portal pages: home, news, resources, standard pages; site-wide settings."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import access
from .blocks import BodyStreamBlock

LISTING_PAGE_SIZE = 12


def paginate(request, items, per_page=LISTING_PAGE_SIZE):
    """Paginate ``items`` on the ``page`` query parameter; bad values fall back gracefully."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def visible_children(request, page_model, parent):
    """Live children of ``parent`` of type ``page_model`` that the request's user may see."""
    return access.visible_pages(request.user, page_model.objects.child_of(parent).live())


def tags_for(through_model, pages):
    """The tags used by ``pages`` (through ``through_model``), alphabetically, in one query."""
    tag_ids = through_model.objects.filter(content_object__in=pages).values("tag_id")
    return Tag.objects.filter(pk__in=tag_ids).order_by("name")


def portal_permissions_for_user(page, user):
    """Wagtail's page permission tester, with the editors' grants stopped at the reserved spaces
    (``cms/admin_permissions.py``): every portal page type uses it."""
    from cms.admin_permissions import PortalPagePermissionTester

    return PortalPagePermissionTester(user, page)


class BasePage(Page):
    """Fields every content page shares: a summary for listings and the search result."""

    permissions_for_user = portal_permissions_for_user

    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=400,
        help_text=_("One or two sentences shown in listings, search results and social previews."),
    )

    search_fields = Page.search_fields + [index.SearchField("summary")]
    api_fields = [APIField("summary")]
    content_panels = Page.content_panels + [FieldPanel("summary")]

    class Meta:
        abstract = True


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Site-wide links that editors set: footer pages and external services."""

    rules_page = models.ForeignKey(
        Page,
        verbose_name=_("Community rules"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        Page,
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        Page,
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_page = models.ForeignKey(
        Page,
        verbose_name=_("legal notes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rules_version = models.CharField(
        _("Community rules version"),
        max_length=32,
        default="1.0",
        help_text=_(
            "Change it when the rules change in substance: every member is asked to accept "
            "them again at their next visit."
        ),
    )
    privacy_version = models.CharField(
        _("privacy notice version"),
        max_length=32,
        default="1.0",
        help_text=_("Change it when the privacy notice changes: members consent again."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    owner_name = models.CharField(
        _("site owner"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the slim header and the footer."),
    )
    owner_url = models.URLField(_("site owner link"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                PageChooserPanel("rules_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("legal_page"),
            ],
            heading=_("Footer pages"),
        ),
        MultiFieldPanel(
            [FieldPanel("rules_version"), FieldPanel("privacy_version")],
            heading=_("Versions that members accept"),
        ),
        FieldPanel("contact_email"),
        FieldPanel("owner_name"),
        FieldPanel("owner_url"),
    ]

    class Meta:
        verbose_name = _("portal settings")


class HomePage(Page):
    permissions_for_user = portal_permissions_for_user

    hero_title = models.CharField(_("hero title"), max_length=200)
    hero_text = models.TextField(_("hero text"), blank=True, max_length=600)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("call to action label"), max_length=80, blank=True)
    hero_cta_page = models.ForeignKey(
        Page,
        verbose_name=_("call to action page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    academy_title = models.CharField(_("Academy title"), max_length=120, blank=True)
    academy_text = models.TextField(_("Academy text"), blank=True, max_length=600)
    academy_url = models.URLField(_("Academy link"), blank=True)
    map_title = models.CharField(_("Map title"), max_length=120, blank=True)
    map_text = models.TextField(_("Map text"), blank=True, max_length=600)
    map_url = models.URLField(_("Mappa dei Comuni Digitali link"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.NewsIndexPage",
        "communities.CommunityIndexPage",
        "kits.KitIndexPage",
        "webinars.WebinarIndexPage",
        "events.EventIndexPage",
        "faq.FAQIndexPage",
        "cms.ResourcesPage",
        "surveys.SurveyIndexPage",
        "academy.AcademyPage",
        "mappa.MappaPage",
        "cms.StandardPage",
    ]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                PageChooserPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("academy_title"), FieldPanel("academy_text"), FieldPanel("academy_url")],
            heading=_("Academy"),
        ),
        MultiFieldPanel(
            [FieldPanel("map_title"), FieldPanel("map_text"), FieldPanel("map_url")],
            heading=_("Mappa dei Comuni Digitali"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_title"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("hero_title"),
        APIField("hero_text"),
        APIField("hero_image"),
        APIField("hero_cta_label"),
        APIField("hero_cta_page"),
        APIField("body"),
        APIField("academy_title"),
        APIField("academy_text"),
        APIField("academy_url"),
        APIField("map_title"),
        APIField("map_text"),
        APIField("map_url"),
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        """The latest news, and the sections the apps add (hook ``portal_home_context``:
        ``fn(request, home_page, visible)`` returns a dict of context; ``visible(model)`` is the
        queryset of the live pages of ``model`` in the home page's language that the user may
        see)."""
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        locale = self.locale_id

        def visible(model):
            return access.visible_pages(user, model.objects.filter(locale_id=locale))

        context["latest_news"] = list(
            visible(NewsPage).select_related("image").order_by("-date", "-pk")[:3]
        )
        for section in hooks.get_hooks("portal_home_context"):
            context.update(section(request, self, visible))
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsIndexPage(RoutablePageMixin, BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("news index")

    def news(self, request):
        return (
            visible_children(request, NewsPage, self)
            .select_related("image")
            .order_by("-date", "-pk")
        )

    @path("")
    def index_route(self, request):
        items = self.news(request)
        tag = request.GET.get("tag", "").strip()[:100]
        if tag:
            items = items.filter(tags__slug=tag)
        return self.render(
            request,
            context_overrides={
                "items": paginate(request, items),
                "current_tag": tag,
                "tags": tags_for(NewsPageTag, self.news(request)),
            },
        )

    @path("feed/")
    def rss_feed(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("feed/atom/")
    def atom_feed(self, request):
        from .feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
    ]
    api_fields = BasePage.api_fields + [
        APIField("date"),
        APIField("image"),
        APIField("body"),
        APIField("tags"),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")


class ResourcesPage(BasePage):
    """Risorse: the newest outputs, kits, webinars and news, filterable by type and tag."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    #: The communities' published outputs (created by the materials' validation rounds).
    subpage_types = ["materials.MaterialPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    RESOURCE_LIMIT = 60

    class Meta:
        verbose_name = _("resources page")

    @staticmethod
    def resource_types():
        """``{key: (label, page model)}`` of the resources listed, in order: the news, and what
        the apps add (hook ``portal_resource_types``: ``fn()`` returns ``(order, key, label,
        model)`` tuples)."""
        types = [(30, "news", _("News"), NewsPage)]
        for provider in hooks.get_hooks("portal_resource_types"):
            types.extend(provider())
        return {
            key: (label, model) for _order, key, label, model in sorted(types, key=lambda t: t[0])
        }

    def resources(self, request, kind="", tag=""):
        """Newest visible resources of the requested type and tag, newest first."""
        types = self.resource_types()
        selected = {kind: types[kind]} if kind in types else types
        items = []
        for key, (label, model) in selected.items():
            queryset = access.visible_pages(
                request.user, model.objects.filter(locale_id=self.locale_id)
            )
            if tag:
                queryset = queryset.filter(tags__slug=tag)
            for page in queryset.order_by("-first_published_at")[: self.RESOURCE_LIMIT]:
                page.resource_type = key
                page.resource_type_label = label
                items.append(page)
        items.sort(key=lambda p: p.first_published_at or timezone.now(), reverse=True)
        return items[: self.RESOURCE_LIMIT]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("type", "").strip()[:20]
        tag = request.GET.get("tag", "").strip()[:100]
        types = self.resource_types()
        tag_ids = set()
        for _label, model in types.values():
            through = model.tags.through
            pages = access.visible_pages(
                request.user, model.objects.filter(locale_id=self.locale_id)
            )
            tag_ids.update(
                through.objects.filter(content_object__in=pages).values_list("tag_id", flat=True)
            )
        context.update(
            items=paginate(request, self.resources(request, kind, tag)),
            tags=Tag.objects.filter(pk__in=tag_ids).order_by("name"),
            current_type=kind if kind in types else "",
            current_tag=tag,
            resource_types=[(key, label) for key, (label, _model) in types.items()],
        )
        return context


class StandardPage(BasePage):
    """Rules, privacy notice, accessibility statement, legal notes and other plain pages."""

    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    updated = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("Shown under the title; required for the privacy notice and the rules."),
    )

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    content_panels = BasePage.content_panels + [FieldPanel("updated"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    api_fields = BasePage.api_fields + [APIField("updated"), APIField("body")]

    class Meta:
        verbose_name = _("standard page")
