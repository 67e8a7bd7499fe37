"""The calendars: the portal's (every event and webinar the user may see; its public ICS feed
has the public ones), a community's (the events inside its page's subtree; public feed) and the
member's private ICS feed (the events they may see at the time of each fetch)."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms import access
from cms.cache import mark_private
from cms.models import paginate

from .. import ics, services
from ..selectors import calendar_entries, events_for

#: How far back the ICS feeds go.
FEED_PAST = datetime.timedelta(days=180)


def _community(request, pk):
    """The community page ``pk`` (by its type's name: this app does not import communities)."""
    page = Page.objects.live().filter(pk=pk).select_related("content_type").first()
    if (
        page is None
        or (page.content_type.app_label, page.content_type.model)
        != ("communities", "communitypage")
        or not access.can_view_page(request.user, page)
    ):
        raise Http404
    return page


def _html(request, template, *, title, within=None, feed_url):
    if request.user.is_authenticated:
        mark_private(request)
    upcoming, past = calendar_entries(request.user, within=within)
    context = {
        "page_title": title,
        "upcoming": upcoming,
        "past": paginate(request, past),
        "feed_url": request.build_absolute_uri(feed_url),
        "community": within,
    }
    return render(request, template, context)


@require_GET
def portal(request):
    return _html(
        request,
        "events/calendar.html",
        title=_("Events calendar"),
        feed_url=reverse("events:portal_feed"),
    )


@require_GET
def community(request, pk):
    page = _community(request, pk)
    return _html(
        request,
        "events/calendar.html",
        title=_("Events of %(community)s") % {"community": page.title},
        within=page,
        feed_url=reverse("events:community_feed", args=[page.pk]),
    )


def _feed(pages, name):
    return ics.response(ics.calendar(pages, name=name))


@require_GET
def portal_feed(request):
    pages = events_for(None, public_only=True, start_after=timezone.now() - FEED_PAST)
    return _feed(pages, _("Community dei Comuni Digitali – events"))


@require_GET
def community_feed(request, pk):
    page = _community(request, pk)
    if access.is_restricted(page):
        raise Http404
    pages = events_for(None, public_only=True, within=page, start_after=timezone.now() - FEED_PAST)
    return _feed(pages, page.title)


@require_GET
def private_feed(request, key):
    """The member's private feed: every event they may see now (members-only ones included)."""
    mark_private(request)
    user = services.feed_user(key)
    if user is None:
        raise Http404
    pages = events_for(user, start_after=timezone.now() - FEED_PAST)
    return _feed(pages, _("My events – Community dei Comuni Digitali"))
