"""The questionnaires' invitations and reminders, through the mailing list's machinery (Django's
task framework, as ``mailing.tasks``).

- ``dispatch_due_mailings`` (``manage.py send_survey_mailings``, hourly) finds the live
  questionnaires due for an invitation (open, ``send_invitations``) or a reminder
  (``reminder_days`` before the close, at least ``REMINDER_GAP`` after the invitation), claims
  each one once (``SurveyMailing``, unique per questionnaire and kind: running it twice sends
  nothing more), and enqueues ``send_survey_mail_batch`` per ``BATCH_SIZE`` recipients.
- Recipients: the questionnaire's audience (``surveys.audience.audience_user_ids``) who have not
  answered (nor had their authority's response sent, per authority) and who receive the
  mailing list's emails: a community's or working group's questionnaire goes to the members
  whose subscription to that community is current and not "no emails"; a portal survey to the
  members with at least one such subscription (its unsubscribe link names them all). Members
  who unsubscribed from everything, or never subscribed to any community, get no email (they
  find the questionnaire in *La mia area*).
- Each batch checks again (an unsubscribe, a response, a colleague's response meanwhile) just
  before sending, over one mail connection; a failed message is logged and not retried.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation

from cms.locales import get_default
from mailing.audience import spaces_of
from mailing.models import Subscription
from mailing.tasks import BATCH_SIZE

from .audience import audience_user_ids
from .models import Draft, Participation, SurveyMailing, SurveyPage

logger = logging.getLogger("surveys")

Kind = SurveyMailing.Kind
#: A reminder comes at least this long after the invitation.
REMINDER_GAP = timedelta(days=1)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Which questionnaires, who ------------------------------------------------------------------


def due_mailings(now=None) -> list[tuple[SurveyPage, str]]:
    """``[(questionnaire, kind)]`` due now and not sent yet (default-language pages only: a
    translation shares its original's audience and responses)."""
    now = now or timezone.now()
    pages = (
        SurveyPage.objects.live()
        .filter(locale=get_default(), send_invitations=True, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )
    sent = defaultdict(dict)
    for survey_id, kind, sent_at in SurveyMailing.objects.filter(
        survey__in=pages.values("pk")
    ).values_list("survey_id", "kind", "sent_at"):
        sent[survey_id][kind] = sent_at
    due = []
    for page in pages:
        done = sent.get(page.pk, {})
        if Kind.INVITATION not in done:
            due.append((page, Kind.INVITATION))
            continue
        if (
            page.reminder_days
            and Kind.REMINDER not in done
            and now >= page.closes_at - timedelta(days=page.reminder_days)
            and now >= done[Kind.INVITATION] + REMINDER_GAP
        ):
            due.append((page, Kind.REMINDER))
    return due


def _community(page):
    community, _group = spaces_of(page.get_parent())
    return community


def _subscriptions(community, user_ids) -> dict[int, list[Subscription]]:
    """``{user id: [subscriptions]}`` of ``user_ids`` that receive emails: of ``community``, or
    of any community (``None``: a portal survey)."""
    queryset = (
        Subscription.objects.current()
        .exclude(frequency=Subscription.Frequency.NONE)
        .filter(user_id__in=user_ids)
        .order_by("pk")
    )
    if community is not None:
        queryset = queryset.of(community)
    out = defaultdict(list)
    for subscription in queryset:
        out[subscription.user_id].append(subscription)
    return out


def _not_to_ask(survey) -> tuple[set[int], set[int]]:
    """``(users who answered, authorities whose response is sent)``."""
    rows = Participation.objects.filter(survey=survey).values_list("user_id", "for_ente_id")
    users, entes = set(), set()
    for user_id, ente_id in rows:
        users.add(user_id)
        if ente_id is not None:
            entes.add(ente_id)
    return users, entes


def _excluded(user_ids, survey) -> set[int]:
    from membership.models import User

    answered, taken = _not_to_ask(survey)
    excluded = set(user_ids) & answered
    if taken and survey.per_ente:
        excluded |= set(
            User.objects.filter(pk__in=user_ids, ente_id__in=taken).values_list("pk", flat=True)
        )
    return excluded


def recipient_ids(page: SurveyPage) -> list[int]:
    """The users to email about ``page`` now (see the module's docstring)."""
    audience = audience_user_ids(page)
    if not audience:
        return []
    subscribed = set(_subscriptions(_community(page), audience))
    return sorted(subscribed - _excluded(subscribed, page))


# --- Dispatching and sending ---------------------------------------------------------------------


def dispatch_due_mailings(now=None) -> list[tuple[int, str, int]]:
    """Claim and enqueue every mailing due; ``[(questionnaire id, kind, recipients)]``."""
    now = now or timezone.now()
    done = []
    for page, kind in due_mailings(now):
        try:
            with transaction.atomic():
                mailing = SurveyMailing.objects.create(survey=page, kind=kind, sent_at=now)
        except IntegrityError:
            continue  # claimed meanwhile by another run
        ids = recipient_ids(page)
        SurveyMailing.objects.filter(pk=mailing.pk).update(recipients=len(ids))
        for chunk in _chunks(ids, BATCH_SIZE):
            send_survey_mail_batch.enqueue(survey_id=page.pk, kind=kind, user_ids=list(chunk))
        logger.info(
            "survey.mailing", extra={"survey": page.pk, "kind": kind, "recipients": len(ids)}
        )
        done.append((page.pk, kind, len(ids)))
    return done


@task
def send_due_survey_mailings() -> int:
    """``dispatch_due_mailings`` for the worker; how many mailings were started."""
    return len(dispatch_due_mailings())


@task
def send_survey_mail_batch(survey_id: int, kind: str, user_ids: list[int]) -> int:
    """Email the ``kind`` of questionnaire ``survey_id`` to ``user_ids`` who still should get it,
    over one mail connection; how many were sent."""
    from mailing.emails import address, page_url
    from membership.models import User

    from . import emails

    page = SurveyPage.objects.live().filter(pk=survey_id).first()
    if page is None or not page.is_open or kind not in Kind.values:
        return 0
    community = _community(page)
    space = community or page.get_parent().specific
    subscriptions = _subscriptions(community, user_ids)
    excluded = _excluded(user_ids, page)
    users = User.objects.filter(pk__in=set(subscriptions) - excluded, is_active=True).order_by("pk")
    drafts = set(
        Draft.objects.filter(survey=page, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    url = page_url(page)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), mail.mailers.default as connection:
        for user in users:
            if not address(user):
                continue
            try:
                email = emails.message(
                    page,
                    kind,
                    user,
                    subscriptions[user.pk],
                    community=community,
                    space=space,
                    url=url,
                    has_draft=user.pk in drafts,
                )
                connection.send_messages([email])
            except Exception as error:  # noqa: BLE001  (logged; the others are sent)
                logger.warning(
                    "survey %s %s to user %s failed: %s: %s",
                    survey_id,
                    kind,
                    user.pk,
                    type(error).__name__,
                    error,
                )
            else:
                sent += 1
    return sent
