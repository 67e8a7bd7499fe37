"""The discussions API's serializers (read-only answers and validated request bodies), and
what the views attach to the topics and replies they serialize (``decorate_topics``,
``decorate_reply``, ``decorate_attachments``: the ``api_*`` attributes the serializers
read)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cms import access
from communities.api.serializers import MAX_ID
from membership.enti import ente_public

from .. import services
from ..models import Flag, TaggedTopic, TopicRead
from ..permissions import Action
from ..services import moderation

#: The states of a reply and of a topic's opening post (named enums in the OpenAPI schema:
#: ``ENUM_NAME_OVERRIDES`` in the settings).
REPLY_STATES = [("published", "published"), ("hidden", "hidden"), ("deleted", "deleted")]
TOPIC_STATES = [("published", "published"), ("hidden", "hidden")]


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    ente = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "The name of the member's authority (none when it was rejected by staff)."
        ),
    )
    ente_verified = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "False while the authority, proposed by a member, awaits the staff's approval: "
            "show it as under verification, never as a fact."
        ),
    )
    ente_label = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "The authority as the site shows it (with “under verification” when not approved)."
        ),
    )


def author_data(user, fallback=""):
    empty = {"ente": None, "ente_verified": None, "ente_label": None}
    if user is None:
        return {"name": fallback or _("Former member"), **empty}
    if getattr(user, "deleted_at", None):  # a deleted (anonymised) account
        return {"name": _("Former member"), **empty}
    ente = user.ente if getattr(user, "ente_id", None) else None
    return {
        "name": user.get_full_name() or fallback or user.get_username(),
        **ente_public(ente),
    }


class SpaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(
        choices=[("community", "community"), ("working_group", "working_group")], read_only=True
    )
    community_id = serializers.IntegerField(read_only=True)


class TopicPermissionsSerializer(serializers.Serializer):
    """What the requesting user may do on the topic, as answered by the access policy."""

    reply = serializers.BooleanField(read_only=True)
    flag = serializers.BooleanField(read_only=True)
    moderate = serializers.BooleanField(read_only=True)
    flag_topic = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("Report the opening post.")
    )
    edit_topic = serializers.BooleanField(read_only=True)
    delete_topic = serializers.BooleanField(read_only=True)


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(source="api_url", read_only=True)
    space = SpaceSerializer(source="api_space", read_only=True)
    author = AuthorSerializer(source="api_author", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_activity_at = serializers.DateTimeField(read_only=True)
    reply_count = serializers.IntegerField(read_only=True)
    pinned = serializers.BooleanField(read_only=True)
    locked = serializers.BooleanField(read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), source="api_tags", read_only=True)
    unread = serializers.BooleanField(source="api_unread", read_only=True)
    state = serializers.ChoiceField(
        choices=TOPIC_STATES,
        source="api_state",
        read_only=True,
        help_text=gettext_lazy(
            "``hidden``: the moderators hid the opening post; the title and the replies stay, "
            "the text is shown to the moderators only."
        ),
    )


class AttachmentSerializer(serializers.Serializer):
    """A file attached to a topic's opening post or to a reply. ``url`` downloads it (a session
    or token of a member who may read the post; 404 for anyone else)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(
        source="file_name", read_only=True, help_text=gettext_lazy("The name the member gave.")
    )
    size = serializers.IntegerField(
        source="file_size", read_only=True, help_text=gettext_lazy("In bytes.")
    )
    media_type = serializers.CharField(read_only=True)
    format = serializers.CharField(
        source="format_label",
        read_only=True,
        help_text=gettext_lazy("PDF, ODT, ODS, DOCX, XLSX, PNG or JPEG."),
    )
    url = serializers.URLField(source="api_url", read_only=True)


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    parent_id = serializers.IntegerField(source="api_parent_id", read_only=True, allow_null=True)
    level = serializers.IntegerField(read_only=True)
    state = serializers.ChoiceField(
        choices=REPLY_STATES,
        source="api_state",
        read_only=True,
        help_text=gettext_lazy(
            "Hidden and deleted replies keep their place in the thread without their text "
            "(moderators see the text and the reason of hidden ones)."
        ),
    )
    author = AuthorSerializer(source="api_author", read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(source="submit_date", read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    text = serializers.CharField(
        source="api_text",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Markdown source."),
    )
    html = serializers.CharField(
        source="api_html",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Safe HTML rendering of the text."),
    )
    hidden_reason = serializers.CharField(
        source="api_hidden_reason", read_only=True, allow_null=True
    )
    flagged_by_me = serializers.BooleanField(source="api_flagged", read_only=True)
    url = serializers.CharField(source="api_url", read_only=True)
    attachments = AttachmentSerializer(
        source="api_attachments",
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "The files attached to the reply (none while its text is not shown: hidden or deleted)."
        ),
    )


class ReplyTreeSerializer(ReplySerializer):
    children = serializers.SerializerMethodField()

    def get_children(self, reply) -> list[dict]:  # typed for the schema: a list of replies
        return ReplyTreeSerializer(reply.api_children, many=True).data


class TopicPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    results = TopicSerializer(many=True, read_only=True)


class ThreadsPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True, help_text=gettext_lazy("Top-level threads."))
    page = serializers.IntegerField(read_only=True)
    num_pages = serializers.IntegerField(read_only=True)
    next = serializers.IntegerField(read_only=True, allow_null=True)
    previous = serializers.IntegerField(read_only=True, allow_null=True)
    results = ReplyTreeSerializer(many=True, read_only=True)


