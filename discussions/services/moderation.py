"""Moderation of the discussions: members flag replies and topics' opening posts; the
community's coordinator and support team (and staff) hide and restore replies and opening posts,
dismiss reports, edit and delete topics, lock, pin and move them.

The queue's reads are the models' QuerySet methods (``reported``, ``hidden``,
``in_community``). Every rule is the access policy's (``cms.access``: ``FLAG``, ``MODERATE``,
``READ_DISCUSSIONS``); this module only applies it and records what happened. Each moderation
action checks ``access.can(user, MODERATE, ...)`` and writes a ``ModerationLog`` entry and an
entry of the portal's audit trail (``cms.audit``, "discussions.<action>", ids only) in the same
transaction as the change. Refusals raise:

- ``Http404`` when the user may not even read the discussion (non-members learn nothing);
- ``PermissionDenied`` (with an Italian message) for a member who may not take the action;
- ``ValidationError`` (with a ``code``) for bad input or an action that changes nothing
  (``"already"``: already flagged / hidden / not hidden / no open report; ``"required"``,
  ``"invalid"``, ``"same_space"``).

Search: a hidden reply or opening post is removed from the search index (and put back when
restored); a moved topic and its replies are reindexed with their new ``space_id`` (the search
filter). Index work runs after the transaction commits. The rows are changed with
``QuerySet.update`` so that Wagtail's post-save indexing task (queued, in production run later
by the worker) does not re-add a reply that was just hidden.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search import index
from wagtail.search.backends import get_search_backends

from cms import access, audit
from communities.models import CommunityPage, WorkingGroupPage

from ..models import Flag, ModerationLog, Reply, Topic
from ..permissions import Action

logger = logging.getLogger("discussions.moderation")

#: Longest reason for hiding a reply (``Reply.hidden_reason``).
REASON_MAX_LENGTH = Reply._meta.get_field("hidden_reason").max_length
#: Longest note of a report (``Flag.note``).
NOTE_MAX_LENGTH = Flag._meta.get_field("note").max_length

Log = ModerationLog.Action


# --- Checks -------------------------------------------------------------------------------------


def _topic_of(obj) -> Topic:
    return obj.topic if isinstance(obj, Reply) else obj


def may_moderate(user, obj) -> bool:
    """Whether ``user`` moderates the discussion of ``obj`` (a topic, a reply, a community)."""
    if isinstance(obj, Reply | Topic):
        obj = _topic_of(obj)
    return access.can(user, Action.MODERATE, obj)


def may_see(user, topic) -> bool:
    return access.can(user, Action.READ_DISCUSSIONS, topic) or access.can(
        user, Action.MODERATE, topic
    )


def _require_moderator(user, obj):
    """404 for who may not read the discussion, 403 for members who may not moderate."""
    topic = _topic_of(obj)
    if access.can(user, Action.MODERATE, topic):
        return
    if access.can(user, Action.READ_DISCUSSIONS, topic):
        raise PermissionDenied(
            _("Only the coordinator and the support team of the community moderate discussions.")
        )
    raise Http404


def audit_action(action) -> str:
    """The audit trail's action for a moderation log action (registered in wagtail_hooks)."""
    return f"discussions.{action}"


def _log(user, action, *, topic, reply=None, reason="", **details) -> ModerationLog:
    """Write the moderation log entry and the audit trail's entry (ids and counts only: the
    reason and the titles stay in the community's moderation log)."""
    entry = ModerationLog.objects.create(
        community_id=topic.community_id,
        actor=user,
        action=action,
        topic=topic,
        reply=reply,
        reason=reason,
        details=details,
    )
    data = {"community": topic.community_id, "topic": topic.pk, "moderation_log": entry.pk}
    if reply is not None:
        data["reply"] = reply.pk
    data.update({key: value for key, value in details.items() if isinstance(value, int | bool)})
    target = reply if reply is not None else topic
    audit.record(
        audit_action(action),
        target,
        actor=user,
        data=data,
        title=f"{'reply' if reply is not None else 'topic'} #{target.pk}",
    )
    return entry


