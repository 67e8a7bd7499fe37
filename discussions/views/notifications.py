"""Follow buttons, the notifications page and the one-click unsubscribe from emails.

Following needs the right to read the discussions (``cms.access``): a topic or a
community the user may not read is a 404, as everywhere in the discussions. The unsubscribe
link works without signing in: its signed token names the follow whose emails it turns off.
GET shows a confirmation page; POST (the page's button, or a mail client's RFC 8058 one-click
``List-Unsubscribe=One-Click`` request, which carries no CSRF token) does it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms import access
from communities import permissions as community_permissions
from communities.models import CommunityPage

from .. import notifications, permissions
from ..models import Follow, Notification, Topic

PAGE_SIZE = 20


def _next_url(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _readable_topic(user, pk) -> Topic:
    """Topic ``pk`` if ``user`` may read it; 404 otherwise (its existence does not leak)."""
    topic = (
        permissions.visible_topics(user, Topic.objects.select_related("community", "space"))
        .filter(pk=pk)
        .first()
    )
    if topic is None:
        raise Http404
    return topic


def _readable_community(user, pk) -> CommunityPage:
    community = CommunityPage.objects.live().filter(pk=pk).first()
    if community is None or not access.can(user, permissions.Action.READ_DISCUSSIONS, community):
        raise Http404
    return community


@login_required
@require_POST
def follow_topic(request, pk):
    topic = _readable_topic(request.user, pk)
    if request.POST.get("action") == "unfollow":
        notifications.unfollow(request.user, topic=topic)
        messages.success(request, _("You no longer follow this topic."))
    else:
        notifications.follow(request.user, topic=topic)
        messages.success(request, _("You follow this topic: you will be notified of new replies."))
    return redirect(_next_url(request, topic.get_absolute_url()))


@login_required
@require_POST
def follow_community(request, pk):
    community = _readable_community(request.user, pk)
    if request.POST.get("action") == "unfollow":
        notifications.unfollow(request.user, community=community)
        messages.success(request, _("You no longer follow the discussions of this community."))
    else:
        notifications.follow(request.user, community=community)
        messages.success(
            request,
            _(
                "You follow the discussions of this community: you will be notified of new topics "
                "and replies."
            ),
        )
    return redirect(_next_url(request, reverse("discussions:notifications")))


@login_required
@never_cache
def notification_list(request):
    user = request.user
    notifications.forget_unreadable(user)
    queryset = notifications.visible_notifications(user).order_by("-created_at", "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    follows = Follow.objects.filter(user=user)
    space_ids = community_permissions.discussion_space_ids(user)
    if space_ids is not None:  # only what they may still read (superusers: everything)
        follows = follows.filter(Q(community_id__in=space_ids) | Q(topic__space_id__in=space_ids))
    follows = list(follows.select_related("topic", "community").order_by("-created_at"))
    context = {
        "page_title": _("Notifications"),
        "notifications": page,
        "unread": sum(1 for item in page if item.read_at is None),
        "follows": follows,
    }
    return render(request, "discussions/notifications.html", context)


@login_required
@require_POST
def mark_all_read(request):
    count = notifications.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_next_url(request, reverse("discussions:notifications")))


@login_required
def open_notification(request, pk):
    """Marks a notification read and goes to the reply (or topic) it is about."""
    notification = get_object_or_404(
        Notification.objects.select_related("topic", "reply"), pk=pk, user=request.user
    )
    notifications.mark_read(request.user, notification)
    topic = _readable_topic(request.user, notification.topic_id)
    reply = notification.reply
    if reply is not None and reply.is_public and not reply.is_removed:
        reply.topic = topic
        return redirect(notifications.reply_path(reply))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def follow_email(request, pk):
    """Turns the emails of one of the user's follows on or off (the notifications page)."""
    follow_obj = get_object_or_404(Follow, pk=pk, user=request.user)
    enabled = request.POST.get("email") == "on"
    notifications.set_email(request.user, follow_obj, enabled)
    if enabled:
        messages.success(request, _("Emails are on for this follow."))
    else:
        messages.success(request, _("Emails are off for this follow."))
    return redirect(_next_url(request, reverse("discussions:notifications")))


@csrf_exempt  # the token authenticates the request; mail clients' one-click POST has no CSRF
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    follow_obj = notifications.follow_for_token(token)
    if follow_obj is None:
        return render(
            request,
            "discussions/notifications_unsubscribe.html",
            {
                "page_title": _("Invalid link"),
                "invalid": True,
                "message": _(
                    "This unsubscribe link is not valid or no longer exists. You can manage your "
                    "notification emails from the notifications page after signing in."
                ),
            },
            status=400,
        )
    subject = follow_obj.topic.title if follow_obj.topic_id else follow_obj.community.title
    done = False
    if request.method == "POST":
        Follow.objects.filter(pk=follow_obj.pk).update(email=False)
        done = True
    context = {
        "page_title": _("Stop notification emails"),
        "follow": follow_obj,
        "subject": subject,
        "done": done or not follow_obj.email,
    }
    return render(request, "discussions/notifications_unsubscribe.html", context)
