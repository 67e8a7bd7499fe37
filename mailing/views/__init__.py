"""The member's pages of the mailing list (La mia area: preferences, notices, the private feed),
the one-click unsubscribe page, and the delivery figures of an announcement for its senders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms import access

from .. import selectors, services
from ..forms import PreferencesForm
from ..models import AnnouncementPage, Notice
from ..permissions import Action


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    subscriptions = list(services.subscriptions_of(request.user))
    form = PreferencesForm(subscriptions, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changed = 0
            for subscription in subscriptions:
                changed += services.set_frequency(
                    subscription, form.cleaned_data[form.field_name(subscription)]
                )
            messages.success(
                request,
                _("Your preferences have been saved.")
                if changed
                else _("Nothing changed: your preferences were already these."),
            )
            return redirect("mailing:preferences")
        status = 400
    token = services.feed_token(request.user, create=False)
    context = {
        "page_title": _("Communications from your communities"),
        "form": form,
        "feed_url": services.absolute_url(reverse("mailing:feed", args=[token.token]))
        if token
        else None,
    }
    return render(request, "mailing/preferences.html", context, status=status)


@never_cache
@login_required
@require_POST
def renew_feed(request):
    services.renew_feed_token(request.user)
    messages.success(
        request, _("Your private feed has a new address: the previous one no longer works.")
    )
    return redirect(reverse("mailing:preferences") + "#feed")


@never_cache
@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe without a form of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    title = _("Unsubscribe from the mailing list")
    try:
        current, stale = services.subscriptions_for_token(token)
    except services.BadToken:
        context = {
            "page_title": title,
            "invalid": True,
            "message": _(
                "This unsubscribe link is not valid: it may have been copied incompletely. "
                "Use the link in the email again, or change your preferences in La mia area."
            ),
        }
        return render(request, "mailing/unsubscribe.html", context, status=400)
    active = [sub for sub in current if sub.frequency != services.Frequency.NONE]
    context = {"page_title": title, "subscriptions": current or stale}
    if not current:
        # Ended (left the community), or re-subscribed since: the link no longer applies.
        context["stale"] = True
        return render(request, "mailing/unsubscribe.html", context, status=410)
    if not active:
        context["already"] = True
        return render(request, "mailing/unsubscribe.html", context)
    if request.method == "POST":
        services.unsubscribe(active)
        context["done"] = True
        return render(request, "mailing/unsubscribe.html", context)
    return render(request, "mailing/unsubscribe.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notices(request):
    if request.method == "POST":
        ids = request.POST.getlist("notice") or None
        if ids is not None:
            try:
                ids = [int(value) for value in ids]
            except ValueError:
                return HttpResponse(_("Invalid notice."), status=400)
        count = services.mark_notices_read(request.user, ids)
        messages.success(
            request,
            _("Marked as read.") if count else _("Nothing to mark: already read."),
        )
        return redirect("mailing:notices")
    items = list(Notice.objects.filter(user=request.user).select_related("community")[:100])
    context = {
        "page_title": _("Your notices"),
        "notices": items,
        "unread": sum(1 for notice in items if notice.read_at is None),
    }
    return render(request, "mailing/notices.html", context)


@never_cache
def feed(request, token):
    """The member's private Atom feed of the announcements they may see (no sign-in: the token
    is the key; renewing it on the preferences page revokes the old address)."""
    user = services.user_for_feed(token)
    if user is None:
        raise Http404
    atom = Atom1Feed(
        title=_("Announcements of your communities"),
        link=services.absolute_url(reverse("mailing:preferences")),
        description="",
        language="it",
    )
    for page in selectors.visible_announcements(user)[:50]:
        atom.add_item(
            title=page.title,
            link=services.absolute_url(page.url or ""),
            description=page.summary,
            pubdate=page.first_published_at,
            unique_id=f"announcement-{page.pk}",
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
def deliveries(request, pk):
    """The delivery figures of an announcement: its sender and whoever may announce there."""
    page = get_object_or_404(AnnouncementPage, pk=pk)
    if not access.can(request.user, Action.ANNOUNCE, page):
        if access.can_view_page(request.user, page):
            raise PermissionDenied
        raise Http404
    context = {
        "page_title": _("Deliveries of “%(title)s”") % {"title": page.title},
        "announcement": page,
        "figures": selectors.delivery_figures(page),
        "failures": selectors.failed_deliveries(page)[:100],
    }
    return render(request, "mailing/deliveries.html", context)
