"""The discussions' section of the members' digests (the ``portal_digest_sections`` hook,
registered in ``wagtail_hooks.py``; the digest itself is the mailing list's).

For each user: the topics opened in ``(since, until]`` in the spaces they may read (their
communities and working groups; not their own topics), and the replies posted then in the
topics they follow (not their own), one item per topic. In a fixed number of queries whatever
the number of users: the roles of all of them at once (``communities.permissions.prime``), the
new topics, the follows and the new replies in bulk; each user's share is picked in Python
through the same rule as ``permissions.visible_topics`` (``discussion_space_ids``).
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from communities import permissions as community_permissions

from .models import Follow, Reply, Topic

TOPICS = "discussions_topics"
REPLIES = "discussions_replies"


def digest_sections(users, since, until) -> dict[int, list[dict]]:
    users = [user for user in users if user is not None and user.is_authenticated]
    if not users:
        return {}
    community_permissions.prime(users)
    topics = list(
        Topic.objects.filter(created_at__gt=since, created_at__lte=until, hidden_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values("pk", "slug", "title", "space_id", "author_id", "created_at", "community__title")
    )
    followed = defaultdict(set)
    for user_id, topic_id in Follow.objects.filter(
        user__in=[user.pk for user in users], topic__isnull=False
    ).values_list("user_id", "topic_id"):
        followed[user_id].add(topic_id)
    all_followed = set().union(*followed.values()) if followed else set()
    replies = defaultdict(list)  # topic id -> [(author id, date)]
    reply_topics = {}
    if all_followed:
        rows = (
            Reply.objects.filter(
                topic_id__in=all_followed,
                is_public=True,
                is_removed=False,
                submit_date__gt=since,
                submit_date__lte=until,
            )
            .order_by("submit_date")
            .values_list("topic_id", "user_id", "submit_date")
        )
        for topic_id, author_id, when in rows:
            replies[topic_id].append((author_id, when))
        if replies:
            reply_topics = {
                row["pk"]: row
                for row in Topic.objects.filter(pk__in=list(replies)).values(
                    "pk", "slug", "title", "space_id"
                )
            }

    from django.urls import reverse

    def topic_url(row):
        return reverse("discussions:topic", kwargs={"pk": row["pk"], "slug": row["slug"]})

    # One item per new topic, shared by every user who may see it (read-only, as the contract
    # says of every section's items).
    topics_title = _("New topics")
    topic_items = [
        (
            row,
            {
                "section": TOPICS,
                "section_title": topics_title,
                "title": row["title"],
                "url": topic_url(row),
                "when": row["created_at"],
                "summary": row["community__title"],
            },
        )
        for row in topics
    ]
    reply_urls = {pk: topic_url(row) for pk, row in reply_topics.items()}
    replies_title = _("Replies in the topics you follow")
    result = {}
    for user in users:
        spaces = community_permissions.discussion_space_ids(user)
        items = [
            item
            for row, item in topic_items
            if row["author_id"] != user.pk and (spaces is None or row["space_id"] in spaces)
        ]
        for topic_id in followed.get(user.pk, ()):
            row = reply_topics.get(topic_id)
            if row is None or (spaces is not None and row["space_id"] not in spaces):
                continue
            others = [when for author_id, when in replies[topic_id] if author_id != user.pk]
            if not others:
                continue
            items.append(
                {
                    "section": REPLIES,
                    "section_title": replies_title,
                    "title": row["title"],
                    "url": reply_urls[topic_id],
                    "when": others[-1],
                    "summary": _("%(count)s new replies") % {"count": len(others)},
                }
            )
        if items:
            result[user.pk] = items
    return result
