"""What members do in discussions: open a topic, edit or delete it, reply, edit or delete their
reply, react, read. The moderators edit and delete any topic through the same functions (logged
as moderation: ``discussions.moderation``).

Every function checks the access policy (``communities.access``) itself, so that the site's
views, the API and django-comments-xtd's endpoint (through ``discussions.gate``) behave alike:

- ``NotFound``: the user may not read the discussion (non-members learn nothing: a 404);
- ``NotAllowed``: a member without the right (a 403 with the message);
- ``RateLimited``: too many posts in a window (a 429 with the wait, ``retry_after`` seconds);
- ``InvalidInput``: an empty or too long text (a 400 with the message; the text is kept).

``topic_opened`` and ``reply_posted`` are sent exactly once per event, here.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_comments_xtd.models import max_thread_level_for_content_type
from wagtail.models import Page
from wagtail.search import index

from cms import locales
from communities import access

from . import markdown, signals
from .models import ModerationLog, Reaction, Reply, ReplyRevision, Topic, TopicRead, TopicRevision

Action = access.Action

#: ``{kind: [(max posts, window seconds), ...]}``; override with settings.DISCUSSIONS_RATE_LIMITS.
DEFAULT_RATE_LIMITS = {
    "reply": [(5, 60), (30, 3600)],
    "topic": [(5, 3600)],
}
TITLE_MAX_LENGTH = Topic._meta.get_field("title").max_length
BODY_MAX_LENGTH = 20_000
#: django-contrib-comments' limit (the ``comment`` column of every reply).
REPLY_MAX_LENGTH = getattr(settings, "COMMENT_MAX_LENGTH", 3000)


class DiscussionError(Exception):
    status = 400

    def __init__(self, message=""):
        super().__init__(message)
        self.message = message


class NotFound(DiscussionError):
    status = 404


class NotAllowed(DiscussionError):
    status = 403


class InvalidInput(DiscussionError):
    status = 400


class RateLimited(DiscussionError):
    status = 429

    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(wait_message(self.retry_after))


def wait_message(seconds: int) -> str:
    if seconds < 60:
        wait = ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return _(
        "You are posting too quickly. Please wait %(wait)s and try again: your text has been kept."
    ) % {"wait": wait}


# --- Spaces and topics ------------------------------------------------------------------------


def space_page(space_id) -> Page | None:
    """The community or working group page ``space_id`` in the default language, or ``None``.

    Topics attach to the Italian page: a translation's id is mapped to it, and a reserved area's
    id to its community."""
    from communities.models import CommunityAreaPage, CommunityPage, WorkingGroupPage

    page = Page.objects.filter(pk=space_id).select_related("locale").first()
    if page is None:
        return None
    page = page.specific
    if isinstance(page, CommunityAreaPage):  # a community's reserved area: its community
        page = page.get_parent().specific
    if not isinstance(page, CommunityPage | WorkingGroupPage):
        return None
    default = locales.get_default()
    if page.locale_id != default.pk:
        page = page.get_translation_or_none(default)
        page = page.specific if page is not None else None
    return page


def community_of(space):
    from communities.models import CommunityPage

    if isinstance(space, CommunityPage):
        return space
    return CommunityPage.objects.ancestor_of(space).get()


def get_topic(user, pk) -> Topic:
    """The topic ``pk`` if ``user`` may read it, else ``NotFound`` (whether it exists or not)."""
    topic = (
        access.visible_topics(user, Topic.objects.for_listing()).filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if topic is None:
        raise NotFound()
    return topic


def _clean_text(text, *, max_length, empty_message):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(empty_message)
    if len(text) > max_length:
        raise InvalidInput(
            _("The text is too long: %(length)d characters, at most %(max)d.")
            % {"length": len(text), "max": max_length}
        )
    return text


def create_topic(user, space, *, title, body, tags=(), request=None) -> Topic:
    """Open a topic in ``space`` (a CommunityPage or WorkingGroupPage) as ``user``."""
    if not access.can(user, Action.READ_DISCUSSIONS, space):
        raise NotFound()
    if not access.can(user, Action.OPEN_TOPIC, space):
        raise NotAllowed(open_topic_refusal(space))
    title = _clean_text(
        title, max_length=TITLE_MAX_LENGTH, empty_message=_("Please give the topic a title.")
    )
    body = _clean_text(
        body, max_length=BODY_MAX_LENGTH, empty_message=_("Please write the topic's text.")
    )
    check_rate(user, "topic")
    now = timezone.now()
    with transaction.atomic():
        topic = Topic(
            space=space,
            community=community_of(space),
            title=title,
            body=body,
            body_html=markdown.render(body),
            author=user,
            created_at=now,
            last_activity_at=now,
        )
        topic.save()
        set_tags(topic, tags)
        TopicRead.objects.create(user=user, topic=topic, read_at=now)
    record_rate(user, "topic")
    signals.topic_opened.send(sender=Topic, topic=topic)
    return topic


def set_tags(topic, names) -> None:
    """Tag ``topic`` (taggit tags, matched case-insensitively; new ones created).

    ``TaggedTopic`` points to the topic with a plain foreign key, so modelcluster's in-memory
    ``topic.tags.add`` cannot be used: the rows are written directly."""
    from taggit.models import Tag

    from .models import TaggedTopic

    for name in dict.fromkeys(n.strip()[:100] for n in names if n and n.strip()):
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        TaggedTopic.objects.get_or_create(content_object=topic, tag=tag)


def open_topic_refusal(space) -> str:
    from communities.models import WorkingGroupPage

    if isinstance(space, WorkingGroupPage):
        return _("Only the members of this working group may open topics here.")
    return _(
        "Only designated participants, the coordinator and the support team may open topics "
        "in this community. As a participant you can reply to the existing topics."
    )


# --- Replies ----------------------------------------------------------------------------------


def reply_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _(
            "The moderators hid the opening post of this topic: it takes no new replies for now."
        )
    if topic.locked:
        return _("This topic is closed: it takes no new replies.")
    return _("You may not reply in this discussion.")


# --- Editing and deleting topics ----------------------------------------------------------------


def _may_see_topic(user, topic) -> bool:
    from . import moderation

    return moderation.may_see(user, topic)


def edit_topic_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _("The moderators hid this topic: you can no longer edit it.")
    return _(
        "You can edit your own topics only, within %(minutes)d minutes of opening them; "
        "after that, ask the moderators."
    ) % {"minutes": int(access.TOPIC_EDIT_WINDOW.total_seconds() // 60)}


def delete_topic_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _("The moderators hid this topic: you can no longer delete it.")
    if topic.reply_count:
        return _("A topic with replies can be deleted by the moderators only.")
    return _("You can delete your own topics only.")


def _by_moderator(user, topic) -> bool:
    """Whether changing ``topic`` is a moderation action (logged), not an author's own edit."""
    return topic.author_id != user.pk or topic.hidden_at is not None