def _locked_reply(reply) -> Reply:
    """``reply`` re-read under a row lock (the state a concurrent moderator may have changed)."""
    return Reply.objects.select_for_update(of=("self",)).select_related("topic").get(pk=reply.pk)


# --- Search index --------------------------------------------------------------------------------


def _unindex(reply_ids):
    for reply in Reply.objects.filter(pk__in=reply_ids):
        index.remove_object(reply)


def _reindex_topic(topic_id):
    """Put a topic and its published replies back in the index (after a move)."""
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        return
    index.insert_or_update_object(topic)
    replies = list(Reply.objects.published().filter(topic_id=topic_id))
    if not replies:
        return
    for backend in get_search_backends(with_auto_update=True):
        try:
            backend.add_bulk(Reply, replies)
        except Exception:
            logger.exception("reindexing the replies of topic %s failed", topic_id)
            if not backend.catch_indexing_errors:
                raise


def _reindex_reply(reply_id):
    reply = Reply.objects.published().filter(pk=reply_id).first()
    if reply is not None:
        index.insert_or_update_object(reply)


# --- Members: flags -----------------------------------------------------------------------------


def flag_state(user, replies) -> set[int]:
    """Ids of ``replies`` that ``user`` already reported (one query; none for visitors)."""
    ids = [reply.pk for reply in replies]
    if not ids or user is None or not user.is_authenticated:
        return set()
    return set(Flag.objects.filter(user=user, reply_id__in=ids).values_list("reply_id", flat=True))


def _clean_report(reason, note) -> str:
    if reason not in Flag.Reason.values:
        raise ValidationError(
            {"reason": ValidationError(_("Choose the reason for the report."), code="invalid")}
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("The note can be at most %(max)d characters long.")
                    % {"max": NOTE_MAX_LENGTH},
                    code="invalid",
                )
            }
        )
    return note


@transaction.atomic
def flag_reply(user, reply, reason, note="") -> Flag:
    """``user`` reports ``reply`` to the moderators. One report per member and reply (a
    dismissed report is not renewed: the moderators already looked); one's own replies cannot
    be reported."""
    topic = reply.topic
    if not access.can(user, Action.READ_DISCUSSIONS, topic):
        raise Http404
    if not reply.is_public or reply.is_removed:
        raise Http404  # a hidden or deleted reply has nothing left to report
    if not access.can(user, Action.FLAG, topic):
        raise PermissionDenied(_("You cannot report replies in this discussion."))
    if reply.user_id == user.pk:
        raise PermissionDenied(_("You cannot report your own reply."))
    note = _clean_report(reason, note)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(reply=reply, user=user, reason=reason, note=note)
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this reply: the moderators will look at it."),
            code="already",
        ) from None
    logger.info("flag reply=%s user=%s reason=%s", reply.pk, user.pk, reason)
    return flag


def topic_flagged_by(user, topic) -> bool:
    """Whether ``user`` already reported the opening post of ``topic``."""
    if user is None or not user.is_authenticated:
        return False
    return Flag.objects.filter(user=user, topic=topic).exists()


@transaction.atomic
def flag_topic(user, topic, reason, note="") -> Flag:
    """``user`` reports the opening post of ``topic`` to the moderators: as ``flag_reply``,
    once per member and topic, never one's own, not once hidden."""
    if not access.can(user, Action.READ_DISCUSSIONS, topic):
        raise Http404
    if not access.can(user, Action.FLAG, topic):
        raise PermissionDenied(_("You cannot report posts in this discussion."))
    if topic.author_id == user.pk:
        raise PermissionDenied(_("You cannot report your own topic."))
    if topic.is_hidden:
        raise ValidationError(
            _("The moderators have already hidden this opening post."), code="already"
        )
    if not access.can(user, Action.FLAG_TOPIC, topic):  # pragma: no cover - the cases above
        raise PermissionDenied(_("You cannot report posts in this discussion."))
    note = _clean_report(reason, note)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(topic=topic, user=user, reason=reason, note=note)
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this topic: the moderators will look at it."),
            code="already",
        ) from None
    logger.info("flag topic=%s user=%s reason=%s", topic.pk, user.pk, reason)
    return flag


