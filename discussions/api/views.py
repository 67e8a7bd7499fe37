"""The discussions API, part of the community API (``/api/community/v1/discussions/``, the same
authentication, errors and OpenAPI schema: ``communities/api/urls.py`` includes
``discussions/api/urls.py``; the serializers are in ``discussions/api/serializers.py``).

- ``GET spaces/<space_id>/topics/``: the topics of a community or working group (paginated);
- ``POST spaces/<space_id>/topics/``: open a topic (``discussions.services.create_topic``);
- ``GET topics/<pk>/``: a topic with a page of its top-level threads and their replies;
- ``PATCH topics/<pk>/``, ``DELETE topics/<pk>/``: edit or delete a topic (its author; the
  moderators, logged: ``discussions.services.edit_topic``/``delete_topic``);
- ``POST topics/<pk>/flag/``: report a topic's opening post to the moderators;
- ``POST topics/<pk>/hide/``, ``POST topics/<pk>/unhide/``: the moderators hide or restore the
  opening post (``discussions.services.moderation``);
- ``POST topics/<pk>/replies/``: reply (``discussions.services.post_reply``);
- ``PATCH replies/<pk>/``, ``DELETE replies/<pk>/``: the author edits or deletes their reply;
- ``POST replies/<pk>/flag/``: report a reply to the moderators
  (``discussions.services.moderation``);
- ``POST replies/<pk>/hide/``, ``POST replies/<pk>/unhide/``: the moderators hide or restore it.

Every decision is the services' (which ask ``cms.access``); this module translates their
answers: **404** for who may not read the discussion (non-members learn nothing), **403** with the
reason for a refused action, **400** for bad input, **409** for a second report, **429** with a
``Retry-After`` header when posting too quickly. Queries per request do not grow with the number
of replies.

Import order: ``communities.api`` includes this module's URLs, and this module subclasses its
base view. ``communities.api`` is always imported first (by ``cms.urls``); import
``discussions.api.views`` directly only after it.
"""

from __future__ import annotations

import sys

if "communities.api" not in sys.modules:  # pragma: no cover - a programming error
    raise ImportError(
        "Import communities.api (or load the URLconf) before discussions.api: communities.api "
        "includes discussions.api.urls, which needs this module complete."
    )

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination

from cms import access
from cms.api_errors import run
from communities.api.serializers import ErrorSerializer
from communities.api.support import BAD_INPUT, CONFLICT, CommunityAPIView, endpoint, validated

from .. import permissions, services
from ..models import Reply, TaggedTopic, Topic
from ..permissions import Action
from ..services import attachments, moderation
from .serializers import (
    FlagCreateSerializer,
    FlagSerializer,
    HideSerializer,
    ReplyCreateSerializer,
    ReplyEditSerializer,
    ReplySerializer,
    TopicCreateSerializer,
    TopicDetailSerializer,
    TopicEditSerializer,
    TopicPageSerializer,
    TopicSerializer,
    decorate_attachments,
    decorate_reply,
    decorate_topics,
    tagged_prefetch,
    topic_permissions,
)

TOPICS_PER_PAGE = 20
THREADS_PER_PAGE = 20

RATE_LIMITED = {
    429: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "Posting too quickly: the ``Retry-After`` header says how many seconds to wait."
        ),
    )
}


# --- Helpers -------------------------------------------------------------------------------------


def _space_of(request, space_id):
    """The community or working group page ``space_id`` (default language) whose discussions
    the user may read; 404 otherwise."""
    space = services.space_page(space_id)
    if space is None or not access.can(request.user, Action.READ_DISCUSSIONS, space):
        raise exceptions.NotFound()
    return space


def _threads(request, topic, perms):
    """A page of ``topic``'s top-level threads with all their replies, nested: five queries
    whatever the number of replies (count, page of thread ids, replies, the user's flags, the
    attachments of the topic and of the replies); sets ``topic.api_attachments`` too."""
    paginator = Paginator(Reply.objects.thread_ids(topic), THREADS_PER_PAGE)
    try:
        page = paginator.page(request.query_params.get("page") or 1)
    except Exception as error:  # EmptyPage, PageNotAnInteger
        raise exceptions.NotFound(_("There is no such page of replies.")) from error
    replies = list(Reply.objects.in_threads(topic, list(page.object_list)))
    flagged = moderation.flag_state(request.user, replies)
    of_topic, of_replies = attachments.attachments_by_post(topic, [r.pk for r in replies])
    shows_body = not topic.is_hidden or perms["moderate"]
    topic.api_attachments = decorate_attachments(request, of_topic) if shows_body else []
    by_id, roots = {}, []
    topic_url = topic.get_absolute_url()
    for reply in replies:
        reply.topic = topic
        decorate_reply(request, reply, perms, flagged, topic_url, of_replies.get(reply.pk, ()))
        by_id[reply.pk] = reply
        parent = by_id.get(reply.parent_id) if reply.level else None
        if parent is not None:
            parent.api_children.append(reply)
        elif reply.level == 0:
            roots.append(reply)
    return {
        "count": paginator.count,
        "page": page.number,
        "num_pages": paginator.num_pages,
        "next": page.next_page_number() if page.has_next() else None,
        "previous": page.previous_page_number() if page.has_previous() else None,
        "results": roots,
    }