def deleting_is_moderation(user, topic) -> bool:
    """Whether ``user`` deleting ``topic`` is a moderation action (a reason is required)."""
    return _by_moderator(user, topic) or bool(topic.reply_count)


def editing_is_moderation(user, topic) -> bool:
    """Whether ``user`` editing ``topic`` is a moderation action (logged, with a reason)."""
    return _by_moderator(user, topic)


def edit_topic(user, topic, *, title, body, reason="") -> Topic:
    """Replace the title and text of ``topic`` (the previous ones are kept as a revision):
    the author within the edit window, the moderators any time (logged, with ``reason``)."""
    from . import moderation

    if not _may_see_topic(user, topic):
        raise NotFound()
    if not access.can(user, Action.EDIT_TOPIC, topic):
        raise NotAllowed(edit_topic_refusal(topic))
    title = _clean_text(
        title, max_length=TITLE_MAX_LENGTH, empty_message=_("Please give the topic a title.")
    )
    body = _clean_text(
        body, max_length=BODY_MAX_LENGTH, empty_message=_("Please write the topic's text.")
    )
    reason = " ".join((reason or "").split())[: moderation.REASON_MAX_LENGTH]
    if title == topic.title and body == topic.body:
        return topic
    now = timezone.now()
    with transaction.atomic():
        TopicRevision.objects.create(
            topic=topic, title=topic.title, body=topic.body, edited_by=user, created_at=now
        )
        topic.title, topic.body, topic.body_html = title, body, markdown.render(body)
        topic.edited_at = now
        Topic.objects.filter(pk=topic.pk).update(
            title=topic.title, body=topic.body, body_html=topic.body_html, edited_at=now
        )
        if _by_moderator(user, topic):
            moderation.record(user, ModerationLog.Action.EDIT_TOPIC, topic=topic, reason=reason)
    topic_id = topic.pk
    transaction.on_commit(lambda: _reindex_topic(topic_id))
    return topic


def _reindex_topic(topic_id):
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is not None:
        index.insert_or_update_object(topic)  # a hidden topic stays out (get_indexed_objects)


