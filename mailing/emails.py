"""The emails of the mailing list: an announcement, a notice, a digest. Each carries the
mailing-list headers (``services.list_headers``) and a one-click unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import services


def page_url(page) -> str:
    """The absolute URL of a page, for emails and feeds."""
    url = page.get_url() or ""
    return url if url.startswith("http") else services.absolute_url(url)


def address(user) -> str:
    return (getattr(user, "contact_email", "") or user.email or "").strip()


def _build(subject, template, context, to, headers) -> EmailMultiAlternatives:
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": services.absolute_url(reverse("mailing:preferences")),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=render_to_string(f"mailing/email/{template}.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"mailing/email/{template}.html", context), "text/html"
    )
    return message


def announcement_message(page, community, user, subscription, url) -> EmailMultiAlternatives:
    unsubscribe = services.unsubscribe_url(subscription)
    context = {
        "page": page,
        "community": community,
        "recipient": user,
        "text": strip_tags(page.body).strip(),
        "url": url,
        "unsubscribe_url": unsubscribe,
    }
    subject = f"[{community.title}] {page.title}"
    return _build(
        subject,
        "announcement",
        context,
        address(user),
        services.list_headers(unsubscribe, community),
    )


def notice_message(notice, community, subscription) -> EmailMultiAlternatives:
    headers = {"Auto-Submitted": "auto-generated"}
    unsubscribe = None
    if subscription is not None:
        unsubscribe = services.unsubscribe_url(subscription)
        headers = services.list_headers(unsubscribe, community)
    context = {
        "notice": notice,
        "community": community,
        "url": services.absolute_url(notice.url) if notice.url.startswith("/") else notice.url,
        "notices_url": services.absolute_url(reverse("mailing:notices")),
        "unsubscribe_url": unsubscribe,
    }
    return _build(notice.subject, "notice", context, address(notice.user), headers)


def digest_message(user, frequency, sections, subscriptions) -> EmailMultiAlternatives:
    unsubscribe = services.unsubscribe_url(subscriptions)
    communities = [sub.community for sub in subscriptions]
    # The hooks' items may be shared between members: copied, never changed.
    sections = [
        {
            **section,
            "items": [
                {**item, "url": services.absolute_url(item["url"])}
                if item["url"].startswith("/")
                else item
                for item in section["items"]
            ],
        }
        for section in sections
    ]
    if frequency == "daily":
        subject = _("Your daily digest of the communities")
    else:
        subject = _("Your weekly digest of the communities")
    context = {
        "recipient": user,
        "sections": sections,
        "frequency": frequency,
        "communities": communities,
        "unsubscribe_url": unsubscribe,
    }
    headers = services.list_headers(unsubscribe, communities[0])
    return _build(subject, "digest", context, address(user), headers)