class TopicPagination(PageNumberPagination):
    page_size = TOPICS_PER_PAGE


# --- Views ----------------------------------------------------------------------------------------


class SpaceTopics(CommunityAPIView):
    @endpoint(
        "discussions_topics_list",
        tag="discussions",
        summary=gettext_lazy("Topics of a community or working group"),
        description=gettext_lazy(
            "``space_id`` is the id of the community page or working group page (any language). "
            "Pinned topics first, then by last activity; 404 for who may not read them."
        ),
        parameters=[
            OpenApiParameter("page", int, description=gettext_lazy("Page number")),
            OpenApiParameter("tag", str, description=gettext_lazy("Only topics with this tag")),
        ],
        response=TopicPageSerializer,
    )
    def get(self, request, space_id):
        space = _space_of(request, space_id)
        topics = (
            permissions.visible_topics(request.user, Topic.objects.for_listing())
            .filter(space=space)
            .prefetch_related(tagged_prefetch())
            .order_by("-pinned", "-last_activity_at", "-pk")
        )
        tag = request.query_params.get("tag")
        if tag:
            # No slug holds a NUL byte (which PostgreSQL refuses in a query): no topic has it.
            topics = topics.filter(tags__slug=tag) if "\x00" not in tag else topics.none()
        paginator = TopicPagination()
        page = paginator.paginate_queryset(topics, request, view=self)
        return paginator.get_paginated_response(
            TopicSerializer(decorate_topics(request, page), many=True).data
        )

    @endpoint(
        "discussions_topics_create",
        tag="discussions",
        summary=gettext_lazy("Open a topic"),
        description=gettext_lazy(
            "In a community: designated participants, the coordinator and the support team; in "
            "a working group: its members. Others get 403 with the reason, non-members 404."
        ),
        request=TopicCreateSerializer,
        response=TopicDetailSerializer,
        status=status.HTTP_201_CREATED,
        errors=RATE_LIMITED,
    )
    def post(self, request, space_id):
        space = _space_of(request, space_id)
        if not access.can(request.user, Action.OPEN_TOPIC, space):
            raise exceptions.PermissionDenied(services.open_topic_refusal(space))
        data = validated(TopicCreateSerializer, request)
        topic = run(
            services.create_topic,
            request.user,
            space,
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            request=request._request,
        )
        return _detail(request, topic.pk)


def _detail(request, pk):
    return _decorated_detail(request, run(services.get_topic, request.user, pk))


def _decorated_detail(request, topic):
    topic.api_tagged = list(
        TaggedTopic.objects.filter(content_object=topic).select_related("tag").order_by("tag__name")
    )
    decorate_topics(request, [topic])
    perms = topic_permissions(request.user, topic)
    topic.api_permissions = perms
    shows_body = not topic.is_hidden or perms["moderate"]
    own = topic.author_id is not None and topic.author_id == request.user.pk
    topic.api_body = topic.body if shows_body else None
    topic.api_body_html = topic.body_html if shows_body else None
    topic.api_hidden_reason = (
        topic.hidden_reason if topic.is_hidden and (perms["moderate"] or own) else None
    )
    topic.api_flagged = moderation.topic_flagged_by(request.user, topic)
    topic.api_threads = _threads(request, topic, perms)
    return topic


def _topic_to_change(request, pk):
    """The topic ``pk`` for its author or a moderator (staff moderate without reading the
    community's discussions); 404 for whoever may not see it."""
    topic = Topic.objects.for_listing().filter(pk=pk).first()
    if topic is None or not moderation.may_see(request.user, topic):
        raise exceptions.NotFound()
    return topic


def _reply_of(request, pk, *, moderating=False):
    """The reply ``pk`` if the user may read its discussion (or moderate it); 404 otherwise."""
    reply = (
        Reply.objects.select_related("topic", "topic__community", "topic__space", "user")
        .filter(pk=pk)
        .first()
    )
    if reply is None:
        raise exceptions.NotFound()
    allowed = (
        moderation.may_see(request.user, reply.topic)
        if moderating
        else access.can(request.user, Action.READ_DISCUSSIONS, reply.topic)
    )
    if not allowed:
        raise exceptions.NotFound()
    return reply


