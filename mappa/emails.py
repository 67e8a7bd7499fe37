"""The member hears of the decision on their request to compile for their Ente (approved, or
refused with the reason): a plain transactional email, sent once the decision is committed, from
the site (the Ente's referent) and from the admin (staff) alike."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mailing import emails as mailing_emails
from mailing import services as mailing_services

from .models import Accreditation

logger = logging.getLogger("mappa")


def campaign_url(campaign) -> str:
    return mailing_services.absolute_url(reverse("mappa:campaign", args=[campaign.slug]))


def decision_message(accreditation: Accreditation) -> tuple[str, str]:
    """``(subject, body)`` of the email telling the member the decision."""
    approved = accreditation.status == Accreditation.Status.APPROVED
    if approved:
        subject = _("You can compile “%(campaign)s” for %(ente)s")
    else:
        subject = _("Your request to compile “%(campaign)s” was refused")
    subject = subject % {"campaign": accreditation.campaign.title, "ente": accreditation.ente}
    body = render_to_string(
        "mappa/email/decision.txt",
        {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "accreditation": accreditation,
            "approved": approved,
            "url": campaign_url(accreditation.campaign),
        },
    )
    return " ".join(subject.split()), body


def notify_decision(accreditation: Accreditation) -> None:
    """Email the member the decision once the transaction commits (nothing without an address)."""
    address = mailing_emails.address(accreditation.user)
    if not address:
        return
    subject, body = decision_message(accreditation)

    def send():
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server down must not undo the decision
            logger.exception("mappa.decision_email_failed", extra={"pk": accreditation.pk})

    transaction.on_commit(send)
