"""The discussions' topic pages: topic lists of a space, the latest topics of all the member's
spaces, new topic, topic page, edit, delete (the reply pages: ``views.replies``).

Who may do what is the access policy's (``cms.access``), applied by ``services``:

- whoever may not read a space's discussions (visitors included) gets a 404 for everything in
  it: the existence of a topic is not disclosed, so visitors are not sent to sign in either;
- a member without the right gets a 403 with the portal's refusal page and an Italian message;
- too many posts get a 429 with the wait, and the form again with what was typed.

The topic page shows top-level threads paginated, each with its descendants, in a fixed number
of queries whatever the number of replies (tests/discussions/test_queries.py).
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale, Page

from cms import access, locales
from cms.cache import mark_private
from communities import permissions as community_permissions

from .. import forms, notifications, permissions, services
from ..models import Reaction, Reply, TaggedTopic, Topic, TopicRead
from ..services import attachments, moderation, polls
from .common import (
    THREADS_PER_PAGE,
    Action,
    _refused,
    _space_context,
    _space_or_404,
    _status_for,
    _topic_or_404,
    add_field_errors,
)

TOPICS_PER_PAGE = 20


# --- Topic list ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def topic_list(request, space_id):
    space = _space_or_404(request, space_id)
    mark_private(request)
    topics = permissions.visible_topics(request.user, Topic.objects.for_listing()).filter(
        space=space
    )
    tag = request.GET.get("tag", "").strip()
    if tag:
        topics = topics.filter(tags__slug=tag)
    topics = topics.order_by("-pinned", "-last_activity_at", "-pk").prefetch_related(
        Prefetch("tagged_items", queryset=TaggedTopic.objects.select_related("tag"))
    )
    page_obj = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page_obj.object_list)
    _mark_reads(request.user, items)
    context = _space_context(request, space)
    context["crumbs"][-1]["url"] = None
    context.update(
        {
            "page_obj": page_obj,
            "topics": items,
            "tag": tag,
            "can_open_topic": access.can(request.user, Action.OPEN_TOPIC, space),
        }
    )
    return render(request, "discussions/topic_list.html", context)


# --- Latest topics of all my spaces --------------------------------------------------------------


def _mark_reads(user, topics) -> None:
    """``is_new`` / ``is_unread`` on each topic, from the user's read markers (one query)."""
    reads = dict(
        TopicRead.objects.filter(user=user, topic__in=topics).values_list("topic_id", "read_at")
    )
    for topic in topics:
        read_at = reads.get(topic.pk)
        topic.is_new = read_at is None
        topic.is_unread = read_at is not None and topic.last_activity_at > read_at


def _localized_space_titles(topics) -> dict[int, str]:
    """``{space id: title in the active language}`` for the topics' spaces, in one query (the
    live translation's title; the space's own otherwise)."""
    titles = {topic.space_id: topic.space.title for topic in topics}
    try:
        locale = locales.get_active()
    except Locale.DoesNotExist:
        return titles
    if translation.get_language() is None or all(
        topic.space.locale_id == locale.pk for topic in topics
    ):
        return titles
    keys = {topic.space.translation_key: topic.space_id for topic in topics}
    for key, title in (
        Page.objects.filter(translation_key__in=keys, locale=locale, live=True)
        .exclude(pk__in=titles)
        .values_list("translation_key", "title")
    ):
        titles[keys[key]] = title
    return titles


@login_required
@require_http_methods(["GET", "HEAD"])
def latest_topics(request):
    """The latest topics of every community and working group whose discussions the member may
    read (``permissions.visible_topics``), most recently active first, paginated."""
    mark_private(request)
    topics = permissions.visible_topics(request.user, Topic.objects.for_listing())
    tag = request.GET.get("tag", "").strip()
    if tag:
        topics = topics.filter(tags__slug=tag)
    topics = topics.order_by("-last_activity_at", "-pk").prefetch_related(
        Prefetch("tagged_items", queryset=TaggedTopic.objects.select_related("tag"))
    )
    page_obj = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page_obj.object_list)
    _mark_reads(request.user, items)
    titles = _localized_space_titles(items)
    for topic in items:
        topic.space_title = titles.get(topic.space_id, topic.space.title)
    context = {
        "page_title": _("Latest discussions"),
        "page_obj": page_obj,
        "topics": items,
        "tag": tag,
        "has_spaces": community_permissions.discussion_space_ids(request.user) != frozenset(),
    }
    return render(request, "discussions/latest.html", context)


