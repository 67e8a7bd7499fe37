"""Background work of the mailing list (Django's task framework; the immediate backend in
development and tests, the database backend and its worker in production).

- An announcement's first publication enqueues ``deliver_announcement`` when the transaction
  commits: it records one ``Delivery`` per recipient (unique per announcement and user: nothing
  is sent twice) and enqueues ``send_delivery_batch`` per ``BATCH_SIZE`` recipients, each over
  one mail connection, recording every result.
- ``retry_failed_deliveries`` (``manage.py retry_failed_deliveries``, scheduled) sends the
  failed ones again, up to ``MAX_ATTEMPTS``.
- ``send_notice_email``: one notice (``communities.signals.member_notified``).
- ``send_digests``: the daily or weekly digests (``manage.py send_digests daily|weekly``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core import mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import AnnouncementPage, Delivery, Dispatch, Notice, Subscription

logger = logging.getLogger("mailing")

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
#: A delivery still pending after this long was lost (a worker stopped): the retry sends it.
STALE_PENDING = timedelta(minutes=30)
Status = Delivery.Status


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def dispatch_announcement(page, sender=None) -> bool:
    """On an announcement's first publication: record it and enqueue its delivery once the
    transaction commits. Republishing sends nothing (whether it was dispatched)."""
    if Dispatch.objects.filter(page__translation_key=page.translation_key).exists():
        return False  # republished, or a translation of an announcement already sent
    _dispatch, created = Dispatch.objects.get_or_create(
        page_id=page.pk, defaults={"sender": sender}
    )
    if created:
        transaction.on_commit(lambda: deliver_announcement.enqueue(page_id=page.pk))
    return created


def recipients(page) -> list[Subscription]:
    """The subscriptions (with users) of the audience members of ``page`` who receive each
    message by email."""
    from .audience import audience_user_ids, spaces_of

    parent = page.get_parent().specific
    community, _group = spaces_of(parent)
    if community is None:
        return []
    user_ids = audience_user_ids(parent, page.audience)
    return list(
        Subscription.objects.current()
        .of(community)
        .filter(user_id__in=user_ids, frequency=Subscription.Frequency.EACH)
        .order_by("pk")
    )


@task
def deliver_announcement(page_id: int) -> int:
    """Record the deliveries of an announcement and enqueue their batches; how many recorded."""
    page = AnnouncementPage.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    subscriptions = recipients(page)
    Delivery.objects.bulk_create(
        [Delivery(page=page, user_id=sub.user_id, subscription=sub) for sub in subscriptions],
        ignore_conflicts=True,
        batch_size=1000,
    )
    pending = list(
        Delivery.objects.filter(page=page, status=Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in _chunks(pending, BATCH_SIZE):
        send_delivery_batch.enqueue(delivery_ids=list(chunk))
    return len(subscriptions)


@task
def send_delivery_batch(delivery_ids: list[int]) -> int:
    """Send the deliveries ``delivery_ids`` still to send, over one mail connection, recording
    each result; how many were sent."""
    from . import emails
    from .audience import spaces_of

    deliveries = list(
        Delivery.objects.filter(
            pk__in=delivery_ids,
            status__in=[Status.PENDING, Status.FAILED],
            attempts__lt=MAX_ATTEMPTS,
        )
        .select_related("user", "subscription")
        .order_by("pk")
    )
    if not deliveries:
        return 0
    pages = {}
    for page_id in {delivery.page_id for delivery in deliveries}:
        page = AnnouncementPage.objects.filter(pk=page_id).first()
        if page is not None:
            community, _group = spaces_of(page.get_parent())
            pages[page_id] = (page, community, emails.page_url(page))
    sent = 0
    now = timezone.now()
    with mail.mailers.default as connection:
        for delivery in deliveries:
            delivery.attempts += 1
            subscription = delivery.subscription
            entry = pages.get(delivery.page_id)
            try:
                if entry is None or entry[1] is None:
                    raise ValueError("the announcement no longer exists")
                if (
                    subscription is None
                    or subscription.ended_at is not None
                    or subscription.frequency != Subscription.Frequency.EACH
                ):
                    delivery.status = Status.FAILED
                    delivery.attempts = MAX_ATTEMPTS  # not to be retried
                    delivery.last_error = "unsubscribed before sending"
                    continue
                if not emails.address(delivery.user) or not delivery.user.is_active:
                    raise ValueError("no email address")
                page, community, url = entry
                message = emails.announcement_message(
                    page, community, delivery.user, subscription, url
                )
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001  (recorded, retried)
                delivery.status = Status.FAILED
                delivery.last_error = f"{type(error).__name__}: {error}"[:500]
                logger.warning("delivery %s failed: %s", delivery.pk, delivery.last_error)
            else:
                delivery.status = Status.SENT
                delivery.sent_at = now
                delivery.last_error = ""
                sent += 1
    Delivery.objects.bulk_update(deliveries, ["status", "attempts", "last_error", "sent_at"])
    return sent


@task
def retry_failed_deliveries() -> int:
    """Enqueue again the failed deliveries (fewer than ``MAX_ATTEMPTS`` attempts) and those left
    pending too long; how many."""
    from django.db.models import Q

    ids = list(
        Delivery.objects.filter(attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(status=Status.FAILED)
            | Q(status=Status.PENDING, created_at__lt=timezone.now() - STALE_PENDING)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in _chunks(ids, BATCH_SIZE):
        send_delivery_batch.enqueue(delivery_ids=list(chunk))
    return len(ids)


@task
def send_notice_email(notice_id: int) -> bool:
    """Email one notice; whether it was sent."""
    from . import emails

    notice = Notice.objects.select_related("user", "community").filter(pk=notice_id).first()
    if notice is None or notice.emailed_at is not None or not emails.address(notice.user):
        return False
    subscription = None
    if notice.community is not None:
        subscription = (
            Subscription.objects.current().of(notice.community).filter(user=notice.user).first()
        )
    message = emails.notice_message(notice, notice.community, subscription)
    with mail.mailers.default as connection:
        connection.send_messages([message])
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True


@task
def send_digests(frequency: str, until: str | None = None) -> int:
    """Enqueue the ``frequency`` ("daily" or "weekly") digests of every subscribed member, in
    batches; how many members were considered."""
    from .digest import DIGEST_BATCH_SIZE

    until = until or timezone.now().isoformat()
    user_ids = sorted(
        set(
            Subscription.objects.current()
            .filter(frequency=frequency)
            .values_list("user_id", flat=True)
        )
    )
    for chunk in _chunks(user_ids, DIGEST_BATCH_SIZE):
        send_digest_batch.enqueue(frequency=frequency, user_ids=list(chunk), until=until)
    return len(user_ids)


@task
def send_digest_batch(frequency: str, user_ids: list[int], until: str) -> int:
    """Build and send the digests of ``user_ids``; how many were sent."""
    from .digest import send_batch

    return send_batch(frequency, user_ids, datetime.fromisoformat(until))
