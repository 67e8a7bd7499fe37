"""Background work of the discussions: the notification emails (Django's task framework; the
immediate backend in development and tests, the database backend and its worker in production).

One task per event (a new topic, a new reply) sends every email of that event over one mail
connection. When it runs, it checks again what may have changed since the event: the follow
still exists with emails on, the reply is still published, and the access policy still lets the
recipient read the topic (someone who left the community in the meantime gets nothing).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Follow, Notification, Reply, Topic

logger = logging.getLogger(__name__)


def _address(user) -> str:
    return (getattr(user, "contact_email", "") or user.email or "").strip()


@task
def send_notification_emails(
    kind: str, topic_id: int, reply_id: int | None, follow_ids: list[int]
) -> int:
    """Email the followers ``follow_ids`` about a new topic or reply; returns how many were sent."""
    from . import notifications

    topic = Topic.objects.select_related("community", "space", "author").filter(pk=topic_id).first()
    if topic is None:
        return 0
    reply = None
    if reply_id is not None:
        reply = Reply.objects.select_related("user").filter(pk=reply_id).first()
        if reply is None or not reply.is_public or reply.is_removed:
            return 0
    follows = list(
        Follow.objects.filter(pk__in=follow_ids, email=True).select_related("user").order_by("pk")
    )
    follows = notifications.readable_follows(topic, follows)
    if not follows:
        return 0
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        if reply is not None:
            reply.topic = topic
            url = notifications.absolute_url(notifications.reply_path(reply))
        else:
            url = notifications.absolute_url(topic.get_absolute_url())
        for follow_obj in follows:
            address = _address(follow_obj.user)
            if not address or not follow_obj.user.is_active:
                continue
            messages.append(_message(kind, topic, reply, follow_obj, address, url))
    if not messages:
        return 0
    return mail.mailers.default.send_messages(messages) or 0


def _message(kind, topic, reply, follow_obj, address, url) -> EmailMultiAlternatives:
    from .notifications import absolute_url, unsubscribe_token

    unsubscribe = absolute_url(
        reverse("discussions:unsubscribe", kwargs={"token": unsubscribe_token(follow_obj)})
    )
    context = {
        "kind": kind,
        "topic": topic,
        "reply": reply,
        "community": topic.community,
        "recipient": follow_obj.user,
        "follow": follow_obj,
        "url": url,
        "unsubscribe_url": unsubscribe,
        "notifications_url": absolute_url(reverse("discussions:notifications")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    if kind == Notification.Kind.REPLY:
        subject = _("New reply in “%(topic)s”") % {"topic": topic.title}
    else:
        subject = _("New topic in %(community)s: “%(topic)s”") % {
            "community": topic.community.title,
            "topic": topic.title,
        }
    text = render_to_string("discussions/email/notification.txt", context)
    html = render_to_string("discussions/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@task
def purge_reply_ip_addresses() -> int:
    """Forget the IP address of the replies older than ``REPLY_IP_RETENTION_DAYS`` (run daily:
    ``manage.py purge_reply_ips``, docs/deploy.md)."""
    from .gdpr import purge_reply_ips

    purged = purge_reply_ips()
    logger.info("reply IP addresses purged: %s", purged)
    return purged
