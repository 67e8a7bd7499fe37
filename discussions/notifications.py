"""Follow and notify: members follow topics or a whole community; new topics and replies notify
their followers in the portal (the unread count in the header) and by email.

- ``follow`` / ``unfollow`` / ``follow_state``: the services behind the follow buttons.
- Receivers of ``discussions.signals``: ``topic_opened`` (the author follows their topic, the
  community's followers get a "topic" notification) and ``reply_posted`` (the reply's author
  follows the topic, the topic's followers get a "reply" notification).
- Who is notified is decided by the access policy for every recipient at the moment of the event
  (someone who left the community gets nothing), in a fixed number of queries whatever the number
  of followers (``community_permissions.prime``). Emails go through Django's task framework
  (``discussions.tasks``), enqueued when the transaction commits; the task checks the policy
  again when it sends (the database backend may run it minutes later).
- Unsubscribing from the emails of a follow: a signed token in every email's link and
  ``List-Unsubscribe`` header (``unsubscribe_token`` / ``follow_for_token``), no sign-in needed.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cms import access
from communities import permissions as community_permissions

from . import permissions
from .models import Follow, Notification, Reply, Topic
from .views.common import reply_url

UNSUBSCRIBE_SALT = "discussions.unsubscribe"


# --- Following ---------------------------------------------------------------------------------


def _default_community(community):
    """Topics attach to the community page of the default language: so do follows."""
    from wagtail.models import Locale

    from cms import locales

    community = getattr(community, "specific", community)
    try:
        default = locales.get_default()
    except Locale.DoesNotExist:
        return community
    if community.locale_id == default.pk:
        return community
    return community.get_translation_or_none(default) or community


def _target(topic, community):
    if (topic is None) == (community is None):
        raise ValueError("Follow either a topic or a community.")
    return topic if topic is not None else _default_community(community)


def follow(user, topic=None, community=None, *, email=True) -> Follow:
    """``user`` follows ``topic`` or ``community`` (idempotent). Only who may read the
    discussions may follow them; anyone else gets ``PermissionDenied``."""
    target = _target(topic, community)
    if not access.can(user, permissions.Action.READ_DISCUSSIONS, target):
        raise PermissionDenied
    lookup = {"topic": target} if topic is not None else {"community": target}
    try:
        with transaction.atomic():
            follow_obj, _created = Follow.objects.get_or_create(
                user=user, **lookup, defaults={"email": email}
            )
    except IntegrityError:  # followed at the same moment by another request
        follow_obj = Follow.objects.get(user=user, **lookup)
    return follow_obj


def unfollow(user, topic=None, community=None) -> bool:
    """``user`` stops following ``topic`` or ``community``; whether they were following it."""
    target = _target(topic, community)
    lookup = {"topic": target} if topic is not None else {"community": target}
    deleted, _per_model = Follow.objects.filter(user=user, **lookup).delete()
    return bool(deleted)


def follow_state(user, topic=None, community=None) -> bool:
    """Whether ``user`` follows ``topic`` (or ``community``): one query, none when signed out."""
    if user is None or not user.is_authenticated:
        return False
    if topic is not None:
        return Follow.objects.filter(user=user, topic=topic).exists()
    return Follow.objects.filter(user=user, community=_default_community(community)).exists()


def set_email(user, follow_obj: Follow, enabled: bool) -> None:
    if follow_obj.user_id != user.pk:
        raise PermissionDenied
    Follow.objects.filter(pk=follow_obj.pk).update(email=enabled)


def end_unreadable_follows(user) -> int:
    """Delete the follows of ``user`` whose discussions they may no longer read (they left the
    community or a working group, were removed, or became a simple participant): nothing would
    be sent for them, and "What you follow" must not say otherwise. How many were deleted."""
    if user is None or not user.pk:
        return 0
    access.forget(user)  # the membership just changed: the policy's cached roles are stale
    space_ids = community_permissions.discussion_space_ids(user)
    if space_ids is None:  # superusers read everything
        return 0
    deleted, _per_model = (
        Follow.objects.filter(user=user)
        .exclude(community_id__in=space_ids)
        .exclude(topic__space_id__in=space_ids)
        .delete()
    )
    return deleted


# --- Unsubscribe tokens ------------------------------------------------------------------------


def unsubscribe_token(follow_obj: Follow) -> str:
    """A signed token that turns off the emails of one follow (no expiry: links in old emails
    keep working; it does nothing but switch emails off)."""
    return signing.dumps({"f": follow_obj.pk, "u": follow_obj.user_id}, salt=UNSUBSCRIBE_SALT)


def follow_for_token(token: str) -> Follow | None:
    """The follow a token names, or ``None`` for a bad token or a follow that no longer exists."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        follow_id, user_id = int(data["f"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (
        Follow.objects.select_related("topic", "community")
        .filter(pk=follow_id, user_id=user_id)
        .first()
    )


# --- Notifying ---------------------------------------------------------------------------------


def _load_topic(topic_id) -> Topic:
    """The topic with what the access policy reads (its community and space) in one query."""
    return Topic.objects.select_related("community", "space").get(pk=topic_id)


