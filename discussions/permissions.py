"""The discussions' rules: what depends on a topic or a reply itself (locks, authorship, the edit
window), and which topics and replies a user may read.

``cms.access.can(user, action, obj)`` is the one question callers ask. The community and working
group rules (``communities/permissions.py``) decide who may read, reply, open topics, flag and
moderate in a space; this module adds the rules on the objects and registers them with the core
when the app is ready. The listings filter on ``space_id`` (the community or working group page a
topic lives in), so the rule is part of the query: listings, counts, the API and search (Wagtail
search filters on the ``space_id`` FilterField) all use it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cms import access
from communities import permissions as communities
from communities.models import Membership

from .models import Attachment, Poll, Reply, Topic


class Action(communities.Action):
    """The communities' actions, plus the ones on a topic or a reply."""

    EDIT_REPLY = "edit_reply"
    DELETE_REPLY = "delete_reply"
    REPLY_OBJECT = (EDIT_REPLY, DELETE_REPLY)
    FLAG_TOPIC = "flag_topic"
    EDIT_TOPIC = "edit_topic"
    DELETE_TOPIC = "delete_topic"
    TOPIC_OBJECT = (FLAG_TOPIC, EDIT_TOPIC, DELETE_TOPIC)
    # A topic's quick poll (the target is the topic)
    START_POLL = "start_poll"
    VOTE_POLL = "vote_poll"
    VIEW_POLL_RESULTS = "view_poll_results"
    POLL = (START_POLL, VOTE_POLL, VIEW_POLL_RESULTS)
    #: The rows of the permission matrix whose target is a topic (hide/restore is ``MODERATE``).
    TOPIC = (FLAG_TOPIC, communities.Action.MODERATE, EDIT_TOPIC, DELETE_TOPIC, *POLL)
    #: Download a file attached to a topic or a reply (the target is the ``Attachment``).
    VIEW_ATTACHMENT = "view_attachment"


#: How long the author of a reply may edit it.
REPLY_EDIT_WINDOW = timedelta(minutes=15)
#: How long the author of a topic may edit its opening post (the moderators always may).
TOPIC_EDIT_WINDOW = REPLY_EDIT_WINDOW


def _is_locked_topic(obj) -> bool:
    if isinstance(obj, Reply):
        obj = obj.topic
    return isinstance(obj, Topic) and (obj.locked or obj.hidden_at is not None)


def _reply_in_topic(user, action, obj) -> bool:
    """``REPLY`` to a topic (or below a reply): a locked topic, or one whose opening post the
    moderators hid, takes replies from the community's managers only."""
    if (
        not user.is_superuser
        and _is_locked_topic(obj)
        and communities.role_in(user, obj) not in Membership.MANAGER_ROLES
    ):
        return False
    return communities.decide(user, action, obj)


def _may_change_own_reply(user, action, reply) -> bool:
    """The author edits a reply within ``REPLY_EDIT_WINDOW`` while they may still reply to the
    topic and no moderator hid it, and deletes it (softly) while they may still read the
    discussion."""
    if user.is_superuser:
        return True
    if not isinstance(reply, Reply) or reply.user_id != user.pk or reply.is_removed:
        return False
    if action == Action.DELETE_REPLY:
        return access.can(user, Action.READ_DISCUSSIONS, reply.topic)
    if reply.hidden_at is not None:
        return False  # hidden by a moderator: the author can no longer change what they judged
    if timezone.now() - reply.submit_date > REPLY_EDIT_WINDOW:
        return False
    return access.can(user, Action.REPLY, reply.topic)


def _may_act_on_topic(user, action, topic) -> bool:
    """A topic's opening post.

    - ``FLAG_TOPIC``: who may flag in the discussion reports the opening post of someone else,
      while it is not hidden;
    - ``EDIT_TOPIC``, ``DELETE_TOPIC``: the moderators (``MODERATE``) always; the author edits
      it within ``TOPIC_EDIT_WINDOW`` while they may still open topics in its space, and deletes
      it while nobody replied and they may still read the discussion; never once a moderator
      hid it.
    """
    if user.is_superuser:
        return True
    if not isinstance(topic, Topic):
        return False
    own = topic.author_id is not None and topic.author_id == user.pk
    if action == Action.FLAG_TOPIC:
        return not own and topic.hidden_at is None and access.can(user, Action.FLAG, topic)
    if access.can(user, Action.MODERATE, topic):
        return True
    if not own or topic.hidden_at is not None:
        return False
    if action == Action.DELETE_TOPIC:
        return topic.reply_count == 0 and access.can(user, Action.READ_DISCUSSIONS, topic)
    if timezone.now() - topic.created_at > TOPIC_EDIT_WINDOW:
        return False
    return access.can(user, Action.OPEN_TOPIC, topic)


