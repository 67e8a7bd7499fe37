"""The daily and weekly digests: for each member, what is new since their last digest in the
communities they receive that way — the announcements they may see, and the sections of every
``portal_digest_sections`` hook (discussions, events; contract in docs/architecture.md).

Built in batches of ``DIGEST_BATCH_SIZE`` members, each in a fixed number of queries whatever
its size: subscriptions with their users, memberships, working groups, announcements and each
hook's content are loaded in bulk, then every member's digest is built in Python.

The hooks' sections (not tied to one community) go in a member's most frequent digest: the
daily one when they receive any community daily, else the weekly one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail import hooks

from communities import permissions as community_permissions
from communities.models import Membership, WorkingGroupMembership

from .audience import sees
from .models import AnnouncementPage, Subscription

DIGEST_BATCH_SIZE = 500
PERIODS = {
    Subscription.Frequency.DAILY: timedelta(days=1),
    Subscription.Frequency.WEEKLY: timedelta(days=7),
}
ANNOUNCEMENTS = "announcements"


def _since(subscription, until):
    return subscription.last_digest_at or (until - PERIODS[subscription.frequency])


def _announcements(since, until):
    """Live announcements first published in ``(since, until]``, with their community and
    working group keys (no query per page: the policy's snapshot of the space pages)."""
    pages = list(
        AnnouncementPage.objects.live()
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .only(
            "id",
            "title",
            "path",
            "depth",
            "url_path",
            "summary",
            "audience",
            "first_published_at",
            "locale_id",
            "translation_key",
        )
        .order_by("-first_published_at", "-pk")
    )
    from .selectors import one_per_translation

    rows = []
    for page in one_per_translation(pages):
        community_key, wg_key = community_permissions._context_keys(page)
        if community_key is None:
            continue
        rows.append((page, community_key, wg_key))
    return rows


def build(frequency: str, user_ids, until):
    """``[(user, sections, subscriptions)]`` of the members among ``user_ids`` with something
    new; ``sections`` is a list of ``{"key", "title", "items"}``."""
    from .emails import page_url

    subscriptions = list(
        Subscription.objects.current()
        .filter(user_id__in=user_ids, frequency=frequency, user__is_active=True)
        .select_related("user", "community")
        .order_by("user_id", "pk")
    )
    if not subscriptions:
        return []
    by_user = defaultdict(list)
    users = {}
    for subscription in subscriptions:
        by_user[subscription.user_id].append(subscription)
        users[subscription.user_id] = subscription.user
    # Whose most frequent digest this is (the hooks' sections go there).
    gets_sections = set(users)
    if frequency == Subscription.Frequency.WEEKLY:
        gets_sections -= set(
            Subscription.objects.current()
            .filter(user_id__in=list(users), frequency=Subscription.Frequency.DAILY)
            .values_list("user_id", flat=True)
        )
    user_since = {
        user_id: min(_since(sub, until) for sub in subs) for user_id, subs in by_user.items()
    }
    since = min(user_since.values())

    roles = defaultdict(dict)
    for user_id, key, role in (
        Membership.objects.active()
        .filter(user_id__in=list(users))
        .values_list("user_id", "community__translation_key", "role")
    ):
        roles[user_id][key] = role
    groups = defaultdict(set)
    for user_id, key in (
        WorkingGroupMembership.objects.active()
        .filter(user_id__in=list(users))
        .values_list("user_id", "group__translation_key")
    ):
        groups[user_id].add(key)

    announcements = _announcements(since, until)
    urls = {page.pk: page_url(page) for page, _c, _w in announcements}

    extra = defaultdict(list)
    section_users = [users[user_id] for user_id in sorted(gets_sections)]
    if section_users:
        for provider in hooks.get_hooks("portal_digest_sections"):
            for user_id, items in (provider(section_users, since, until) or {}).items():
                extra[user_id].extend(items)

    title = _("Announcements")
    built = []
    for user_id, subs in by_user.items():
        starts = {sub.community.translation_key: _since(sub, until) for sub in subs}
        user_roles = roles.get(user_id, {})
        user_groups = groups.get(user_id, set())
        items = []
        for page, community_key, wg_key in announcements:
            start = starts.get(community_key)
            if start is None or page.first_published_at <= start:
                continue
            in_group = None if wg_key is None else wg_key in user_groups
            if not sees(user_roles.get(community_key), page.audience, in_group):
                continue
            items.append(
                {
                    "section": ANNOUNCEMENTS,
                    "section_title": title,
                    "title": page.title,
                    "url": urls[page.pk],
                    "when": page.first_published_at,
                    "summary": page.summary,
                }
            )
        items.extend(item for item in extra.get(user_id, ()) if item["when"] > user_since[user_id])
        if not items:
            continue
        sections = {}
        for item in items:
            section = sections.setdefault(
                item["section"],
                {"key": item["section"], "title": item["section_title"], "items": []},
            )
            section["items"].append(item)
        for section in sections.values():
            section["items"].sort(key=lambda item: item["when"], reverse=True)
        built.append((users[user_id], list(sections.values()), subs))
    return built


def send_batch(frequency: str, user_ids, until) -> int:
    """Build and send the digests of ``user_ids`` over one mail connection, then record
    ``last_digest_at``; how many were sent."""
    from django.conf import settings

    from .emails import address, digest_message

    with translation.override(settings.LANGUAGE_CODE):
        built = build(frequency, user_ids, until)
        messages = [
            digest_message(user, frequency, sections, subs)
            for user, sections, subs in built
            if address(user)
        ]
    sent = 0
    if messages:
        with mail.mailers.default as connection:
            sent = connection.send_messages(messages) or 0
    Subscription.objects.current().filter(user_id__in=list(user_ids), frequency=frequency).update(
        last_digest_at=until
    )
    return sent
