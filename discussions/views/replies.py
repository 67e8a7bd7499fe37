"""The reply pages: reply (``?parent=<id>`` to answer a reply, ``&quote=<id>`` to quote it),
edit or delete one's reply, react. Refusals as for the topic pages (``views.topics``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import access
from cms.cache import mark_private

from .. import forms, markdown, services
from ..models import Reply
from .common import (
    Action,
    _refused,
    _space_context,
    _topic_or_404,
    add_field_errors,
    reply_url,
)


def _reply_form_page(
    request, topic, form, *, parent=None, error=None, status=200, retry_after=None
):
    space = topic.space.specific
    context = _space_context(request, space)
    context["crumbs"].append({"title": topic.title, "url": topic.get_absolute_url()})
    context["crumbs"].append({"title": _("Reply"), "url": None})
    context.update(
        {
            "topic": topic,
            "form": form,
            "parent": parent,
            "error": error,
            "form_action": reverse("discussions:reply", args=[topic.pk]),
        }
    )
    response = render(request, "discussions/reply_form.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def reply_create(request, pk):
    """GET: the reply form (``?parent=<id>`` to answer a reply, ``&quote=<id>`` to quote it);
    POST: publish the reply."""
    topic = _topic_or_404(request, pk)
    mark_private(request)
    if not access.can(request.user, Action.REPLY, topic):
        return _refused(request, services.reply_refusal(topic), topic.community)
    if request.method != "POST":
        parent = _visible_reply_or_none(topic, request.GET.get("parent"))
        initial = {"parent": parent.pk if parent else None}
        quoted = _visible_reply_or_none(topic, request.GET.get("quote"))
        if quoted is not None:
            initial["text"] = markdown.quote(quoted.comment)
            if parent is None:
                initial["parent"] = quoted.pk
                parent = quoted
        return _reply_form_page(request, topic, forms.ReplyForm(initial=initial), parent=parent)
    form = forms.ReplyForm(request.POST, request.FILES)
    parent = None
    if form.is_valid():
        parent = _visible_reply_or_none(topic, form.cleaned_data.get("parent"))
        try:
            reply = services.post_reply(
                request.user,
                topic,
                form.cleaned_data["text"],
                parent=parent or form.cleaned_data.get("parent"),
                attachments=form.cleaned_data["attachments"],
                request=request,
            )
        except services.NotFound as exc:
            raise Http404 from exc
        except services.NotAllowed as exc:
            return _refused(request, exc.message, topic.community)
        except services.RateLimited as exc:
            return _reply_form_page(
                request,
                topic,
                form,
                parent=parent,
                error=exc.message,
                status=429,
                retry_after=exc.retry_after,
            )
        except services.DiscussionError as exc:
            error = (
                add_field_errors(form, exc)
                if isinstance(exc, services.InvalidInput)
                else exc.message
            )
            return _reply_form_page(
                request, topic, form, parent=parent, error=error, status=exc.status
            )
        return redirect(reply_url(topic, reply))
    if parent is None:
        parent = _visible_reply_or_none(topic, request.POST.get("parent"))
    return _reply_form_page(request, topic, form, parent=parent, status=400)


def _visible_reply_or_none(topic, reply_id):
    if not reply_id or not str(reply_id).isdigit():
        return None
    return Reply.objects.published().filter(pk=reply_id, topic=topic).select_related("user").first()


def _own_reply(request, pk, reply_id):
    topic = _topic_or_404(request, pk)
    try:
        reply = services.get_reply(request.user, topic, reply_id)
    except services.NotFound as exc:
        raise Http404 from exc
    mark_private(request)
    return topic, reply


@require_http_methods(["GET", "HEAD", "POST"])
def reply_edit(request, pk, reply_id):
    topic, reply = _own_reply(request, pk, reply_id)
    if not access.can(request.user, Action.EDIT_REPLY, reply):
        return _refused(request, services.edit_reply_refusal(reply), topic.community)
    status, error = 200, None
    if request.method == "POST":
        form = forms.EditReplyForm(request.POST)
        if form.is_valid():
            try:
                services.edit_reply(request.user, reply, form.cleaned_data["text"])
            except services.NotAllowed as exc:
                return _refused(request, exc.message, topic.community)
            except services.DiscussionError as exc:
                status, error = exc.status, exc.message
            else:
                return redirect(reply_url(topic, reply))
        else:
            status = 400
    else:
        form = forms.EditReplyForm(initial={"text": reply.comment})
    context = _space_context(request, topic.space.specific)
    context["crumbs"].append({"title": topic.title, "url": topic.get_absolute_url()})
    context["crumbs"].append({"title": _("Edit reply"), "url": None})
    context.update({"topic": topic, "reply": reply, "form": form, "error": error})
    return render(request, "discussions/reply_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def reply_delete(request, pk, reply_id):
    topic, reply = _own_reply(request, pk, reply_id)
    if not access.can(request.user, Action.DELETE_REPLY, reply):
        return _refused(request, _("You can delete your own replies only."), topic.community)
    if request.method == "POST":
        try:
            services.delete_reply(request.user, reply)
        except services.NotAllowed as exc:
            return _refused(request, exc.message, topic.community)
        return redirect(reply_url(topic, reply))
    context = _space_context(request, topic.space.specific)
    context["crumbs"].append({"title": topic.title, "url": topic.get_absolute_url()})
    context["crumbs"].append({"title": _("Delete reply"), "url": None})
    context.update({"topic": topic, "reply": reply})
    return render(request, "discussions/reply_delete.html", context)


@require_POST
def reply_react(request, pk, reply_id):
    topic = _topic_or_404(request, pk)
    try:
        reply = services.get_reply(request.user, topic, reply_id)
    except services.NotFound as exc:
        raise Http404 from exc
    mark_private(request)
    form = forms.ReactionForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Unknown reaction."), topic.community)
    try:
        services.toggle_reaction(request.user, reply, form.cleaned_data["kind"])
    except services.NotAllowed as exc:
        return _refused(request, exc.message, topic.community)
    return redirect(reply_url(topic, reply))