def delete_topic(user, topic, *, reason="") -> None:
    """Delete ``topic`` with its replies, for good: its author while nobody replied, the
    moderators any time (``reason`` required, logged). Hiding is the reversible action."""
    from . import moderation

    if not _may_see_topic(user, topic):
        raise NotFound()
    if not access.can(user, Action.DELETE_TOPIC, topic):
        raise NotAllowed(delete_topic_refusal(topic))
    by_moderator = deleting_is_moderation(user, topic)
    with transaction.atomic():
        if by_moderator:
            try:
                reason = moderation.clean_reason(
                    reason,
                    _("Give the reason for deleting the topic: it is kept in the moderation log."),
                )
            except ValidationError as error:
                raise InvalidInput(error.messages[0]) from error
            moderation.record(
                user,
                ModerationLog.Action.DELETE_TOPIC,
                topic=topic,
                reason=reason,
                replies=topic.reply_count,
                author=topic.author_id or 0,
            )
        topic.delete()  # its replies, reports, follows and notifications go with it


def max_thread_level() -> int:
    """The deepest reply level (0-based): replies nest up to ``max_thread_level() + 1`` deep."""
    return max_thread_level_for_content_type(ContentType.objects.get_for_model(Topic))


def _parent_for(topic, parent):
    """The reply to attach to: ``parent``, or its ancestor when the thread is at its deepest."""
    if parent is None:
        return None
    if isinstance(parent, int | str):
        parent = Reply.objects.filter(pk=parent, topic=topic).first()
        if parent is None:
            raise InvalidInput(_("The reply you are answering no longer exists."))
    if parent.topic_id != topic.pk or not parent.is_public or parent.is_removed:
        raise InvalidInput(_("The reply you are answering is no longer available."))
    max_level = max_thread_level()
    while parent.level >= max_level:
        parent = Reply.objects.get(pk=parent.parent_id)
    return parent


def post_reply(user, topic, text, *, parent=None, request=None) -> Reply:
    """Publish a reply by ``user`` to ``topic`` (under ``parent``, a Reply or its id)."""
    from .gate import may_post

    if not access.can(user, Action.READ_DISCUSSIONS, topic):
        raise NotFound()
    if not may_post(user, topic):
        raise NotAllowed(reply_refusal(topic))
    text = _clean_text(
        text,
        max_length=REPLY_MAX_LENGTH,
        empty_message=_("Please write your reply."),
    )
    parent = _parent_for(topic, parent)
    if not may_post(user, topic, parent):
        raise NotAllowed(reply_refusal(topic))
    check_rate(user, "reply")
    reply = Reply(
        content_type=ContentType.objects.get_for_model(Topic),
        object_pk=str(topic.pk),
        site_id=settings.SITE_ID,
        user=user,
        user_name=user.get_full_name() or user.get_username(),
        user_email=user.email or "",
        comment=text,
        body_html=markdown.render(text),
        submit_date=timezone.now(),
        ip_address=_client_ip(request),
        is_public=True,
        is_removed=False,
        parent_id=parent.pk if parent else 0,
        topic=topic,
        space_id=topic.space_id,
    )
    with transaction.atomic():
        reply.save()
    reply.topic = topic
    reply_published(reply)
    return reply


def reply_published(reply) -> None:
    """After a reply is stored (by ``post_reply`` or django-comments-xtd's endpoint): topic
    counters, the author's read marker, the rate-limit count, and ``reply_posted`` (once)."""
    Topic.objects.filter(pk=reply.topic_id).update(
        reply_count=F("reply_count") + 1,
        last_activity_at=reply.submit_date,
        last_reply_author_id=reply.user_id,
    )
    if reply.user_id:
        TopicRead.objects.update_or_create(
            user_id=reply.user_id, topic_id=reply.topic_id, defaults={"read_at": timezone.now()}
        )
        record_rate(reply.user, "reply")
    signals.reply_posted.send(sender=Reply, reply=reply)


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def get_reply(user, topic, reply_id) -> Reply:
    """A reply of ``topic`` (which ``user`` may read), else ``NotFound``."""
    reply = (
        Reply.objects.filter(pk=reply_id, topic=topic).select_related("user").first()
        if str(reply_id).isdigit()
        else None
    )
    if reply is None:
        raise NotFound()
    reply.topic = topic
    return reply


