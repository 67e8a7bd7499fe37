"""The validation rounds' emails: the invitation when a round opens and the reminder before its
deadline, with the mailing list's headers and one-click unsubscribe (``mailing.services``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.templatetags.portal_tags import human_date
from mailing import emails as mailing_emails
from mailing import services as mailing_services

from .models import RoundMailing


def round_url(round_) -> str:
    return mailing_services.absolute_url(reverse("materials:round", args=[round_.pk]))


def round_message(round_, kind: str, user, subscription) -> EmailMultiAlternatives:
    community = round_.document.community
    unsubscribe = mailing_services.unsubscribe_url(subscription)
    deadline = human_date(timezone.localtime(round_.deadline), "datetime")
    if kind == RoundMailing.Kind.INVITATION:
        subject = _("Validation: %(title)s") % {"title": round_.document.title}
    else:
        subject = _("Reminder: the validation of “%(title)s” closes on %(date)s") % {
            "title": round_.document.title,
            "date": deadline,
        }
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": mailing_services.absolute_url(reverse("mailing:preferences")),
        "round": round_,
        "document": round_.document,
        "community": community,
        "recipient": user,
        "kind": kind,
        "deadline": round_.deadline,
        "url": round_url(round_),
        "unsubscribe_url": unsubscribe,
    }
    email = EmailMultiAlternatives(
        subject=" ".join(f"[{community.title}] {subject}".split()),
        body=render_to_string("materials/email/round.txt", context),
        to=[mailing_emails.address(user)],
        headers=mailing_services.list_headers(unsubscribe, community),
    )
    email.attach_alternative(render_to_string("materials/email/round.html", context), "text/html")
    return email
