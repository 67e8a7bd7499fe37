"""The access policy at django-comments-xtd's door.

django-comments' posting URL (``comments-post-comment``, mounted at /commenti/post/ by
cms/urls.py through ``discussions/comments_urls.py``) is answered by ``post_comment`` below, not
by the library's view: the library's form checks what was posted (its security hash and
timestamp, the fields), then the reply is published by ``services.post_reply``, the same service
as the site's reply view (the access policy, the parent, the rate limit, the counters). The
library's view would render its preview template on a form error or a preview (it reverses URLs
the portal does not mount: a 500), and the receivers that store its comments live in
``django_comments_xtd.views``, which nothing imports.

What ``post_comment`` answers when it stores nothing: whoever may reply to the topic gets the
topic's reply form back (400, or 429 over the rate limit, with ``Retry-After``) with their text
and the message, posting to the site's reply view; anyone else gets the same 400 whatever the
cause (nothing about the topic is disclosed), with their text to copy. API and JSON clients get
``{"detail", "code"}`` (plus ``errors`` for who may reply). A published reply leads to itself on
the topic page. Files posted as ``attachments`` (multipart) are attached to the reply
(``services.attachments``); a refused file answers like a form error, its message on the reply
form's attachments field, nothing stored.

A second line, should the library's view ever be reached: every comment it posts sends
``comment_will_be_posted`` before it is saved, and ``enforce_policy``
(``discussions.signal_handlers``, with the other receivers) refuses any comment that is
not a reply to a topic the author may reply to (``cms.access``), whose parent is not a
visible reply of the same topic, that goes deeper than the maximum thread level, or whose author
is over the posting rate limit (the library then answers 400 and stores nothing). A comment it
lets through is stored by django-comments-xtd (as a ``Reply``: the ``COMMENTS_XTD_MODEL``);
``confirmation_received`` then completes it like ``services.post_reply`` does (topic counters,
rate-limit count, ``reply_posted`` once).

Search: a reply that is hidden or deleted leaves the search index (``Reply.get_indexed_objects``
excludes it, and ``unindex_unpublished`` removes it when saved so).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_comments import get_form

from cms import access
from cms.cache import mark_private
from membership.middleware import wants_json

from . import forms, permissions, services
from .models import Topic
from .permissions import may_post
from .views.common import reply_url
from .views.replies import _reply_form_page, _visible_reply_or_none

# --- The posting endpoint ----------------------------------------------------------------------


def _target_topic(data):
    """The topic a posted form names (``content_type`` and ``object_pk``), or ``None``."""
    content_type = str(data.get("content_type") or "").lower()
    object_pk = str(data.get("object_pk") or "")
    if content_type != Topic._meta.label_lower or not object_pk.isdigit():
        return None
    return Topic.objects.for_listing().filter(pk=object_pk).first()


def _not_allowed_message():
    return _(
        "This reply cannot be published here. Replies are published from the discussion's page, "
        "by the members who take part in it."
    )


def _not_posted(request, topic, form, message, *, status=400, retry_after=None, field_errors=None):
    """The answer to a reply that was not stored (see the module); ``field_errors`` are the
    service's messages about the site's reply form fields (the attachments)."""
    mark_private(request)
    data = request.POST
    text = str(data.get("comment", ""))
    user = getattr(request, "user", None)
    if topic is None or not may_post(user, topic):
        message, status, retry_after, form = _not_allowed_message(), 400, None, None
        field_errors = None
        if topic is not None and access.can(user, permissions.Action.READ_DISCUSSIONS, topic):
            message = services.reply_refusal(topic)  # a reader may know why (e.g. locked)
    if wants_json(request):
        body = {"detail": message, "code": "reply_not_posted" if status != 429 else "throttled"}
        errors = {}
        if form is not None and form.errors:
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        for name, messages in (field_errors or {}).items():
            errors[name] = [str(m) for m in messages]
        if errors:
            body["errors"] = errors
        if retry_after:
            body["retry_after"] = retry_after
        response = JsonResponse(body, status=status)
    elif form is not None:
        parent = _visible_reply_or_none(topic, data.get("reply_to"))
        if field_errors:
            reply_form = forms.ReplyForm({"text": text, "parent": parent.pk if parent else ""})
            reply_form.is_valid()
            for name, messages in field_errors.items():
                reply_form.add_error(name, list(messages))
            message = None
        else:
            initial = {"text": text, "parent": parent.pk if parent else None}
            reply_form = forms.ReplyForm(initial=initial)
        return _reply_form_page(
            request,
            topic,
            reply_form,
            parent=parent,
            error=message,
            status=status,
            retry_after=retry_after,
        )
    else:
        response = render(
            request,
            "discussions/reply_not_posted.html",
            {"page_title": _("Reply not published"), "message": message, "text": text},
            status=status,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@csrf_protect
@require_POST
def post_comment(request):
    """django-comments' posting endpoint (``comments-post-comment``), answered by the portal
    whenever the library would not store the reply (see the module)."""
    data = request.POST.copy()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # As the library does: the account's name and address stand in for missing fields.
        if not data.get("name"):
            data["name"] = user.get_full_name() or user.get_username()
        if not data.get("email"):
            data["email"] = user.email
    topic = _target_topic(data)
    if topic is None:
        return _not_posted(request, None, None, _not_allowed_message())
    form = get_form()(topic, data=data)
    if form.security_errors():
        message = _(
            "The reply form has expired or is not valid: check your reply and publish it "
            "again from this form."
        )
    elif "preview" in data:
        message = _("Previews are not available: check your reply and publish it from this form.")
    elif form.errors:
        if "comment" in form.errors and not str(data.get("comment", "")).strip():
            message = _("Please write your reply.")
        else:
            message = _(
                "The reply form was incomplete: check your reply and publish it again from "
                "this form."
            )
    else:
        try:
            reply = services.post_reply(
                user,
                topic,
                form.cleaned_data["comment"],
                parent=form.cleaned_data.get("reply_to") or None,
                attachments=request.FILES.getlist(services.attachments.FIELD),
                request=request,
            )
        except services.RateLimited as exc:
            return _not_posted(
                request, topic, form, exc.message, status=429, retry_after=exc.retry_after
            )
        except services.InvalidInput as exc:
            error_dict = getattr(exc, "error_dict", None) or {}
            field_errors = {
                name: [str(m) for m in ValidationError(errs).messages]
                for name, errs in error_dict.items()
                if name == services.attachments.FIELD
            }
            return _not_posted(request, topic, form, exc.message, field_errors=field_errors or None)
        except services.DiscussionError as exc:
            message = exc.message
        else:
            return redirect(reply_url(topic, reply))
    return _not_posted(request, topic, form, message)
