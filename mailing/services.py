"""Every write of the mailing list: subscriptions (from the memberships' signals and the
member's preferences), one-click unsubscribe tokens, notices, feed tokens."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership

from .models import FeedToken, Notice, Subscription

UNSUBSCRIBE_SALT = "mailing.unsubscribe"
Frequency = Subscription.Frequency


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# --- Subscriptions ----------------------------------------------------------------------------


def subscribe(user, community) -> Subscription:
    """Subscribe ``user`` to ``community``'s mailing list (on joining). A member who joins
    again gets back the frequency they had chosen; a new one gets ``DEFAULT_FREQUENCY``."""
    now = timezone.now()
    subscription = Subscription.objects.filter(
        user=user, community__translation_key=community.translation_key
    ).first()
    if subscription is None:
        try:
            with transaction.atomic():
                return Subscription.objects.create(
                    user=user, community=community, started_at=now, created_at=now
                )
        except IntegrityError:
            subscription = Subscription.objects.get(user=user, community=community)
    if subscription.ended_at is not None:
        subscription.ended_at = None
        subscription.started_at = now  # older unsubscribe links no longer apply
        subscription.save(update_fields=["ended_at", "started_at", "updated_at"])
    return subscription


def end_subscription(user, community) -> bool:
    """End ``user``'s subscription to ``community`` (on leaving), unless they still have a
    current membership of it. Whether one was ended."""
    still = Membership.objects.current().of(community).filter(user=user).exists()
    if still:
        return False
    return bool(
        Subscription.objects.current()
        .filter(user=user, community__translation_key=community.translation_key)
        .update(ended_at=timezone.now(), updated_at=timezone.now())
    )


def subscribe_current_members() -> int:
    """Subscribe every current member without a subscription (the members who joined before the
    mailing list existed). How many were created."""
    existing = set(Subscription.objects.values_list("user_id", "community_id"))
    rows = {}
    for user_id, community_id in Membership.objects.current().values_list(
        "user_id", "community_id"
    ):
        if (user_id, community_id) not in existing:
            rows[(user_id, community_id)] = Subscription(user_id=user_id, community_id=community_id)
    Subscription.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=1000)
    return len(rows)


def set_frequency(subscription: Subscription, frequency: str) -> bool:
    """Change the frequency; whether it changed."""
    if frequency not in Frequency.values:
        raise ValueError(frequency)
    if subscription.frequency == frequency:
        return False
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency", "updated_at"])
    return True


def subscriptions_of(user):
    """``user``'s current subscriptions, with their community, by community title."""
    return (
        Subscription.objects.current()
        .filter(user=user)
        .select_related("community")
        .order_by("community__title", "pk")
    )


# --- One-click unsubscribe --------------------------------------------------------------------


def _stamp(subscription: Subscription) -> int:
    return int(subscription.started_at.timestamp() * 1_000_000)


def unsubscribe_token(subscriptions) -> str:
    """A signed token naming one or more subscriptions, each bound to its start (a re-joined
    member's new subscription is not touched by a link from before)."""
    if isinstance(subscriptions, Subscription):
        subscriptions = [subscriptions]
    return signing.dumps(
        [[sub.pk, _stamp(sub)] for sub in subscriptions], salt=UNSUBSCRIBE_SALT, compress=True
    )


def unsubscribe_url(subscriptions) -> str:
    return absolute_url(
        reverse("mailing:unsubscribe", kwargs={"token": unsubscribe_token(subscriptions)})
    )


class BadToken(Exception):
    """A forged or damaged unsubscribe token."""


