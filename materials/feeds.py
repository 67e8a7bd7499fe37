"""RSS and Atom feeds of the communities' published outputs (``/materiali/feed/`` and
``/materiali/feed/atom/``). Feeds are public: they list the live outputs anyone may read, never a
draft (a round open, rejected or not yet published)."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cms import access

from .models import MaterialPage

ITEMS = 30


def _resources_page():
    from cms.locales import get_active
    from cms.models import ResourcesPage

    pages = ResourcesPage.objects.live().order_by("path")
    return pages.filter(locale=get_active()).first() or pages.first()


class MaterialsFeed(Feed):
    def title(self):
        return _("%(site)s – Community outputs") % {"site": settings.WAGTAIL_SITE_NAME}

    def link(self):
        page = _resources_page()
        return page.url if page is not None else "/"

    def description(self):
        return _(
            "The materials written by the working groups of the communities of practice and "
            "validated by their participants."
        )

    def items(self):
        return list(
            access.public_pages(MaterialPage.objects.all())
            .select_related("document", "licence", "community")
            .prefetch_related("tags")
            .order_by("-first_published_at", "-pk")[:ITEMS]
        )

    def item_title(self, item):
        return f"{item.title} ({item.version_label})" if item.version_label else item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.group_name or None

    def item_pubdate(self, item):
        if item.publication_date:
            return timezone.make_aware(datetime.combine(item.publication_date, time(9, 0)))
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_copyright(self, item):
        return item.licence.name if item.licence_id else None

    def item_enclosures(self, item):
        from django.utils.feedgenerator import Enclosure

        document = item.document
        size = document.get_file_size() if document is not None else None
        if not size:
            return []
        url = document.url
        if not url.startswith("http"):
            url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
        mime = document.content_type or "application/octet-stream"
        return [Enclosure(url, str(size), mime)]


class MaterialsAtomFeed(MaterialsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