# --- Moderators: replies ------------------------------------------------------------------------


def _clean_reason(reason, required_message=None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    required_message
                    or _("Give the reason for hiding the reply: its author will read it."),
                    code="required",
                )
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("The reason can be at most %(max)d characters long.")
                    % {"max": REASON_MAX_LENGTH},
                    code="invalid",
                )
            }
        )
    return reason


def _resolve_flags(user, reply, now) -> int:
    return Flag.objects.open().filter(reply=reply).update(resolved_at=now, resolved_by=user)


@transaction.atomic
def hide_reply(user, reply, reason) -> Reply:
    """Hide ``reply`` from the members (the moderators still see it, with the reason). Its open
    reports are resolved; it leaves the search index."""
    _require_moderator(user, reply)
    reason = _clean_reason(reason)
    reply = _locked_reply(reply)
    if reply.is_hidden:
        raise ValidationError(_("This reply is already hidden."), code="already")
    now = timezone.now()
    Reply.objects.filter(pk=reply.pk).update(
        is_public=False, hidden_at=now, hidden_by=user, hidden_reason=reason
    )
    reply.is_public, reply.hidden_at, reply.hidden_by, reply.hidden_reason = (
        False,
        now,
        user,
        reason,
    )
    resolved = _resolve_flags(user, reply, now)
    _log(user, Log.HIDE, topic=reply.topic, reply=reply, reason=reason, reports=resolved)
    transaction.on_commit(lambda: _unindex([reply.pk]))
    return reply


@transaction.atomic
def unhide_reply(user, reply) -> Reply:
    """Publish a hidden reply again."""
    _require_moderator(user, reply)
    reply = _locked_reply(reply)
    if not reply.is_hidden:
        raise ValidationError(_("This reply is not hidden."), code="already")
    previous = reply.hidden_reason
    Reply.objects.filter(pk=reply.pk).update(
        is_public=True, hidden_at=None, hidden_by=None, hidden_reason=""
    )
    reply.is_public, reply.hidden_at, reply.hidden_by, reply.hidden_reason = True, None, None, ""
    _log(user, Log.UNHIDE, topic=reply.topic, reply=reply, hidden_reason=previous)
    transaction.on_commit(lambda: _reindex_reply(reply.pk))
    return reply


@transaction.atomic
def dismiss_flags(user, reply) -> int:
    """Close the open reports of ``reply`` without hiding it; returns how many."""
    _require_moderator(user, reply)
    count = _resolve_flags(user, reply, timezone.now())
    if not count:
        raise ValidationError(_("This reply has no open reports."), code="already")
    _log(user, Log.DISMISS_FLAGS, topic=reply.topic, reply=reply, reports=count)
    return count


# --- Moderators: topics -------------------------------------------------------------------------


def _locked_topic(topic) -> Topic:
    return (
        Topic.objects.select_for_update(of=("self",))
        .select_related("community", "space")
        .get(pk=topic.pk)
    )


@transaction.atomic
def set_locked(user, topic, locked: bool) -> Topic:
    """Lock (no replies, except from the coordinator and support team) or unlock ``topic``."""
    _require_moderator(user, topic)
    current = _locked_topic(topic)
    locked = bool(locked)
    if current.locked != locked:
        Topic.objects.filter(pk=topic.pk).update(locked=locked)
        _log(user, Log.LOCK if locked else Log.UNLOCK, topic=current)
    topic.locked = locked
    return topic


@transaction.atomic
def set_pinned(user, topic, pinned: bool) -> Topic:
    """Pin ``topic`` at the top of its space's list, or unpin it."""
    _require_moderator(user, topic)
    current = _locked_topic(topic)
    pinned = bool(pinned)
    if current.pinned != pinned:
        Topic.objects.filter(pk=topic.pk).update(pinned=pinned)
        _log(user, Log.PIN if pinned else Log.UNPIN, topic=current)
    topic.pinned = pinned
    return topic


