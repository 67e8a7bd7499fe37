"""Topics: open one, edit or delete it (its author; the moderators, logged as moderation:
``discussions.services.moderation``), tag it, mark it read. Every function checks the access
policy (``cms.access``) itself, so that the site's views and the API behave alike; refusals raise
the errors of ``discussions.services.common``. ``topic_opened`` is sent exactly once per topic,
here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.search import index

from cms import access, locales

from .. import markdown, permissions, signals
from ..models import ModerationLog, TaggedTopic, Topic, TopicRead, TopicRevision
from . import attachments as attachment_files
from . import moderation, polls
from .common import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    InvalidInput,
    NotAllowed,
    NotFound,
    _clean_text,
    check_rate,
    record_rate,
)

Action = permissions.Action


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
        permissions.visible_topics(user, Topic.objects.for_listing()).filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if topic is None:
        raise NotFound()
    return topic


def create_topic(
    user, space, *, title, body, tags=(), poll=None, attachments=(), request=None
) -> Topic:
    """Open a topic in ``space`` (a CommunityPage or WorkingGroupPage) as ``user``, with its
    quick poll if ``poll`` (a ``polls.PollInput``, or a dict of ``polls.clean_poll``'s
    arguments) is given, and the uploaded files ``attachments`` attached to its opening post
    (all checked before anything is stored: ``services.attachments``)."""
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
    if isinstance(poll, dict):
        poll = polls.clean_poll(**poll)
    files = attachment_files.clean_files(attachments)
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
        if poll is not None:
            polls.add_poll_on_create(user, topic, poll)
        TopicRead.objects.create(user=user, topic=topic, read_at=now)
        attachment_files.store(user, files, topic=topic)
    record_rate(user, "topic")
    signals.topic_opened.send(sender=Topic, topic=topic)
    return topic


def set_tags(topic, names) -> None:
    """Tag ``topic`` (taggit tags, matched case-insensitively; new ones created).

    ``TaggedTopic`` points to the topic with a plain foreign key, so modelcluster's in-memory
    ``topic.tags.add`` cannot be used: the rows are written directly."""
    from taggit.models import Tag

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


# --- Editing and deleting topics ----------------------------------------------------------------


def _may_see_topic(user, topic) -> bool:
    return moderation.may_see(user, topic)


def edit_topic_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _("The moderators hid this topic: you can no longer edit it.")
    return _(
        "You can edit your own topics only, within %(minutes)d minutes of opening them; "
        "after that, ask the moderators."
    ) % {"minutes": int(permissions.TOPIC_EDIT_WINDOW.total_seconds() // 60)}


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
