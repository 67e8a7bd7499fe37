"""The questionnaires' emails: the invitation when a questionnaire opens and the reminder
before it closes. They go through the mailing list's machinery: the recipient's subscriptions
give the one-click unsubscribe link and the mailing-list headers (``mailing.services``), exactly
as the announcements'."""

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

from .models import SurveyMailing

Kind = SurveyMailing.Kind


def message(
    page, kind: str, user, subscriptions, *, community, space, url: str, has_draft: bool = False
) -> EmailMultiAlternatives:
    """The invitation or reminder of ``page`` for ``user``.

    ``subscriptions``: the recipient's subscriptions the unsubscribe link names (their
    community's, or for a portal survey every community they receive emails from);
    ``community``: the community the questionnaire lives in (``None`` for a portal survey);
    ``space``: what names the list in ``List-Id`` (the community, or the portal's "Sondaggi"
    page)."""
    unsubscribe = mailing_services.unsubscribe_url(subscriptions)
    closes = human_date(timezone.localtime(page.closes_at), "datetime")
    if kind == Kind.INVITATION:
        subject = _("Questionnaire: %(title)s") % {"title": page.title}
    else:
        subject = _("Reminder: “%(title)s” closes on %(date)s") % {
            "title": page.title,
            "date": closes,
        }
    if community is not None:
        subject = f"[{community.title}] {subject}"
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": mailing_services.absolute_url(reverse("mailing:preferences")),
        "page": page,
        "community": community,
        "recipient": user,
        "url": url,
        "closes_at": page.closes_at,
        "has_draft": has_draft,
        "unsubscribe_url": unsubscribe,
        "several": len(subscriptions) > 1,
    }
    email = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=render_to_string(f"surveys/email/{kind}.txt", context),
        to=[mailing_emails.address(user)],
        headers=mailing_services.list_headers(unsubscribe, space),
    )
    email.attach_alternative(render_to_string(f"surveys/email/{kind}.html", context), "text/html")
    return email