def _may_act_on_poll(user, action, topic) -> bool:
    """A topic's quick poll (``obj`` is the topic, or its poll). The poll's state (open or
    closed, whether anyone voted, whether the user voted) is the services' business (409s,
    ``discussions.services.polls.poll_state``); the policy answers who.

    - ``VOTE_POLL``: whoever may ``REPLY`` in the topic (a locked topic, or one whose opening
      post the moderators hid, takes votes from the community's managers only);
    - ``START_POLL`` (add the poll, change or remove it while nobody voted): the moderators
      (``MODERATE``); the author while they may open topics in its space and the topic is
      neither locked nor hidden;
    - ``VIEW_POLL_RESULTS`` (see the results before voting and before the close): the
      moderators, and the topic's author while they may read the discussion. Every other
      reader sees them once they voted, or once the poll closed.
    """
    if isinstance(topic, Poll):
        topic = topic.topic
    if not isinstance(topic, Topic):
        return False
    if action == Action.VOTE_POLL:
        return access.can(user, Action.REPLY, topic)
    if user.is_superuser or access.can(user, Action.MODERATE, topic):
        return True
    own = topic.author_id is not None and topic.author_id == user.pk
    if not own:
        return False
    if action == Action.VIEW_POLL_RESULTS:
        return access.can(user, Action.READ_DISCUSSIONS, topic)
    if topic.hidden_at is not None or topic.locked:
        return False
    return access.can(user, Action.OPEN_TOPIC, topic)


def _may_view_attachment(user, action, attachment) -> bool:
    """``VIEW_ATTACHMENT``: whoever may read the discussion, while its post is shown to them:
    the file of a post the moderators hid is for the moderators only (as its text), the file of
    a reply its author deleted for nobody. Staff moderate from the admin without reading the
    discussions: they do not download the members' files."""
    if not isinstance(attachment, Attachment):
        return False
    topic = attachment.discussion
    if not access.can(user, Action.READ_DISCUSSIONS, topic):
        return False
    post = attachment.post
    if isinstance(post, Reply):
        if post.is_removed and post.hidden_at is None:  # deleted by its author
            return False
        shown = post.is_public and not post.is_removed
    else:
        shown = post.hidden_at is None
    return shown or access.can(user, Action.MODERATE, topic)


def visible_topics(user, queryset=None):
    """Topics ``user`` may read (members of the community; of the group for group topics)."""
    queryset = Topic.objects.all() if queryset is None else queryset
    space_ids = communities.discussion_space_ids(user)
    return queryset if space_ids is None else queryset.filter(space_id__in=space_ids)


def searchable_topics(user, queryset=None):
    """Topics ``user`` may find by search: the ones they may read, except those whose opening
    post a moderator hid (out of search for everyone until restored; replies stay findable)."""
    return visible_topics(user, queryset).filter(hidden_at__isnull=True)


def visible_replies(user, queryset=None):
    """Published replies ``user`` may read (hidden and deleted ones excluded)."""
    queryset = Reply.objects.all() if queryset is None else queryset
    queryset = queryset.filter(is_public=True, is_removed=False)
    space_ids = communities.discussion_space_ids(user)
    return queryset if space_ids is None else queryset.filter(space_id__in=space_ids)


def install() -> None:
    """Answer the actions on topics and replies in ``cms.access.can``
    (``DiscussionsConfig.ready``)."""
    access.register(Action.REPLY_OBJECT, _may_change_own_reply)
    access.register(Action.TOPIC_OBJECT, _may_act_on_topic)
    access.register([Action.REPLY], _reply_in_topic, on=(Topic, Reply))
    access.register(Action.POLL, _may_act_on_poll)
    access.register([Action.VIEW_ATTACHMENT], _may_view_attachment)


def may_post(user, topic, parent=None) -> bool:
    """Whether ``user`` may post a reply to ``topic`` (under ``parent``, if given)."""
    if not isinstance(topic, Topic) or not access.can(user, Action.REPLY, topic):
        return False
    return parent is None or (
        parent.topic_id == topic.pk and parent.is_public and not parent.is_removed
    )
