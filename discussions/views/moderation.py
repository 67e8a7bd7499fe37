"""The moderation pages: the queue of a community (reported replies and topics, recently hidden
replies and opening posts, the log) for its coordinator and support team (and staff), and the
POST endpoints behind the "Segnala", "Nascondi", "Ripristina", lock, pin and move buttons of the
topic page (for replies and for the topic's opening post).

Every decision is ``discussions.services.moderation``'s (which asks the access policy): who may
not read a discussion gets a 404, a member who may not act a 403 page with the reason, bad input
the form again with the message and what was typed (400). Successful actions redirect (POST, then
GET) with an Italian message. Reporting and hiding a reply or an opening post are one form each
(``flag.html``, ``hide.html``), parametrised by the target.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import access
from communities.manage_views import manage_view
from communities.models import CommunityPage

from ..models import Flag, Reply, Topic
from ..permissions import Action
from ..services import moderation

LOG_LENGTH = 50


def _next(request, default: str) -> str:
    """The page to go back to: ``next`` if it is a path of this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _reply(request, reply_id) -> Reply:
    """The reply ``reply_id`` if the user may see its discussion (404 otherwise)."""
    reply = (
        Reply.objects.select_related("topic", "topic__community", "topic__space", "user")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or not moderation.may_see(request.user, reply.topic):
        raise Http404
    return reply


def _topic(request, topic_id) -> Topic:
    topic = Topic.objects.select_related("community", "space").filter(pk=topic_id).first()
    if topic is None or not moderation.may_see(request.user, topic):
        raise Http404
    return topic


def _first_error(error: ValidationError) -> str:
    return error.messages[0] if error.messages else _("The request is not valid.")


def _errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": error.messages}


def _reply_url(reply) -> str:
    return reply.topic.get_absolute_url() + f"#r{reply.pk}"


# --- The queue ----------------------------------------------------------------------------------


@manage_view
def queue(request, community_id):
    community = get_object_or_404(CommunityPage, pk=community_id)
    user = request.user
    if not access.can(user, Action.MODERATE, community):
        if access.can(user, Action.READ_DISCUSSIONS, community):
            raise PermissionDenied(
                _(
                    "Only the coordinator and the support team of the community moderate "
                    "discussions."
                )
            )
        raise Http404
    return render(
        request,
        "discussions/moderation/queue.html",
        {
            "community": community,
            "page_title": _("Moderation of the discussions"),
            "flagged": moderation.flagged_replies(community),
            "hidden": moderation.hidden_replies(community),
            "flagged_topics": moderation.flagged_topics(community),
            "hidden_topics": moderation.hidden_topics(community),
            "log": moderation.moderation_log(community, LOG_LENGTH),
            "queue_url": request.get_full_path(),
        },
    )


# --- Reports and hiding: one form each for a reply and an opening post ---------------------------


def _report_form(request, target, back):
    """GET: the report form of ``target`` (a reply or a topic's opening post; also reached
    without JavaScript); POST: send the report."""
    is_reply = isinstance(target, Reply)
    topic = target.topic if is_reply else target
    data = {"reason": "", "note": ""}
    errors = {}
    status = 200
    if request.method == "POST":
        data = {"reason": request.POST.get("reason", ""), "note": request.POST.get("note", "")}
        report = moderation.flag_reply if is_reply else moderation.flag_topic
        try:
            report(request.user, target, data["reason"], data["note"])
        except ValidationError as error:
            if getattr(error, "code", None) == "already":
                messages.info(request, _first_error(error))
                return redirect(back)
            errors = _errors(error)
            status = 400
        else:
            messages.success(
                request,
                _("Thank you: the reply has been reported to the moderators of the community.")
                if is_reply
                else _(
                    "Thank you: the topic has been reported to the moderators of the community."
                ),
            )
            return redirect(back)
    context = {
        "community": topic.community,
        "page_title": _("Report a reply") if is_reply else _("Report a topic"),
        "topic": topic,
        "reasons": Flag.Reason.choices,
        "data": data,
        "errors": errors,
        "next": back,
    }
    return render(
        request, "discussions/moderation/flag.html", _with_target(context, target), status=status
    )


def _hide_form(request, target, back):
    """GET: confirm hiding ``target`` (a reply or a topic's opening post), with the reason
    (required); POST: hide it."""
    is_reply = isinstance(target, Reply)
    topic = target.topic if is_reply else target
    reason = ""
    errors = {}
    status = 200
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        hide = moderation.hide_reply if is_reply else moderation.hide_topic
        try:
            hide(request.user, target, reason)
        except ValidationError as error:
            if getattr(error, "code", None) == "already":
                messages.info(request, _first_error(error))
                return redirect(back)
            errors = _errors(error)
            status = 400
        else:
            messages.success(
                request,
                _("The reply has been hidden.")
                if is_reply
                else _("The opening post has been hidden."),
            )
            return redirect(back)
    context = {
        "community": topic.community,
        "page_title": _("Hide a reply") if is_reply else _("Hide the opening post of a topic"),
        "topic": topic,
        "reason": reason,
        "reason_max_length": moderation.REASON_MAX_LENGTH,
        "errors": errors,
        "next": back,
    }
    return render(
        request, "discussions/moderation/hide.html", _with_target(context, target), status=status
    )


def _with_target(context, target):
    """What the shared templates need to tell a reply from an opening post."""
    if isinstance(target, Reply):
        context["reply"] = target
        context["target"] = "reply"
    else:
        context["target"] = "topic"
    return context


# --- Members: report a reply or an opening post -------------------------------------------------


@manage_view
@require_http_methods(["GET", "POST"])
def flag_reply(request, reply_id):
    """GET: the report form (also reached without JavaScript); POST: send the report."""
    reply = _reply(request, reply_id)
    back = _next(request, _reply_url(reply))
    if not reply.is_public or reply.is_removed:
        raise Http404
    if not access.can(request.user, Action.FLAG, reply.topic):
        raise PermissionDenied(_("You cannot report replies in this discussion."))
    return _report_form(request, reply, back)


@manage_view
@require_http_methods(["GET", "POST"])
def flag_topic(request, topic_id):
    """GET: the report form (also reached without JavaScript); POST: send the report."""
    topic = _topic(request, topic_id)
    back = _next(request, topic.get_absolute_url())
    if topic.is_hidden:
        messages.info(request, _("The moderators have already hidden this opening post."))
        return redirect(back)
    if not access.can(request.user, Action.FLAG, topic):
        raise PermissionDenied(_("You cannot report posts in this discussion."))
    if topic.author_id == request.user.pk:
        raise PermissionDenied(_("You cannot report your own topic."))
    return _report_form(request, topic, back)


# --- Moderators: hide, restore, dismiss reports --------------------------------------------------


@manage_view
@require_http_methods(["GET", "POST"])
def hide_reply(request, reply_id):
    """GET: confirm, with the reason (required); POST: hide the reply."""
    reply = _reply(request, reply_id)
    moderation._require_moderator(request.user, reply)
    return _hide_form(request, reply, _next(request, _reply_url(reply)))


@manage_view
@require_http_methods(["GET", "POST"])
def hide_topic(request, topic_id):
    """GET: confirm, with the reason (required); POST: hide the opening post."""
    topic = _topic(request, topic_id)
    moderation._require_moderator(request.user, topic)
    return _hide_form(request, topic, _next(request, topic.get_absolute_url()))


def _post_action(request, operation, obj, success_message, back):
    try:
        operation(request.user, obj)
    except ValidationError as error:
        messages.warning(request, _first_error(error))
    else:
        messages.success(request, success_message)
    return redirect(back)


@manage_view
@require_POST
def unhide_reply(request, reply_id):
    reply = _reply(request, reply_id)
    return _post_action(
        request,
        moderation.unhide_reply,
        reply,
        _("The reply is visible again."),
        _next(request, _reply_url(reply)),
    )


@manage_view
@require_POST
def dismiss_flags(request, reply_id):
    reply = _reply(request, reply_id)
    return _post_action(
        request,
        moderation.dismiss_flags,
        reply,
        _("The reports have been dismissed; the reply stays visible."),
        _next(request, _reply_url(reply)),
    )


@manage_view
@require_POST
def unhide_topic(request, topic_id):
    topic = _topic(request, topic_id)
    return _post_action(
        request,
        moderation.unhide_topic,
        topic,
        _("The opening post is visible again."),
        _next(request, topic.get_absolute_url()),
    )


@manage_view
@require_POST
def dismiss_topic_flags(request, topic_id):
    topic = _topic(request, topic_id)
    return _post_action(
        request,
        moderation.dismiss_topic_flags,
        topic,
        _("The reports have been dismissed; the topic stays visible."),
        _next(request, topic.get_absolute_url()),
    )


# --- Moderators: topics -------------------------------------------------------------------------


def _flag_value(request, name) -> bool:
    return request.POST.get(name, "") in ("1", "true", "on")


@manage_view
@require_POST
def lock_topic(request, topic_id):
    topic = _topic(request, topic_id)
    locked = _flag_value(request, "locked")
    moderation.set_locked(request.user, topic, locked)
    messages.success(
        request,
        _("The topic is closed: only the coordinator and the support team can reply.")
        if locked
        else _("The topic is open to replies again."),
    )
    return redirect(_next(request, topic.get_absolute_url()))


@manage_view
@require_POST
def pin_topic(request, topic_id):
    topic = _topic(request, topic_id)
    pinned = _flag_value(request, "pinned")
    moderation.set_pinned(request.user, topic, pinned)
    messages.success(
        request,
        _("The topic is pinned at the top of the list.")
        if pinned
        else _("The topic is no longer pinned."),
    )
    return redirect(_next(request, topic.get_absolute_url()))


@manage_view
@require_http_methods(["GET", "POST"])
def move_topic(request, topic_id):
    """GET: choose the space; POST: move the topic there."""
    topic = _topic(request, topic_id)
    moderation._require_moderator(request.user, topic)
    targets = moderation.move_targets(request.user, topic)
    chosen = ""
    errors = {}
    status = 200
    if request.method == "POST":
        chosen = request.POST.get("space", "")
        target = next((space for space in targets if str(space.pk) == chosen), None)
        try:
            if target is None:
                raise ValidationError(
                    {"space": _("Choose the community or one of its working groups.")}
                )
            moderation.move_topic(request.user, topic, target)
        except ValidationError as error:
            errors = _errors(error)
            status = 400
        else:
            messages.success(
                request,
                _("The topic has been moved to “%(space)s”.") % {"space": target.title},
            )
            return redirect(topic.get_absolute_url())
    return render(
        request,
        "discussions/moderation/move.html",
        {
            "community": topic.community,
            "page_title": _("Move a topic"),
            "topic": topic,
            "targets": targets,
            "chosen": chosen,
            "errors": errors,
            "next": _next(request, topic.get_absolute_url()),
        },
        status=status,
    )


def queue_url(community) -> str:
    return reverse("discussions:moderation_queue", args=[community.pk])
