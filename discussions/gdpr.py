"""The discussions' part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``, the map in ``membership.gdpr``), and the
retention of the replies' IP addresses.

Erasure keeps the text of topics and replies as the community's record, signed as a former
participant (the account row is anonymised: no name, no Ente): the replies lose the name, email
and IP address django-comments stores on each of them; reactions, follows, notifications and
read markers go; reports stay for the moderators without their note. Poll votes: those in
polls still open are withdrawn (as the member could have done); those in closed polls stay as
the poll's result, linked to the anonymised account (no name remains). A poll the member created
stays with its topic.

Files the member attached to topics and replies are listed in the export (name, size, format,
checksum, where, when) and erased with the account: the rows go, and their files leave the
private storage once the erasure commits (``services.attachments.attachment_deleted``); the
text of the post stays.

A reply's IP address is kept ``REPLY_IP_RETENTION_DAYS`` days (``purge_reply_ips``: the task
``discussions.tasks.purge_reply_ip_addresses`` and ``manage.py purge_reply_ips``, run daily).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_comments.models import Comment, CommentFlag

from membership.erasure import register_eraser
from membership.export import register_exporter
from membership.gdpr import anonymise_audit_labels, declare

from .models import (
    Attachment,
    Flag,
    Follow,
    ModerationLog,
    Notification,
    Poll,
    PollVote,
    Reaction,
    Reply,
    Topic,
    TopicRead,
    TopicRevision,
)

DEFAULT_REPLY_IP_RETENTION_DAYS = 30


def _iso(value):
    return value.isoformat() if value else None


def _reply_state(reply) -> str:
    if reply.is_hidden:
        return "hidden"
    if reply.is_removed:
        return "deleted"
    return "published"


# --- Export -----------------------------------------------------------------------------------


@register_exporter("topics", covers=["discussions.Topic.author"])
def export_topics(user):
    return [
        {
            "id": topic.pk,
            "title": topic.title,
            "text": topic.body,
            "community": {"id": topic.community_id, "title": topic.community.title},
            "space_id": topic.space_id,
            "created_at": _iso(topic.created_at),
            "updated_at": _iso(topic.updated_at),
            "tags": sorted(tag.name for tag in topic.tags.all()),
            "url": topic.get_absolute_url(),
            "hidden_at": _iso(topic.hidden_at),
            "revisions": [
                {
                    "title": revision.title,
                    "text": revision.body,
                    "replaced_at": _iso(revision.created_at),
                    "by_author": revision.edited_by_id == user.pk,
                }
                for revision in topic.revisions.all()
            ],
        }
        for topic in Topic.objects.filter(author=user)
        .select_related("community")
        .prefetch_related("tags", "revisions")
        .order_by("created_at", "pk")
    ]


@register_exporter("replies", covers=["django_comments.Comment.user"])
def export_replies(user):
    """Every reply with its earlier texts, and what django-comments stored with it (the name
    and email of the time, the IP address while it is kept)."""
    replies = (
        Reply.objects.filter(user=user)
        .select_related("topic")
        .prefetch_related("revisions")
        .order_by("submit_date", "pk")
    )
    return [
        {
            "id": reply.pk,
            "topic": {"id": reply.topic_id, "title": reply.topic.title},
            "parent_id": reply.parent_id if reply.level else None,
            "text": reply.comment,
            "submitted_at": _iso(reply.submit_date),
            "edited_at": _iso(reply.edited_at),
            "state": _reply_state(reply),
            "name": reply.user_name,
            "email": reply.user_email,
            "ip_address": reply.ip_address,
            "url": reply.get_absolute_url(),
            "revisions": [
                {"text": revision.comment, "replaced_at": _iso(revision.created_at)}
                for revision in reply.revisions.all()
            ],
        }
        for reply in replies
    ]


@register_exporter("reactions", covers=["discussions.Reaction.user"])
def export_reactions(user):
    return [
        {"reply_id": row.reply_id, "kind": row.kind, "created_at": _iso(row.created_at)}
        for row in Reaction.objects.filter(user=user).order_by("created_at", "pk")
    ]


@register_exporter("reports", covers=["discussions.Flag.user"])
def export_reports(user):
    return [
        {
            "reply_id": row.reply_id,
            "reason": row.reason,
            "note": row.note,
            "created_at": _iso(row.created_at),
            "resolved_at": _iso(row.resolved_at),
        }
        for row in Flag.objects.filter(user=user).order_by("created_at", "pk")
    ]


@register_exporter("follows", covers=["discussions.Follow.user"])
def export_follows(user):
    rows = []
    for row in (
        Follow.objects.filter(user=user)
        .select_related("topic", "community")
        .order_by("created_at", "pk")
    ):
        followed = row.topic or row.community
        rows.append(
            {
                "kind": "topic" if row.topic_id else "community",
                "id": followed.pk,
                "title": followed.title,
                "email": row.email,
                "created_at": _iso(row.created_at),
            }
        )
    return rows


@register_exporter("notifications", covers=["discussions.Notification.user"])
def export_notifications(user):
    return [
        {
            "kind": row.kind,
            "topic_id": row.topic_id,
            "reply_id": row.reply_id,
            "created_at": _iso(row.created_at),
            "read_at": _iso(row.read_at),
        }
        for row in Notification.objects.filter(user=user).order_by("created_at", "pk")
    ]


@register_exporter("topic_reads", covers=["discussions.TopicRead.user"])
def export_topic_reads(user):
    return [
        {"topic_id": row.topic_id, "read_at": _iso(row.read_at)}
        for row in TopicRead.objects.filter(user=user).order_by("read_at", "pk")
    ]


@register_exporter(
    "moderation",
    covers=[
        "discussions.ModerationLog.actor",
        "discussions.Reply.hidden_by",
        "discussions.Topic.hidden_by",
        "discussions.TopicRevision.edited_by",
        "discussions.Flag.resolved_by",
    ],
)
def export_moderation(user):
    """What the member did as a moderator (ids and codes; the reason they wrote)."""
    return {
        "actions": [
            {
                "action": row.action,
                "community_id": row.community_id,
                "topic_id": row.topic_id,
                "reply_id": row.reply_id,
                "reason": row.reason,
                "created_at": _iso(row.created_at),
            }
            for row in ModerationLog.objects.filter(actor=user).order_by("created_at", "pk")
        ],
        "replies_hidden": [
            {"reply_id": pk, "hidden_at": _iso(at)}
            for pk, at in Reply.objects.filter(hidden_by=user)
            .order_by("hidden_at", "pk")
            .values_list("pk", "hidden_at")
        ],
        "topics_hidden": [
            {"topic_id": pk, "hidden_at": _iso(at)}
            for pk, at in Topic.objects.filter(hidden_by=user)
            .order_by("hidden_at", "pk")
            .values_list("pk", "hidden_at")
        ],
        "topics_edited": [
            {"topic_id": topic_id, "replaced_at": _iso(at)}
            for topic_id, at in TopicRevision.objects.filter(edited_by=user)
            .exclude(topic__author=user)
            .order_by("created_at", "pk")
            .values_list("topic_id", "created_at")
        ],
        "reports_resolved": [
            {"reply_id": reply_id, "resolved_at": _iso(at)}
            for reply_id, at in Flag.objects.filter(resolved_by=user)
            .order_by("resolved_at", "pk")
            .values_list("reply_id", "resolved_at")
        ],
    }


@register_exporter(
    "poll_votes", covers=["discussions.PollVote.user", "discussions.Poll.created_by"]
)
def export_poll_votes(user):
    """The member's votes (the question and the options they chose), and the polls they
    created."""
    votes = {}
    for vote in (
        PollVote.objects.filter(user=user)
        .select_related("poll", "option")
        .order_by("poll_id", "option__position", "pk")
    ):
        entry = votes.setdefault(
            vote.poll_id,
            {
                "poll_id": vote.poll_id,
                "topic_id": vote.poll.topic_id,
                "question": vote.poll.question,
                "options": [],
                "voted_at": _iso(vote.created_at),
            },
        )
        entry["options"].append(vote.option.label)
    return {
        "votes": list(votes.values()),
        "polls_created": [
            {
                "poll_id": poll.pk,
                "topic_id": poll.topic_id,
                "question": poll.question,
                "created_at": _iso(poll.created_at),
            }
            for poll in Poll.objects.filter(created_by=user).order_by("created_at", "pk")
        ],
    }


@register_exporter("attachments", covers=["discussions.Attachment.uploaded_by"])
def export_attachments(user):
    """The files the member attached (their description: the files themselves are downloaded
    from the discussion, by whoever may read it)."""
    return [
        {
            "id": row.pk,
            "name": row.file_name,
            "size": row.file_size,
            "media_type": row.media_type,
            "sha256": row.sha256,
            "topic_id": row.topic_id or (row.reply.topic_id if row.reply_id else None),
            "reply_id": row.reply_id,
            "uploaded_at": _iso(row.created_at),
            "url": row.get_absolute_url(),
        }
        for row in Attachment.objects.filter(uploaded_by=user)
        .select_related("reply")
        .order_by("created_at", "pk")
    ]


declare(
    "discussions.Topic.last_reply_author",
    export="a copy of the latest reply's author, kept for the listings: the replies are exported",
)
declare(
    "django_comments.CommentFlag.user",
    export="django-comments' own flags are not used (the library's flag and like URLs are not "
    "mounted: discussions.Flag and Reaction replace them); erased all the same",
)


# --- Erasure ----------------------------------------------------------------------------------


@register_eraser(
    "replies",
    covers=[
        "django_comments.Comment.user",
        "discussions.Topic.last_reply_author",
        "django_comments.CommentFlag.user",
    ],
)
def anonymise_replies(user):
    """The text stays; the name, email, URL and IP address stored on each reply go."""
    comments = Comment.objects.filter(user=user)
    anonymise_audit_labels(Reply, comments.values_list("pk", flat=True))
    comments.update(user_name="", user_email="", user_url="", ip_address=None)
    Topic.objects.filter(last_reply_author=user).update(last_reply_author=None)
    CommentFlag.objects.filter(user=user).delete()


@register_eraser(
    "discussion_traces",
    covers=[
        "discussions.Reaction.user",
        "discussions.Follow.user",
        "discussions.Notification.user",
        "discussions.TopicRead.user",
        "discussions.Flag.user",
    ],
)
def erase_traces(user):
    Reaction.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    TopicRead.objects.filter(user=user).delete()
    # A report stays in the moderators' queue (the reply may still need a look), without the
    # note the member wrote; its author is the anonymised account.
    Flag.objects.filter(user=user).exclude(note="").update(note="")


@register_eraser("attachments", covers=["discussions.Attachment.uploaded_by"])
def erase_attachments(user):
    """The member's files go from the posts (each row's file leaves the storage once the
    erasure commits); the text of the topics and replies stays."""
    Attachment.objects.filter(uploaded_by=user).delete()


@register_eraser("poll_votes", covers=["discussions.PollVote.user"])
def erase_poll_votes(user):
    """Votes in polls still open are withdrawn; votes in closed polls stay as their result,
    linked to the anonymised account."""
    now = timezone.now()
    PollVote.objects.filter(user=user).exclude(
        poll__closes_at__isnull=False, poll__closes_at__lte=now
    ).delete()


declare(
    "discussions.Poll.created_by",
    erase="the poll stays with its topic (the community's record), linked to the anonymised "
    "account",
)
declare(
    "discussions.Topic.author",
    erase="the topic (title and text) stays as the community's record, signed as a former "
    "participant: the account it points to is anonymised",
)
_MODERATION_RECORD = (
    "the moderation record stays with the moderated reply or report, linked to the anonymised "
    "account (no name remains)"
)
for _relation in (
    "discussions.ModerationLog.actor",
    "discussions.Reply.hidden_by",
    "discussions.Topic.hidden_by",
    "discussions.TopicRevision.edited_by",
    "discussions.Flag.resolved_by",
):
    declare(_relation, erase=_MODERATION_RECORD)


# --- Retention of the replies' IP addresses ---------------------------------------------------


def reply_ip_retention_days() -> int:
    return int(getattr(settings, "REPLY_IP_RETENTION_DAYS", DEFAULT_REPLY_IP_RETENTION_DAYS))


def purge_reply_ips(now: datetime.datetime | None = None) -> int:
    """Forget the IP address of the replies older than the retention period; returns how many
    replies lost it."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=reply_ip_retention_days())
    return Comment.objects.filter(submit_date__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )
