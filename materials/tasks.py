"""The validation rounds' invitations and reminders (through the mailing list's machinery, as
the questionnaires') and the closing of rounds at their deadline.

- ``dispatch_due_mailings`` (``manage.py run_material_rounds``, hourly, and right after a round
  opens) claims each round's invitation once, and its reminder ``REMINDER_BEFORE`` the deadline
  (at least ``REMINDER_GAP`` after the invitation), and enqueues ``send_round_mail_batch`` per
  ``BATCH_SIZE`` recipients.
- Recipients: the participants of the community (simple and designated) whose subscription to
  its mailing list is current and not "no emails", and who have not answered yet.
- ``close_due_rounds`` (the same command) decides the rounds past their deadline.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation

from mailing.models import Subscription
from mailing.tasks import BATCH_SIZE

from .models import RoundAnswer, RoundMailing, ValidationRound

logger = logging.getLogger("materials")

Kind = RoundMailing.Kind
REMINDER_BEFORE = timedelta(days=2)
REMINDER_GAP = timedelta(days=1)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def due_mailings(now=None) -> list[tuple[ValidationRound, str]]:
    now = now or timezone.now()
    rounds = ValidationRound.objects.open().filter(deadline__gt=now).order_by("deadline", "pk")
    sent: dict[int, dict] = {}
    for round_id, kind, sent_at in RoundMailing.objects.filter(
        round__in=rounds.values("pk")
    ).values_list("round_id", "kind", "sent_at"):
        sent.setdefault(round_id, {})[kind] = sent_at
    due = []
    for round_ in rounds:
        done = sent.get(round_.pk, {})
        if Kind.INVITATION not in done:
            due.append((round_, Kind.INVITATION))
        elif (
            Kind.REMINDER not in done
            and now >= round_.deadline - REMINDER_BEFORE
            and now >= done[Kind.INVITATION] + REMINDER_GAP
        ):
            due.append((round_, Kind.REMINDER))
    return due


def _subscriptions(community, user_ids) -> dict[int, Subscription]:
    return {
        subscription.user_id: subscription
        for subscription in Subscription.objects.current()
        .exclude(frequency=Subscription.Frequency.NONE)
        .of(community)
        .filter(user_id__in=user_ids)
    }


def recipient_ids(round_: ValidationRound) -> list[int]:
    """The participants to email about ``round_`` now."""
    from communities.models import Membership

    participants = set(
        Membership.objects.active()
        .of(round_.document.community)
        .filter(role__in=Membership.MEMBER_ROLES)
        .values_list("user_id", flat=True)
    )
    answered = set(
        RoundAnswer.objects.filter(round=round_, user_id__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    subscribed = set(_subscriptions(round_.document.community, participants - answered))
    return sorted(subscribed)


def dispatch_due_mailings(now=None) -> list[tuple[int, str, int]]:
    """Claim and enqueue every mailing due; ``[(round id, kind, recipients)]``."""
    now = now or timezone.now()
    done = []
    for round_, kind in due_mailings(now):
        try:
            with transaction.atomic():
                claimed = RoundMailing.objects.create(round=round_, kind=kind, sent_at=now)
        except IntegrityError:
            continue
        ids = recipient_ids(round_)
        RoundMailing.objects.filter(pk=claimed.pk).update(recipients=len(ids))
        for chunk in _chunks(ids, BATCH_SIZE):
            send_round_mail_batch.enqueue(round_id=round_.pk, kind=kind, user_ids=list(chunk))
        logger.info(
            "materials.mailing", extra={"round": round_.pk, "kind": kind, "recipients": len(ids)}
        )
        done.append((round_.pk, kind, len(ids)))
    return done


@task
def send_round_mail_batch(round_id: int, kind: str, user_ids: list[int]) -> int:
    """Email the ``kind`` of round ``round_id`` to ``user_ids`` who still should get it."""
    from mailing.emails import address
    from membership.models import User

    from . import emails

    round_ = (
        ValidationRound.objects.select_related("document__community", "version")
        .filter(pk=round_id)
        .first()
    )
    if round_ is None or not round_.accepts_answers or kind not in Kind.values:
        return 0
    community = round_.document.community
    still = set(recipient_ids(round_)) & set(user_ids)
    subscriptions = _subscriptions(community, still)
    users = User.objects.filter(pk__in=set(subscriptions), is_active=True).order_by("pk")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), mail.mailers.default as connection:
        for user in users:
            if not address(user):
                continue
            try:
                connection.send_messages(
                    [emails.round_message(round_, kind, user, subscriptions[user.pk])]
                )
            except Exception as error:  # noqa: BLE001  (logged; the others are sent)
                logger.warning("round %s %s to user %s failed: %s", round_id, kind, user.pk, error)
            else:
                sent += 1
    return sent


@task
def run_rounds() -> dict:
    """The hourly job for the worker: close the rounds due, send the mailings due."""
    from . import services

    closed = services.close_due_rounds()
    mailings = dispatch_due_mailings()
    return {"closed": len(closed), "mailings": len(mailings)}
