"""What members and moderators do in discussions (the writes), one module per subject:

- ``topics``: open a topic, edit or delete it, tag it, mark it read;
- ``replies``: reply, edit or delete one's reply, react;
- ``polls``: a topic's quick poll: add, change or remove it, vote, the results;
- ``attachments``: the files attached to a topic or a reply (checked, stored, removed);
- ``moderation``: flag replies and opening posts; hide, restore, lock, pin, move; the queue;
- ``common``: the errors every service raises, the limits of the texts, the posting rate limits.

``from discussions import services`` gives the public names of ``topics``, ``replies`` and
``common``; moderation is ``discussions.services.moderation``, polls
``discussions.services.polls``, attachments ``discussions.services.attachments``. Every
function checks the access policy (``cms.access``) itself, so that the site's views, the API
and django-comments-xtd's endpoint (through ``discussions.gate``) behave alike.
``topic_opened`` and ``reply_posted`` are sent exactly once per event, by ``create_topic`` and
``reply_published``.
"""

from . import attachments, moderation, polls
from .common import (
    BODY_MAX_LENGTH,
    DEFAULT_RATE_LIMITS,
    REPLY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    DiscussionError,
    InvalidInput,
    NotAllowed,
    NotFound,
    RateLimited,
    check_rate,
    record_rate,
    wait_message,
)
from .replies import (
    delete_reply,
    edit_reply,
    edit_reply_refusal,
    get_reply,
    max_thread_level,
    post_reply,
    reply_published,
    reply_refusal,
    toggle_reaction,
)
from .topics import (
    community_of,
    create_topic,
    delete_topic,
    delete_topic_refusal,
    deleting_is_moderation,
    edit_topic,
    edit_topic_refusal,
    editing_is_moderation,
    get_topic,
    mark_read,
    open_topic_refusal,
    set_tags,
    space_page,
)

__all__ = [
    "BODY_MAX_LENGTH",
    "DEFAULT_RATE_LIMITS",
    "REPLY_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "DiscussionError",
    "InvalidInput",
    "NotAllowed",
    "NotFound",
    "RateLimited",
    "attachments",
    "check_rate",
    "community_of",
    "create_topic",
    "delete_reply",
    "delete_topic",
    "delete_topic_refusal",
    "deleting_is_moderation",
    "edit_reply",
    "edit_reply_refusal",
    "edit_topic",
    "edit_topic_refusal",
    "editing_is_moderation",
    "get_reply",
    "get_topic",
    "mark_read",
    "max_thread_level",
    "moderation",
    "polls",
    "open_topic_refusal",
    "post_reply",
    "record_rate",
    "reply_published",
    "reply_refusal",
    "set_tags",
    "space_page",
    "toggle_reaction",
    "wait_message",
]