def _reply_answer(request, reply):
    perms = topic_permissions(request.user, reply.topic)
    flagged = moderation.flag_state(request.user, [reply])
    return decorate_reply(
        request,
        reply,
        perms,
        flagged,
        reply.topic.get_absolute_url(),
        list(reply.attachments.all()),
    )


class TopicDetail(CommunityAPIView):
    @endpoint(
        "discussions_topics_retrieve",
        tag="discussions",
        summary=gettext_lazy("A topic with a page of its threads"),
        description=gettext_lazy(
            "The topic and one page of its top-level threads (``page``), each with its replies "
            "nested in ``children``. 404 for who may not read it."
        ),
        parameters=[OpenApiParameter("page", int, description=gettext_lazy("Page of threads"))],
        response=TopicDetailSerializer,
    )
    def get(self, request, pk):
        return _detail(request, pk)

    @endpoint(
        "discussions_topics_partial_update",
        tag="discussions",
        summary=gettext_lazy("Edit a topic"),
        description=gettext_lazy(
            "Its author, within the edit window and while the moderators have not hid it; the "
            "coordinator and the support team (and staff) any time, logged with ``reason``. "
            "The previous title and text are kept. 403 with the reason otherwise."
        ),
        request=TopicEditSerializer,
        response=TopicDetailSerializer,
    )
    def patch(self, request, pk):
        topic = _topic_to_change(request, pk)
        if not access.can(request.user, Action.EDIT_TOPIC, topic):
            raise exceptions.PermissionDenied(services.edit_topic_refusal(topic))
        data = validated(TopicEditSerializer, request)
        run(
            services.edit_topic,
            request.user,
            topic,
            title=data.get("title", topic.title),
            body=data.get("body", topic.body),
            reason=data["reason"],
        )
        return _decorated_detail(request, topic)

    @endpoint(
        "discussions_topics_destroy",
        tag="discussions",
        summary=gettext_lazy("Delete a topic"),
        description=gettext_lazy(
            "Deletes the topic with its replies, for good. Its author while nobody replied and "
            "the moderators have not hid it; the coordinator and the support team (and staff) "
            "any time, giving ``reason`` (required, kept in the moderation log)."
        ),
        parameters=[
            OpenApiParameter(
                "reason", str, description=gettext_lazy("Required of a moderator: why.")
            )
        ],
        status=status.HTTP_204_NO_CONTENT,
        errors=BAD_INPUT,  # a moderator without a reason
    )
    def delete(self, request, pk):
        topic = _topic_to_change(request, pk)
        if not access.can(request.user, Action.DELETE_TOPIC, topic):
            raise exceptions.PermissionDenied(services.delete_topic_refusal(topic))
        run(
            services.delete_topic,
            request.user,
            topic,
            reason=request.query_params.get("reason", ""),
        )