def readable_follows(topic: Topic, follows, *, exclude_user_id=None) -> list[Follow]:
    """One follow per user among ``follows`` (a topic follow wins over a community follow),
    keeping only users who may read ``topic`` now. Two queries whatever the number of users."""
    by_user: dict[int, Follow] = {}
    for follow_obj in follows:
        if follow_obj.user_id == exclude_user_id:
            continue
        kept = by_user.get(follow_obj.user_id)
        if kept is None or (follow_obj.topic_id and not kept.topic_id):
            by_user[follow_obj.user_id] = follow_obj
    chosen = list(by_user.values())
    community_permissions.prime([follow_obj.user for follow_obj in chosen])
    return [
        follow_obj
        for follow_obj in chosen
        if access.can(follow_obj.user, permissions.Action.READ_DISCUSSIONS, topic)
    ]


def _follows_of(topic: Topic, *, include_topic=True):
    """Follows of ``topic`` and of its community (one query, with the users)."""
    from django.db.models import Q

    condition = Q(community_id=topic.community_id)
    if include_topic:
        condition |= Q(topic_id=topic.pk)
    return Follow.objects.filter(condition).select_related("user").order_by("pk")


def _notify(kind, topic: Topic, reply: Reply | None, follows: list[Follow]) -> list[Notification]:
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user_id=follow_obj.user_id, kind=kind, topic=topic, reply=reply, created_at=now
            )
            for follow_obj in follows
        ]
    )
    forget_unread_count([follow_obj.user for follow_obj in follows])
    emailed = [follow_obj.pk for follow_obj in follows if follow_obj.email]
    if emailed:
        from .tasks import send_notification_emails

        transaction.on_commit(
            lambda: send_notification_emails.enqueue(
                kind=kind,
                topic_id=topic.pk,
                reply_id=reply.pk if reply is not None else None,
                follow_ids=emailed,
            )
        )
    return notifications


def _auto_follow(user_id, topic: Topic) -> None:
    """Authors follow the topics they open or reply to (emails on), unless they already do."""
    if not user_id or Follow.objects.filter(user_id=user_id, topic=topic).exists():
        return
    try:
        with transaction.atomic():
            Follow.objects.create(user_id=user_id, topic=topic)
    except IntegrityError:
        pass


def notify_topic_opened(topic) -> None:
    """A topic was opened: its author follows it, the community's followers are notified."""
    topic = _load_topic(topic.pk)
    _auto_follow(topic.author_id, topic)
    follows = readable_follows(
        topic, _follows_of(topic, include_topic=False), exclude_user_id=topic.author_id
    )
    _notify(Notification.Kind.TOPIC, topic, None, follows)


def notify_reply_posted(reply) -> None:
    """A reply was published: its author follows the topic, the topic's followers are
    notified."""
    topic = _load_topic(reply.topic_id)
    _auto_follow(reply.user_id, topic)
    if not reply.is_public or reply.is_removed:
        return
    follows = readable_follows(topic, _follows_of(topic), exclude_user_id=reply.user_id)
    _notify(Notification.Kind.REPLY, topic, reply, follows)


# --- In-portal notifications -------------------------------------------------------------------


#: How long the header's unread count stays in the cache. Every change made here forgets it at
#: once; the timeout only bounds what a deletion elsewhere (a cascade) could leave stale.
UNREAD_CACHE_SECONDS = 300


def _unread_key(user) -> str:
    # date_joined tells two accounts with the same id apart (tests reuse ids after rollbacks).
    joined = getattr(user, "date_joined", None)
    stamp = int(joined.timestamp() * 1_000_000) if joined else 0
    return f"discussions:unread:{user.pk}:{stamp}"


def forget_unread_count(users) -> None:
    """Drop the cached unread counts of ``users`` (now, and again when the transaction commits,
    so that a request reading the count meanwhile cannot keep the old one)."""
    keys = [_unread_key(user) for user in users if user is not None and user.pk]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count(user) -> int:
    """Unread notifications of ``user``: from the cache (Redis in production), else one query."""
    if user is None or not user.is_authenticated:
        return 0
    key = _unread_key(user)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def visible_notifications(user):
    """``user``'s notifications about topics they may still read, newest first."""
    queryset = Notification.objects.filter(user=user)
    space_ids = community_permissions.discussion_space_ids(user)
    if space_ids is not None:
        queryset = queryset.filter(topic__space_id__in=space_ids)
    return queryset.select_related("topic", "topic__community", "reply", "reply__user")


def forget_unreadable(user) -> None:
    """Mark read the notifications about topics ``user`` may no longer read (they left the
    community or the group): the header's count then matches what the list shows."""
    space_ids = community_permissions.discussion_space_ids(user)
    if space_ids is None:
        return
    changed = (
        Notification.objects.filter(user=user, read_at__isnull=True)
        .exclude(topic__space_id__in=space_ids)
        .update(read_at=timezone.now())
    )
    if changed:
        forget_unread_count([user])


def mark_all_read(user) -> int:
    changed = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread_count([user])
    return changed


def mark_read(user, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        forget_unread_count([user])


def reply_path(reply: Reply) -> str:
    """The topic page that shows ``reply`` (its page of threads), anchored at it: the topic
    views' own link (one query), so that notifications and emails land where the reply is."""
    return reply_url(reply.topic, reply)


def absolute_url(path: str) -> str:
    """An absolute URL of the portal (emails): ``WAGTAILADMIN_BASE_URL`` + ``path``."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