def subscriptions_for_token(token: str) -> tuple[list[Subscription], list[Subscription]]:
    """``(current, stale)``: the subscriptions a token names that it still applies to, and those
    it no longer applies to (ended, or re-started since the token was made). ``BadToken`` for
    a forged token."""
    try:
        pairs = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        wanted = {int(pk): int(stamp) for pk, stamp in pairs}
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadToken from error
    subscriptions = Subscription.objects.filter(pk__in=wanted).select_related("community")
    current, stale = [], []
    for subscription in subscriptions:
        if subscription.ended_at is None and _stamp(subscription) == wanted[subscription.pk]:
            current.append(subscription)
        else:
            stale.append(subscription)
    return current, stale


def unsubscribe(subscriptions) -> int:
    """Set ``subscriptions`` to "no emails" (idempotent); how many changed."""
    ids = [sub.pk for sub in subscriptions if sub.frequency != Frequency.NONE]
    if not ids:
        return 0
    return Subscription.objects.filter(pk__in=ids).update(
        frequency=Frequency.NONE, updated_at=timezone.now()
    )


def list_headers(url: str, community) -> dict[str, str]:
    """The mailing-list headers of every email (RFC 2369, 2919, 8058)."""
    host = settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    slug = getattr(community, "slug", "") or "comunita"
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{getattr(community, 'title', slug)} <{slug}.comunita.{host}>",
        "Auto-Submitted": "auto-generated",
    }


# --- Notices ----------------------------------------------------------------------------------


def mark_notices_read(user, notice_ids=None) -> int:
    queryset = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        queryset = queryset.filter(pk__in=notice_ids)
    return queryset.update(read_at=timezone.now())


def emails_notice(user, community) -> bool:
    """Whether a notice to ``user`` about ``community`` is emailed: always, unless they chose "no
    emails" for that community while a member (a former member still hears of their own
    requests)."""
    if community is None:
        return True
    return not (
        Subscription.objects.current()
        .filter(
            user=user,
            community__translation_key=community.translation_key,
            frequency=Frequency.NONE,
        )
        .exists()
    )


# --- Private feed -----------------------------------------------------------------------------


def feed_token(user, *, create=True) -> FeedToken | None:
    token = FeedToken.objects.filter(user=user).first()
    if token is None and create:
        token, _created = FeedToken.objects.get_or_create(user=user)
    return token


def renew_feed_token(user) -> FeedToken:
    token = feed_token(user)
    token.renew()
    return token


def user_for_feed(token: str):
    """The active user whose feed token is ``token``, or ``None``."""
    row = FeedToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


# --- Announcements ----------------------------------------------------------------------------


def _body_html(text: str) -> str:
    """Plain text (the API's body) as rich text: one paragraph per blank-line-separated block."""
    from django.utils.html import escape, linebreaks

    return linebreaks(escape(text.strip()))


def publish_announcement(user, parent, *, title, body, audience="all", summary=""):
    """Create an announcement under ``parent`` (a reserved area or a working group page) and
    publish it (``page_published`` then emails it once). ``Refused`` (403) for who may not
    announce there, ``Conflict`` (409, ``empty_audience``) when nobody would receive it."""
    from django.utils.text import slugify
    from wagtail.coreutils import find_available_slug

    from cms import access, errors

    from .audience import audience_user_ids
    from .models import AnnouncementPage
    from .models.announcements import EMPTY_AUDIENCE
    from .permissions import Action

    if not access.can(user, Action.ANNOUNCE, parent):
        raise errors.Refused(
            _("Only the coordinator and the support team of the community may announce here.")
        )
    if audience not in AnnouncementPage.Audience.values:
        raise errors.Invalid({"audience": [_("Choose a valid audience.")]})
    if not audience_user_ids(parent, audience):
        raise errors.Conflict(str(EMPTY_AUDIENCE), code="empty_audience")
    with transaction.atomic():
        page = AnnouncementPage(
            title=title,
            slug=find_available_slug(parent, slugify(title)[:60] or "annuncio"),
            body=_body_html(body),
            audience=audience,
            summary=summary,
            live=False,
            owner=user,
        )
        parent.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        # The policy decided (``announce``); Wagtail's page permissions are the admin's.
        revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page