def _resolve_topic_flags(user, topic, now) -> int:
    return Flag.objects.open().filter(topic=topic).update(resolved_at=now, resolved_by=user)


def _unindex_topic(topic_id):
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is not None:
        index.remove_object(topic)


@transaction.atomic
def hide_topic(user, topic, reason) -> Topic:
    """Hide the opening post of ``topic`` from the members: they keep seeing its title (and the
    replies), with "hidden by the moderators" in place of its text; its author reads the
    reason; the moderators still see it. It takes replies from the coordinator and the support
    team only, its open reports are resolved and it leaves the search index."""
    _require_moderator(user, topic)
    reason = _clean_reason(
        reason, _("Give the reason for hiding the opening post: its author will read it.")
    )
    current = _locked_topic(topic)
    if current.is_hidden:
        raise ValidationError(_("This opening post is already hidden."), code="already")
    now = timezone.now()
    Topic.objects.filter(pk=topic.pk).update(hidden_at=now, hidden_by=user, hidden_reason=reason)
    for obj in (topic, current):
        obj.hidden_at, obj.hidden_by, obj.hidden_reason = now, user, reason
    resolved = _resolve_topic_flags(user, current, now)
    _log(user, Log.HIDE_TOPIC, topic=current, reason=reason, reports=resolved)
    topic_id = topic.pk
    transaction.on_commit(lambda: _unindex_topic(topic_id))
    return topic


@transaction.atomic
def unhide_topic(user, topic) -> Topic:
    """Publish a hidden opening post again."""
    _require_moderator(user, topic)
    current = _locked_topic(topic)
    if not current.is_hidden:
        raise ValidationError(_("This opening post is not hidden."), code="already")
    previous = current.hidden_reason
    Topic.objects.filter(pk=topic.pk).update(hidden_at=None, hidden_by=None, hidden_reason="")
    for obj in (topic, current):
        obj.hidden_at, obj.hidden_by, obj.hidden_reason = None, None, ""
    _log(user, Log.UNHIDE_TOPIC, topic=current, hidden_reason=previous)
    topic_id = topic.pk
    transaction.on_commit(lambda: _reindex_topic(topic_id))
    return topic


@transaction.atomic
def dismiss_topic_flags(user, topic) -> int:
    """Close the open reports of ``topic``'s opening post without hiding it; returns how many."""
    _require_moderator(user, topic)
    count = _resolve_topic_flags(user, topic, timezone.now())
    if not count:
        raise ValidationError(_("This topic has no open reports."), code="already")
    _log(user, Log.DISMISS_FLAGS, topic=topic, reports=count)
    return count


def record(user, action, *, topic, reply=None, reason="", **details) -> ModerationLog:
    """Log a moderation action taken elsewhere (``services.edit_topic``/``delete_topic`` when
    a moderator changes someone else's topic), in the caller's transaction."""
    return _log(user, action, topic=topic, reply=reply, reason=reason, **details)


def clean_reason(reason, required_message) -> str:
    """The reason a moderator gives, checked as for hiding (required, at most 300 characters)."""
    return _clean_reason(reason, required_message)


def move_targets(user, topic) -> list:
    """The spaces ``topic`` may move to: its community's page and the community's working
    groups (pages of the default language, where topics live) that ``user`` moderates, except
    the topic's own space."""
    community = topic.community
    groups = WorkingGroupPage.objects.live().descendant_of(community).order_by("title")
    candidates = [community, *groups]
    return [
        space
        for space in candidates
        if space.pk != topic.space_id and access.can(user, Action.MODERATE, space)
    ]