class TopicFlag(CommunityAPIView):
    @endpoint(
        "discussions_topics_flag",
        tag="discussions",
        summary=gettext_lazy("Report a topic's opening post to the moderators"),
        description=gettext_lazy(
            "Any member who may read the discussion, once per topic (409 the second time, or "
            "when the moderators already hid it); one's own topics cannot be reported (403)."
        ),
        request=FlagCreateSerializer,
        response=FlagSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        topic = run(services.get_topic, request.user, pk)
        data = validated(FlagCreateSerializer, request)
        return run(moderation.flag_topic, request.user, topic, data["reason"], data["note"])


class TopicHide(CommunityAPIView):
    @endpoint(
        "discussions_topics_hide",
        tag="discussions",
        summary=gettext_lazy("Hide a topic's opening post"),
        description=gettext_lazy(
            "The coordinator and the support team (and staff): the members keep the title and "
            "the replies, not the text; only the moderators can reply until it is restored. "
            "409 if already hidden; 403 for other members."
        ),
        request=HideSerializer,
        response=TopicDetailSerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        topic = _topic_to_change(request, pk)
        moderation_check(request.user, topic)
        data = validated(HideSerializer, request)
        run(moderation.hide_topic, request.user, topic, data["reason"])
        return _decorated_detail(request, topic)


class TopicUnhide(CommunityAPIView):
    @endpoint(
        "discussions_topics_unhide",
        tag="discussions",
        summary=gettext_lazy("Restore a topic's hidden opening post"),
        description=gettext_lazy(
            "The coordinator and the support team (and staff); 409 if it is not hidden."
        ),
        response=TopicDetailSerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        topic = _topic_to_change(request, pk)
        moderation_check(request.user, topic)
        run(moderation.unhide_topic, request.user, topic)
        return _decorated_detail(request, topic)


def moderation_check(user, obj):
    """403 (with the reason) for a member who may not moderate the discussion."""
    run(moderation._require_moderator, user, obj)


class TopicReplies(CommunityAPIView):
    @endpoint(
        "discussions_replies_create",
        tag="discussions",
        summary=gettext_lazy("Reply to a topic"),
        description=gettext_lazy(
            "Any member of the community (of the working group for its topics). A closed topic "
            "takes replies from the coordinator and the support team only (403 for others)."
        ),
        request=ReplyCreateSerializer,
        response=ReplySerializer,
        status=status.HTTP_201_CREATED,
        errors=RATE_LIMITED,
    )
    def post(self, request, pk):
        topic = run(services.get_topic, request.user, pk)
        if not access.can(request.user, Action.REPLY, topic):
            raise exceptions.PermissionDenied(services.reply_refusal(topic))
        data = validated(ReplyCreateSerializer, request)
        parent = data.get("parent") or None
        reply = run(
            services.post_reply,
            request.user,
            topic,
            data["text"],
            parent=parent,
            request=request._request,
        )
        reply.user = request.user
        perms = topic_permissions(request.user, topic)
        return decorate_reply(request, reply, perms, set(), topic.get_absolute_url(), [])


class ReplyDetail(CommunityAPIView):
    @endpoint(
        "discussions_replies_partial_update",
        tag="discussions",
        summary=gettext_lazy("Edit one's own reply"),
        description=gettext_lazy(
            "Its author, within the edit window, while they may still reply and the moderators "
            "have not hid it (403 with the reason otherwise). The previous text is kept."
        ),
        request=ReplyEditSerializer,
        response=ReplySerializer,
    )
    def patch(self, request, pk):
        reply = _reply_of(request, pk)
        if not access.can(request.user, Action.EDIT_REPLY, reply):
            raise exceptions.PermissionDenied(services.edit_reply_refusal(reply))
        data = validated(ReplyEditSerializer, request)
        run(services.edit_reply, request.user, reply, data["text"])
        return _reply_answer(request, reply)

    @endpoint(
        "discussions_replies_destroy",
        tag="discussions",
        summary=gettext_lazy("Delete one's own reply"),
        description=gettext_lazy(
            "Its author: the thread keeps a placeholder and the answers to it (403 for others)."
        ),
        status=status.HTTP_204_NO_CONTENT,
    )
    def delete(self, request, pk):
        reply = _reply_of(request, pk)
        run(services.delete_reply, request.user, reply)


class ReplyHide(CommunityAPIView):
    @endpoint(
        "discussions_replies_hide",
        tag="discussions",
        summary=gettext_lazy("Hide a reply"),
        description=gettext_lazy(
            "The coordinator and the support team (and staff); 409 if already hidden, 403 for "
            "other members."
        ),
        request=HideSerializer,
        response=ReplySerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        reply = _reply_of(request, pk, moderating=True)
        moderation_check(request.user, reply)
        data = validated(HideSerializer, request)
        reply = run(moderation.hide_reply, request.user, reply, data["reason"])
        return _reply_answer(request, reply)


class ReplyUnhide(CommunityAPIView):
    @endpoint(
        "discussions_replies_unhide",
        tag="discussions",
        summary=gettext_lazy("Restore a hidden reply"),
        description=gettext_lazy(
            "The coordinator and the support team (and staff); 409 if it is not hidden."
        ),
        response=ReplySerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        reply = _reply_of(request, pk, moderating=True)
        moderation_check(request.user, reply)
        reply = run(moderation.unhide_reply, request.user, reply)
        return _reply_answer(request, reply)


class ReplyFlag(CommunityAPIView):
    @endpoint(
        "discussions_replies_flag",
        tag="discussions",
        summary=gettext_lazy("Report a reply to the moderators"),
        description=gettext_lazy(
            "Any member who may read the discussion, once per reply (409 the second time); "
            "one's own replies cannot be reported (403)."
        ),
        request=FlagCreateSerializer,
        response=FlagSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        reply = (
            Reply.objects.select_related("topic", "topic__community", "topic__space")
            .filter(pk=pk)
            .first()
        )
        if reply is None or not access.can(request.user, Action.READ_DISCUSSIONS, reply.topic):
            raise exceptions.NotFound()
        data = validated(FlagCreateSerializer, request)
        return run(moderation.flag_reply, request.user, reply, data["reason"], data["note"])
