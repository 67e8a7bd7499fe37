"""The reads of the mailing list: the announcements a member may see, the delivery figures."""

from __future__ import annotations

from django.db.models import Count, Q

from cms import access
from communities import permissions as community_permissions
from communities.models import Membership

from .models import AnnouncementPage, Delivery


def _in_audience(user, page) -> bool:
    if page.audience != AnnouncementPage.Audience.DESIGNATED or user.is_superuser:
        return True
    if access.is_staff(user):
        return True
    return community_permissions.role_in(user, page) in Membership.DESIGNATED_ROLES


def visible_announcements(user, queryset=None, *, within=None):
    """The live announcements ``user`` may see (the page restrictions: their communities and
    working groups; "designated only" ones for the designated and the managers), newest first.
    ``within``: only those below that page. A list."""
    queryset = AnnouncementPage.objects.all() if queryset is None else queryset
    if within is not None:
        queryset = queryset.descendant_of(within)
    pages = access.visible_pages(user, queryset).order_by("-first_published_at", "-pk")
    return one_per_translation(page for page in pages[:200] if _in_audience(user, page))


def one_per_translation(pages):
    """One page per ``translation_key`` (the one in the active language when there are several,
    else the first), keeping the order."""
    from wagtail.models import Locale

    try:
        active = Locale.get_active().pk
    except Locale.DoesNotExist:
        active = None
    chosen, order = {}, []
    for page in pages:
        key = page.translation_key
        if key not in chosen:
            chosen[key] = page
            order.append(key)
        elif page.locale_id == active and chosen[key].locale_id != active:
            chosen[key] = page
    return [chosen[key] for key in order]


def delivery_figures(page) -> dict[str, int]:
    """``{"sent", "pending", "failed", "total"}`` of an announcement's deliveries (one query)."""
    Status = Delivery.Status
    figures = Delivery.objects.filter(page=page).aggregate(
        sent=Count("pk", filter=Q(status=Status.SENT)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        total=Count("pk"),
    )
    return figures


def failed_deliveries(page):
    return (
        Delivery.objects.filter(page=page, status=Delivery.Status.FAILED)
        .select_related("user")
        .order_by("-attempts", "pk")
    )