@transaction.atomic
def move_topic(user, topic, target_space) -> Topic:
    """Move ``topic`` (and its replies) to another space of the same community: the community
    page or one of its working groups. Its readers change with it: a topic moved into a working
    group is no longer seen by the community's members outside the group."""
    _require_moderator(user, topic)
    target = getattr(target_space, "specific", target_space)
    if target.pk == topic.space_id:
        raise ValidationError(
            {"space": ValidationError(_("The topic is already in this space."), code="same_space")}
        )
    if target.pk not in {space.pk for space in move_targets(user, topic)}:
        if isinstance(target, CommunityPage | WorkingGroupPage) and not access.can(
            user, Action.MODERATE, target
        ):
            raise PermissionDenied(_("You do not moderate the discussions of that space."))
        raise ValidationError(
            {
                "space": ValidationError(
                    _("Choose the community or one of its working groups."), code="invalid"
                )
            }
        )
    current = _locked_topic(topic)
    source = current.space
    Topic.objects.filter(pk=topic.pk).update(space_id=target.pk)
    moved = Reply.objects.filter(topic_id=topic.pk).update(space_id=target.pk)
    _log(
        user,
        Log.MOVE,
        topic=current,
        from_space=source.pk,
        from_title=source.title,
        to_space=target.pk,
        to_title=target.title,
        replies=moved,
    )
    topic.space_id = target.pk
    topic.space = target
    topic_id = topic.pk
    transaction.on_commit(lambda: _reindex_topic(topic_id))
    return topic


# --- The moderation queue -----------------------------------------------------------------------


def _with_report_details(objects, target):
    """Attach ``report_reasons`` (the reasons' labels with their counts, most frequent first)
    and ``report_notes`` (the five latest notes) of the open reports of ``objects`` (replies or
    topics: ``target`` is ``"reply"`` or ``"topic"``). Two queries."""
    if not objects:
        return objects
    key = f"{target}_id"
    reasons, notes = {}, {}
    labels = dict(Flag.Reason.choices)
    open_flags = Flag.objects.open().filter(**{f"{target}__in": objects})
    for row in open_flags.values(key, "reason").annotate(n=Count("pk")).order_by(key, "-n"):
        reasons.setdefault(row[key], []).append((labels.get(row["reason"]), row["n"]))
    for pk, note in open_flags.exclude(note="").order_by("-created_at").values_list(key, "note"):
        notes.setdefault(pk, []).append(note)
    for obj in objects:
        obj.report_reasons = reasons.get(obj.pk, [])
        obj.report_notes = notes.get(obj.pk, [])[:5]
    return objects


def flagged_replies(community, limit=50):
    """Replies of ``community``'s discussions (community and working groups) with open
    reports, most reported first: each with ``open_reports``, ``last_report_at``,
    ``report_reasons`` (the reasons' labels with their counts) and ``report_notes``. Three
    queries."""
    replies = list(
        Reply.objects.in_community(community)
        .reported()
        .select_related("topic", "space", "user")
        .order_by("-open_reports", "-last_report_at")[:limit]
    )
    return _with_report_details(replies, "reply")


def flagged_topics(community, limit=50):
    """Topics of ``community``'s discussions whose opening post has open reports, most
    reported first, each with ``open_reports``, ``last_report_at``, ``report_reasons`` and
    ``report_notes`` (as ``flagged_replies``). Three queries."""
    topics = list(
        Topic.objects.in_community(community)
        .reported()
        .select_related("space", "author")
        .order_by("-open_reports", "-last_report_at")[:limit]
    )
    return _with_report_details(topics, "topic")


def hidden_topics(community, limit=20):
    """The most recently hidden opening posts of ``community``'s discussions."""
    return list(
        Topic.objects.in_community(community)
        .hidden()
        .select_related("space", "author", "hidden_by")
        .order_by("-hidden_at")[:limit]
    )


def hidden_replies(community, limit=20):
    """The most recently hidden replies of ``community``'s discussions."""
    return list(
        Reply.objects.in_community(community)
        .hidden()
        .select_related("topic", "space", "user", "hidden_by")
        .order_by("-hidden_at")[:limit]
    )


def moderation_log(community, limit=50):
    """The latest entries of ``community``'s moderation log."""
    return list(
        ModerationLog.objects.in_community(community)
        .select_related("actor", "topic", "reply")
        .order_by("-created_at")[:limit]
    )
