"""The mailing list's part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``): subscriptions, deliveries, notices, the private
feed's token, the announcements they sent."""

from __future__ import annotations

from membership.erasure import register_eraser
from membership.export import register_exporter

from .models import Delivery, Dispatch, FeedToken, Notice, Subscription


def _iso(value):
    return value.isoformat() if value else None


@register_exporter("mailing_subscriptions", covers=["mailing.Subscription.user"])
def export_subscriptions(user):
    return [
        {
            "community_id": row.community_id,
            "community": row.community.title,
            "frequency": row.frequency,
            "created_at": _iso(row.created_at),
            "started_at": _iso(row.started_at),
            "ended_at": _iso(row.ended_at),
            "last_digest_at": _iso(row.last_digest_at),
        }
        for row in Subscription.objects.filter(user=user).select_related("community").order_by("pk")
    ]


@register_exporter("mailing_deliveries", covers=["mailing.Delivery.user"])
def export_deliveries(user):
    return [
        {
            "announcement_id": row.page_id,
            "status": row.status,
            "attempts": row.attempts,
            "sent_at": _iso(row.sent_at),
        }
        for row in Delivery.objects.filter(user=user).order_by("pk")
    ]


@register_exporter("mailing_notices", covers=["mailing.Notice.user"])
def export_notices(user):
    return [
        {
            "kind": row.kind,
            "community_id": row.community_id,
            "subject": row.subject,
            "message": row.message,
            "url": row.url,
            "created_at": _iso(row.created_at),
            "read_at": _iso(row.read_at),
            "emailed_at": _iso(row.emailed_at),
        }
        for row in Notice.objects.filter(user=user).order_by("pk")
    ]


@register_exporter("mailing_feed", covers=["mailing.FeedToken.user"])
def export_feed(user):
    token = FeedToken.objects.filter(user=user).first()
    return {"created_at": _iso(token.created_at)} if token else None


@register_exporter("announcements_sent", covers=["mailing.Dispatch.sender"])
def export_announcements_sent(user):
    return [
        {"announcement_id": row.page_id, "published_at": _iso(row.created_at)}
        for row in Dispatch.objects.filter(sender=user).order_by("pk")
    ]


@register_eraser(
    "mailing",
    covers=[
        "mailing.Subscription.user",
        "mailing.Delivery.user",
        "mailing.Notice.user",
        "mailing.FeedToken.user",
        "mailing.Dispatch.sender",
    ],
)
def erase_mailing(user):
    """Nothing is sent to a deleted account: its subscriptions, deliveries, notices and feed
    token go; the announcements it sent stay (the community's record), without their sender."""
    Subscription.objects.filter(user=user).delete()
    Delivery.objects.filter(user=user).delete()
    Notice.objects.filter(user=user).delete()
    FeedToken.objects.filter(user=user).delete()
    Dispatch.objects.filter(sender=user).update(sender=None)
