"""Replies: post one (``post_reply``; django-comments-xtd's endpoint completes its own with
``reply_published``), edit or delete one's own, react. Every function checks the access policy
(``cms.access``) itself; refusals raise the errors of ``discussions.services.common``.
``reply_posted`` is sent exactly once per reply, here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import max_thread_level_for_content_type
from wagtail.search import index

from cms import access

from .. import markdown, permissions, signals
from ..models import Reaction, Reply, ReplyRevision, Topic, TopicRead
from ..permissions import may_post
from . import attachments as attachment_files
from .common import (
    REPLY_MAX_LENGTH,
    InvalidInput,
    NotAllowed,
    NotFound,
    _clean_text,
    check_rate,
    record_rate,
)

Action = permissions.Action


# --- Replies ----------------------------------------------------------------------------------


def reply_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _(
            "The moderators hid the opening post of this topic: it takes no new replies for now."
        )
    if topic.locked:
        return _("This topic is closed: it takes no new replies.")
    return _("You may not reply in this discussion.")


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


def post_reply(user, topic, text, *, parent=None, attachments=(), request=None) -> Reply:
    """Publish a reply by ``user`` to ``topic`` (under ``parent``, a Reply or its id), with
    the uploaded files ``attachments`` (all checked before anything is stored:
    ``services.attachments``)."""
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
    files = attachment_files.clean_files(attachments)
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
        attachment_files.store(user, files, reply=reply)
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
        "minutes": int(permissions.REPLY_EDIT_WINDOW.total_seconds() // 60)
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
