"""What follows a publication: the community is told through its mailing list (an announcement
in its reserved area, emailed by the mailing list's own machinery) and the editors find a draft
news item about the output, ready to review and publish on the portal's news.

Both are best effort: the output is published whatever happens here, and a failure is logged
with its reason (an empty community, no news section).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from cms import errors
from mailing.emails import page_url

logger = logging.getLogger("materials")


def _area(community):
    from communities.models import CommunityAreaPage

    return CommunityAreaPage.objects.child_of(community).order_by("path").first()


def announce(user, round_) -> object | None:
    """Publish an announcement of the output in the community's reserved area."""
    from mailing.services import publish_announcement

    community = round_.document.community
    area = _area(community)
    page = round_.page
    if area is None:
        logger.warning("materials.divulge: community %s has no reserved area", community.pk)
        return None
    with override(settings.LANGUAGE_CODE):
        title = _("Published: %(title)s") % {"title": page.title}
        body = _(
            "The working group's material “%(title)s” (%(version)s), validated by the "
            "participants, is published in Risorse: %(url)s"
        ) % {"title": page.title, "version": page.version_label, "url": page_url(page)}
    try:
        return publish_announcement(
            user, area, title=title[:255], body=body, summary=(page.summary or "")[:400]
        )
    except errors.ServiceError as error:
        logger.warning("materials.divulge: no announcement: %s", error.user_message)
        return None


def news_draft(user, round_) -> object | None:
    """A draft news item about the output under the portal's news, and an email to the
    editors (staff accounts) that it is waiting for them."""
    from wagtail.coreutils import find_available_slug

    from cms.locales import get_default
    from cms.models import NewsIndexPage, NewsPage
    from membership.models import User

    index = NewsIndexPage.objects.filter(locale=get_default()).order_by("path").first()
    page = round_.page
    if index is None:
        logger.warning("materials.divulge: no news index for the draft")
        return None
    with override(settings.LANGUAGE_CODE):
        title = _("New from the communities: %(title)s") % {"title": page.title}
        text = _(
            "The community of practice “%(community)s” publishes “%(title)s”, written by its "
            "working group and validated by its participants."
        ) % {"community": round_.document.community.title, "title": page.title}
    news = NewsPage(
        title=title[:255],
        slug=find_available_slug(index, slugify(page.title)[:60] or "materiale"),
        summary=(page.summary or text)[:400],
        body=[
            ("paragraph", f"<p>{escape(text)}</p>"),
            (
                "paragraph",
                f'<p><a linktype="page" id="{page.pk}">{escape(page.title)}</a></p>',
            ),
        ],
        live=False,
        owner=None,
    )
    index.add_child(instance=news)
    news.save_revision(user=None, log_action=True)
    editors = list(
        User.objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if editors:
        from django.urls import reverse

        from mailing.services import absolute_url

        edit_url = absolute_url(reverse("wagtailadmin_pages:edit", args=[news.pk]))
        with override(settings.LANGUAGE_CODE):
            subject = _("A news draft is waiting: %(title)s") % {"title": news.title}
            message = _(
                "An output of a community was published. A draft news item about it is "
                "ready for you to review and publish: %(url)s"
            ) % {"url": edit_url}
        try:
            send_mail(subject, message, None, editors)
        except Exception as error:  # noqa: BLE001  (the draft is there; the email is a courtesy)
            logger.warning("materials.divulge: editors not emailed: %s", error)
    return news