def edit_reply_refusal(reply) -> str:
    if reply.hidden_at is not None and not reply.is_removed:
        return _("The moderators hid this reply: you can no longer edit it.")
    return _("You can edit your own replies only, within %(minutes)d minutes of posting them.") % {
        "minutes": int(access.REPLY_EDIT_WINDOW.total_seconds() // 60)
    }


def edit_reply(user, reply, text) -> Reply:
    """Replace the text of the user's own reply (within the edit window), keeping the old one."""
    if not access.can(user, Action.READ_DISCUSSIONS, reply.topic):
        raise NotFound()
    if not access.can(user, Action.EDIT_REPLY, reply):
        raise NotAllowed(edit_reply_refusal(reply))
    text = _clean_text(
        text, max_length=REPLY_MAX_LENGTH, empty_message=_("Please write your reply.")
    )
    if text == reply.comment:
        return reply
    with transaction.atomic():
        ReplyRevision.objects.create(reply=reply, comment=reply.comment)
        reply.comment = text
        reply.body_html = markdown.render(text)
        reply.edited_at = timezone.now()
        _update(reply, comment=reply.comment, body_html=reply.body_html, edited_at=reply.edited_at)
    transaction.on_commit(lambda: index.insert_or_update_object(reply))
    return reply


def _update(reply, **fields):
    """Write ``fields`` of an existing reply with ``QuerySet.update``, never ``save()``:
    django-comments-xtd's pre-save hook would otherwise publish (or unpublish) every reply
    nested under it, undoing a moderator's hiding or hiding the answers to a deleted reply."""
    Reply.objects.filter(pk=reply.pk).update(**fields)


def delete_reply(user, reply) -> Reply:
    """Soft-delete the user's own reply: the thread keeps a placeholder."""
    if not access.can(user, Action.READ_DISCUSSIONS, reply.topic):
        raise NotFound()
    if not access.can(user, Action.DELETE_REPLY, reply):
        raise NotAllowed(_("You can delete your own replies only."))
    reply.is_removed = True
    _update(reply, is_removed=True)
    transaction.on_commit(lambda: index.remove_object(reply))
    return reply


def toggle_reaction(user, reply, kind) -> tuple[bool, int]:
    """Add or remove ``user``'s reaction ``kind`` to ``reply``; ``(active, count)``."""
    if not access.can(user, Action.READ_DISCUSSIONS, reply.topic):
        raise NotFound()
    if kind not in Reaction.Kind.values:
        raise InvalidInput(_("Unknown reaction."))
    if reply.is_removed or not reply.is_public:
        raise NotAllowed(_("This reply is no longer available."))
    if reply.user_id == user.pk:
        raise NotAllowed(_("You cannot react to your own reply."))
    if not access.can(user, Action.REPLY, reply.topic):
        raise NotAllowed(reply_refusal(reply.topic))
    deleted, _rows = Reaction.objects.filter(reply=reply, user=user, kind=kind).delete()
    active = not deleted
    if active:
        try:
            with transaction.atomic():
                Reaction.objects.create(reply=reply, user=user, kind=kind)
        except IntegrityError:  # a double click raced us: it is there
            pass
    return active, Reaction.objects.filter(reply=reply, kind=kind).count()


def mark_read(user, topic) -> None:
    """Remember that ``user`` read ``topic`` now (the listing's unread markers)."""
    if not getattr(user, "is_authenticated", False):
        return
    now = timezone.now()
    if not TopicRead.objects.filter(user=user, topic=topic).update(read_at=now):
        try:
            with transaction.atomic():
                TopicRead.objects.create(user=user, topic=topic, read_at=now)
        except IntegrityError:
            pass


# --- Rate limits (counted in the cache: Redis in production) ----------------------------------


def _limits(kind):
    limits = getattr(settings, "DISCUSSIONS_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    return limits.get(kind, ())


def _keys(user, kind, now=None):
    now = time.time() if now is None else now
    for limit, window in _limits(kind):
        bucket = int(now // window)
        retry_after = window - (now % window)
        yield f"discussions:rate:{kind}:{user.pk}:{window}:{bucket}", limit, window, retry_after


def check_rate(user, kind) -> None:
    """``RateLimited`` if ``user`` reached one of the limits for ``kind`` (fixed windows)."""
    if getattr(user, "pk", None) is None:
        return
    keys = list(_keys(user, kind))
    if not keys:
        return
    counts = cache.get_many([key for key, *_rest in keys])
    waits = [
        retry_after for key, limit, _window, retry_after in keys if counts.get(key, 0) >= limit
    ]
    if waits:
        raise RateLimited(math.ceil(max(waits)))


def record_rate(user, kind) -> None:
    if getattr(user, "pk", None) is None:
        return
    for key, _limit, window, _retry in _keys(user, kind):
        if not cache.add(key, 1, timeout=window + 1):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window + 1)
