"""Receivers: the communities' memberships (subscribe on joining, end the subscription on
leaving), their notices to members, and Wagtail's publication of an announcement."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from communities.signals import member_notified, membership_ended, membership_started

from . import services
from .models import AnnouncementPage, Notice


@receiver(membership_started, dispatch_uid="mailing.subscribe")
def subscribe_member(sender, membership, **kwargs):
    services.subscribe(membership.user, membership.community)


@receiver(membership_ended, dispatch_uid="mailing.unsubscribe")
def unsubscribe_member(sender, membership, **kwargs):
    services.end_subscription(membership.user, membership.community)


@receiver(member_notified, dispatch_uid="mailing.notice")
def store_notice(sender, user, community, kind, subject, message="", url="", **kwargs):
    """Keep the notice for La mia area and email it (through a task, on commit) unless the member
    chose "no emails" for that community (``services.emails_notice``)."""
    notice = Notice.objects.create(
        user=user,
        community=community,
        kind=kind,
        subject=str(subject)[:300],
        message=str(message),
        url=str(url or "")[:500],
    )
    if services.emails_notice(user, community):
        from .tasks import send_notice_email

        transaction.on_commit(lambda: send_notice_email.enqueue(notice_id=notice.pk))
    return notice


@receiver(page_published, dispatch_uid="mailing.announcement_published")
def announcement_published(sender, instance, revision=None, **kwargs):
    """The first publication of an announcement emails it; later ones send nothing."""
    if not isinstance(instance, AnnouncementPage):
        return
    from .tasks import dispatch_announcement

    user = getattr(revision, "user", None) if revision is not None else None
    dispatch_announcement(instance, sender=user)