# --- New topic ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def topic_new(request, space_id):
    space = _space_or_404(request, space_id)
    mark_private(request)
    if not access.can(request.user, Action.OPEN_TOPIC, space):
        return _refused(request, services.open_topic_refusal(space), services.community_of(space))
    status = 200
    error = None
    retry_after = None
    if request.method == "POST":
        form = forms.TopicForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                topic = services.create_topic(
                    request.user,
                    space,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                    poll=form.cleaned_data["poll"],
                    attachments=form.cleaned_data["attachments"],
                    request=request,
                )
            except services.NotAllowed as exc:
                return _refused(request, exc.message, services.community_of(space))
            except services.InvalidInput as exc:
                error, status = add_field_errors(form, exc), exc.status
            except services.DiscussionError as exc:
                error, status = exc.message, _status_for(exc)
                retry_after = getattr(exc, "retry_after", None)
            else:
                return redirect(topic.get_absolute_url())
        else:
            status = 400
    else:
        form = forms.TopicForm()
    context = _space_context(request, space)
    context["crumbs"].append({"title": _("New topic"), "url": None})
    context.update({"form": form, "error": error})
    response = render(request, "discussions/topic_form.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


# --- Topic page ---------------------------------------------------------------------------------


def topic_perms(user, topic) -> dict:
    """What ``user`` may do on ``topic``'s page: computed once per page, never per reply."""
    moderate = access.can(user, Action.MODERATE, topic)
    own = user.is_authenticated and topic.author_id == user.pk
    return {
        "read": True,
        "reply": access.can(user, Action.REPLY, topic),
        "flag": access.can(user, Action.FLAG, topic),
        "moderate": moderate,
        "open_topic": access.can(user, Action.OPEN_TOPIC, topic),
        "max_level": services.max_thread_level(),
        # The opening post
        "flag_topic": access.can(user, Action.FLAG_TOPIC, topic),
        "edit_topic": access.can(user, Action.EDIT_TOPIC, topic),
        "delete_topic": access.can(user, Action.DELETE_TOPIC, topic),
        "shows_body": not topic.is_hidden or moderate,
        "shows_hidden_reason": topic.is_hidden and (moderate or own),
    }


_URL_PLACEHOLDER = 987654321


def _reply_url_builders(topic) -> dict:
    """Per-reply URLs of a topic page, reversed once per page rather than once per reply."""
    builders = {}
    for name, url_name in (
        ("react", "discussions:reply_react"),
        ("edit", "discussions:reply_edit"),
        ("delete", "discussions:reply_delete"),
    ):
        template = reverse(url_name, kwargs={"pk": topic.pk, "reply_id": _URL_PLACEHOLDER})
        builders[name] = lambda pk, template=template: template.replace(
            str(_URL_PLACEHOLDER), str(pk)
        )
    answer = reverse("discussions:reply", kwargs={"pk": topic.pk})
    builders["answer"] = lambda pk: f"{answer}?parent={pk}"
    builders["quote"] = lambda pk: f"{answer}?quote={pk}"
    return builders


def build_threads(user, topic, thread_ids, perms):
    """The replies of the threads ``thread_ids`` (top-level reply ids) as nested lists, with
    reactions, flags and attachments (``topic.attachment_list`` too): five queries whatever the
    number of replies."""
    replies = list(Reply.objects.in_threads(topic, thread_ids))
    ids = [reply.pk for reply in replies]
    counts = defaultdict(dict)
    mine = defaultdict(set)
    if ids:
        for reply_id, kind, n in (
            Reaction.objects.filter(reply_id__in=ids)
            .values_list("reply_id", "kind")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[reply_id][kind] = n
        if user.is_authenticated:
            for reply_id, kind in Reaction.objects.filter(reply_id__in=ids, user=user).values_list(
                "reply_id", "kind"
            ):
                mine[reply_id].add(kind)
    flagged = moderation.flag_state(user, replies)
    topic.attachment_list, reply_attachments = attachments.attachments_by_post(topic, ids)
    kinds = Reaction.Kind.choices
    urls = _reply_url_builders(topic)
    by_id = {}
    threads = []
    for reply in replies:
        reply.topic = topic  # no query per reply for the policy's context
        reply.children = []
        reply.reactions_list = [
            {
                "kind": kind,
                "label": label,
                "count": counts[reply.pk].get(kind, 0),
                "mine": kind in mine[reply.pk],
            }
            for kind, label in kinds
        ]
        reply.flagged_by_me = reply.pk in flagged
        reply.urls = {name: build(reply.pk) for name, build in urls.items()}
        visible = reply.is_public and not reply.is_removed
        own = user.is_authenticated and reply.user_id == user.pk
        # The policy answers for the user's own replies only (no query: context is cached).
        reply.can_edit = own and visible and access.can(user, Action.EDIT_REPLY, reply)
        reply.can_delete = (
            own and not reply.is_removed and access.can(user, Action.DELETE_REPLY, reply)
        )
        reply.can_react = visible and perms["reply"] and not own
        reply.can_answer = visible and perms["reply"]
        reply.shows_text = visible or (perms["moderate"] and reply.is_hidden)
        # The files go with the text: the policy's ``view_attachment``, answered here without
        # a query per reply (the view asks it again for each download).
        reply.attachment_list = (
            reply_attachments.get(reply.pk, []) if reply.shows_text and not reply.is_deleted else []
        )
        by_id[reply.pk] = reply
        if reply.level == 0:
            threads.append(reply)
        else:
            parent = by_id.get(reply.parent_id)
            if parent is not None:
                parent.children.append(reply)
    return threads


@require_http_methods(["GET", "HEAD"])
def topic_detail(request, pk, slug=None):
    topic = _topic_or_404(request, pk)
    if slug != topic.slug:
        return redirect(topic.get_absolute_url(), permanent=False)
    return render_topic(request, topic)


def render_topic(request, topic, *, status=200, poll_error=None, poll_choice=None):
    """The topic page (``status``, ``poll_error`` and the options the member had chosen,
    ``poll_choice``, when a vote was refused: the page again, with what they chose)."""
    mark_private(request)
    space = topic.space.specific
    perms = topic_perms(request.user, topic)
    top_level = Reply.objects.thread_ids(topic)
    page_obj = Paginator(top_level, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    threads = build_threads(request.user, topic, list(page_obj.object_list), perms)
    poll = polls.poll_state(request.user, topic)
    if poll is not None and poll_choice is not None:
        chosen = {str(value) for value in poll_choice}
        for option in poll.options:
            option.checked = str(option.id) in chosen
    services.mark_read(request.user, topic)
    context = _space_context(request, space)
    context["crumbs"].append({"title": topic.title, "url": None})
    context.update(
        {
            "topic": topic,
            "reply": None,
            "tags": [
                item.tag
                for item in TaggedTopic.objects.filter(content_object=topic).select_related("tag")
            ],
            "perms": perms,
            "topic_flagged": perms["flag_topic"]
            and moderation.topic_flagged_by(request.user, topic),
            "page_obj": page_obj,
            "threads": threads,
            "following": notifications.follow_state(request.user, topic=topic),
            "form": forms.ReplyForm(),
            "form_action": reverse("discussions:reply", args=[topic.pk]),
            "poll": poll,
            "poll_error": poll_error,
            "can_start_poll": poll is None and access.can(request.user, Action.START_POLL, topic),
        }
    )
    return render(request, "discussions/topic_detail.html", context, status=status)


# --- Editing and deleting a topic (its author; the moderators) ----------------------------------


def _topic_for_change(request, pk):
    """The topic ``pk`` for its author or a moderator (staff moderate without reading the
    community's discussions); 404 for whoever may not see it."""
    topic = Topic.objects.for_listing().filter(pk=pk).first()
    if topic is None or not moderation.may_see(request.user, topic):
        raise Http404
    mark_private(request)
    return topic


@require_http_methods(["GET", "HEAD", "POST"])
def topic_edit(request, pk):
    topic = _topic_for_change(request, pk)
    if not access.can(request.user, Action.EDIT_TOPIC, topic):
        return _refused(request, services.edit_topic_refusal(topic), topic.community)
    as_moderator = services.editing_is_moderation(request.user, topic)
    status, error = 200, None
    if request.method == "POST":
        form = forms.EditTopicForm(request.POST, moderation=as_moderator)
        if form.is_valid():
            try:
                services.edit_topic(
                    request.user,
                    topic,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    reason=form.cleaned_data.get("reason", ""),
                )
            except services.NotAllowed as exc:
                return _refused(request, exc.message, topic.community)
            except services.DiscussionError as exc:
                status, error = exc.status, exc.message
            else:
                messages.success(request, _("The topic has been updated."))
                return redirect(topic.get_absolute_url())
        else:
            status = 400
    else:
        form = forms.EditTopicForm(
            initial={"title": topic.title, "body": topic.body}, moderation=as_moderator
        )
    context = _space_context(request, topic.space.specific)
    context["crumbs"].append({"title": topic.title, "url": topic.get_absolute_url()})
    context["crumbs"].append({"title": _("Edit topic"), "url": None})
    context.update(
        {
            "topic": topic,
            "form": form,
            "error": error,
            "as_moderator": as_moderator,
            "edit_minutes": int(permissions.TOPIC_EDIT_WINDOW.total_seconds() // 60),
        }
    )
    return render(request, "discussions/topic_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def topic_delete(request, pk):
    topic = _topic_for_change(request, pk)
    if not access.can(request.user, Action.DELETE_TOPIC, topic):
        return _refused(request, services.delete_topic_refusal(topic), topic.community)
    as_moderator = services.deleting_is_moderation(request.user, topic)
    status, error = 200, None
    form = forms.DeleteTopicForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (not as_moderator or form.is_valid()):
        space_id = topic.space_id
        try:
            services.delete_topic(
                request.user,
                topic,
                reason=form.cleaned_data.get("reason", "") if as_moderator else "",
            )
        except services.NotAllowed as exc:
            return _refused(request, exc.message, topic.community)
        except services.DiscussionError as exc:
            status, error = exc.status, exc.message
        else:
            messages.success(request, _("The topic has been deleted."))
            return redirect(reverse("discussions:topic_list", args=[space_id]))
    elif request.method == "POST":
        status = 400
    context = _space_context(request, topic.space.specific)
    context["crumbs"].append({"title": topic.title, "url": topic.get_absolute_url()})
    context["crumbs"].append({"title": _("Delete topic"), "url": None})
    context.update({"topic": topic, "form": form, "error": error, "as_moderator": as_moderator})
    return render(request, "discussions/topic_delete.html", context, status=status)
