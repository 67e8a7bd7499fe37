"""RSS and Atom feeds of the news. Feeds are public: they list public pages only."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import access


class NewsFeed(Feed):
    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return _("%(site)s – News") % {"site": "Community dei Comuni Digitali"}

    def link(self):
        return self.index_page.url

    def description(self):
        return self.index_page.summary

    def items(self):
        from .models import NewsPage

        return (
            access.public_pages(NewsPage.objects.child_of(self.index_page))
            .prefetch_related("tags")
            .order_by("-date", "-pk")[:20]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