class TopicDetailSerializer(TopicSerializer):
    body = serializers.CharField(
        source="api_body",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Markdown source (null when hidden, except for the moderators)."),
    )
    body_html = serializers.CharField(source="api_body_html", read_only=True, allow_null=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    hidden_reason = serializers.CharField(
        source="api_hidden_reason",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Why the moderators hid it: for its author and the moderators."),
    )
    flagged_by_me = serializers.BooleanField(source="api_flagged", read_only=True)
    attachments = AttachmentSerializer(
        source="api_attachments",
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "The files attached to the opening post (none while it is hidden, except for the "
            "moderators)."
        ),
    )
    permissions = TopicPermissionsSerializer(source="api_permissions", read_only=True)
    threads = ThreadsPageSerializer(source="api_threads", read_only=True)


class TopicCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH, trim_whitespace=True)
    body = serializers.CharField(
        max_length=services.BODY_MAX_LENGTH,
        help_text=gettext_lazy("Markdown: a safe subset, no HTML."),
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=10
    )


class ReplyCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=services.REPLY_MAX_LENGTH,
        help_text=gettext_lazy("Markdown: a safe subset, no HTML."),
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy(
            "The reply answered (threads nest up to three levels: deeper answers attach to "
            "the deepest allowed ancestor)."
        ),
    )


class TopicEditSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=services.TITLE_MAX_LENGTH, trim_whitespace=True, required=False
    )
    body = serializers.CharField(
        max_length=services.BODY_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("Markdown: a safe subset, no HTML."),
    )
    reason = serializers.CharField(
        max_length=moderation.REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "A moderator changing someone else's topic: why (kept in the moderation log)."
        ),
    )


class ReplyEditSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=services.REPLY_MAX_LENGTH,
        help_text=gettext_lazy("Markdown: a safe subset, no HTML."),
    )


class HideSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=moderation.REASON_MAX_LENGTH,
        help_text=gettext_lazy("Why: its author reads it; kept in the moderation log."),
    )


class FlagCreateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    note = serializers.CharField(
        max_length=moderation.NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reply_id = serializers.IntegerField(read_only=True, allow_null=True)
    topic_id = serializers.IntegerField(read_only=True, allow_null=True)
    reason = serializers.ChoiceField(choices=Flag.Reason.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


# --- What the views attach to the objects they serialize ---------------------------------------


def space_data(space, community_id):
    return {
        "id": space.pk,
        "title": space.title,
        "kind": "community" if space.pk == community_id else "working_group",
        "community_id": community_id,
    }


def absolute(request, path):
    return request.build_absolute_uri(path)


def decorate_topics(request, topics):
    """Attach what ``TopicSerializer`` reads (tags and read markers: two queries in all)."""
    user = request.user
    ids = [topic.pk for topic in topics]
    read_at = dict(
        TopicRead.objects.filter(user=user, topic_id__in=ids).values_list("topic_id", "read_at")
    )
    for topic in topics:
        topic.api_url = absolute(request, topic.get_absolute_url())
        topic.api_space = space_data(topic.space, topic.community_id)
        topic.api_author = author_data(topic.author)
        topic.api_tags = [item.tag.name for item in getattr(topic, "api_tagged", [])]
        seen = read_at.get(topic.pk)
        topic.api_unread = seen is None or topic.last_activity_at > seen
        topic.api_state = "hidden" if topic.is_hidden else "published"
    return topics


def tagged_prefetch():
    return Prefetch(
        "tagged_items",
        queryset=TaggedTopic.objects.select_related("tag").order_by("tag__name"),
        to_attr="api_tagged",
    )


def decorate_attachments(request, attachments):
    """Attach what ``AttachmentSerializer`` reads (the absolute URL of the download)."""
    for attachment in attachments:
        attachment.api_url = absolute(request, attachment.get_absolute_url())
    return list(attachments)


def decorate_reply(request, reply, perms, flagged, topic_url, attachments=()):
    if reply.is_hidden:
        state = "hidden"
    elif reply.is_removed:
        state = "deleted"
    else:
        state = "published"
    shows_text = state == "published" or (state == "hidden" and perms["moderate"])
    reply.api_state = state
    reply.api_parent_id = reply.parent_id if reply.level else None
    reply.api_author = author_data(reply.user, reply.user_name) if state != "deleted" else None
    reply.api_text = reply.comment if shows_text else None
    reply.api_html = reply.body_html if shows_text else None
    reply.api_hidden_reason = (
        reply.hidden_reason if state == "hidden" and perms["moderate"] else None
    )
    reply.api_flagged = reply.pk in flagged
    reply.api_url = absolute(request, f"{topic_url}#r{reply.pk}")
    reply.api_children = []
    # The files go with the text (the policy's ``view_attachment``, without a query per reply).
    reply.api_attachments = decorate_attachments(request, attachments) if shows_text else []
    return reply


def topic_permissions(user, topic):
    return {
        "reply": access.can(user, Action.REPLY, topic),
        "flag": access.can(user, Action.FLAG, topic),
        "moderate": access.can(user, Action.MODERATE, topic),
        "flag_topic": access.can(user, Action.FLAG_TOPIC, topic),
        "edit_topic": access.can(user, Action.EDIT_TOPIC, topic),
        "delete_topic": access.can(user, Action.DELETE_TOPIC, topic),
    }
