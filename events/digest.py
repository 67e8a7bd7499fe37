"""The upcoming-events section of the members' digest (the hook ``portal_digest_sections``,
registered in ``wagtail_hooks.py``; the digest itself belongs to ``mailing``).

For ``users`` (a list) and a digest window ending at ``until``: the events starting in the
seven days after ``until`` that each user may see. A fixed number of queries whatever the number
of users: the candidate events (one query per event model), the page view restrictions with
their groups (two), the users' groups with the ones withheld from suspended members
(``cms.access.users_group_ids``: one, three when someone is suspended). The page policy's rule
is applied in Python with ``cms.access.restriction_accepts``.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from cms import access

from .models import event_models

WINDOW = datetime.timedelta(days=7)
SECTION = "events"


def upcoming_events(users, since, until):
    if not users:
        return {}
    pages = []
    for model in event_models(listed_only=True):
        pages.extend(
            model.objects.live()
            .filter(start__gte=until, start__lt=until + WINDOW)
            .select_related("locale")
        )
    if not pages:
        return {}
    pages.sort(key=lambda page: (page.start, page.pk))
    urls = {page.pk: page.url for page in pages}
    restrictions = list(
        PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    )
    covering = {
        page.pk: [r for r in restrictions if page.path.startswith(r.page.path)] for page in pages
    }
    group_ids = access.users_group_ids(users)
    title = _("Upcoming events")
    result = {}
    for user in users:
        items = []
        for page in pages:
            if all(
                access.restriction_accepts(user, restriction, group_ids.get(user.pk, set()))
                for restriction in covering[page.pk]
            ):
                items.append(
                    {
                        "section": SECTION,
                        "section_title": title,
                        "title": page.title,
                        "url": urls[page.pk],
                        "when": page.start,
                        "summary": page.summary,
                    }
                )
        if items:
            result[user.pk] = items
    return result
