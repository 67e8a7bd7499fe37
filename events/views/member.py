""" "I miei eventi" in La mia area: the member's registrations and their private calendar feed
(created, regenerated or revoked here)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms.cache import mark_private
from cms.errors import ServiceError
from membership.registration import is_registered

from .. import services
from ..models import CalendarFeedToken
from ..selectors import my_registrations
from .common import refuse


@login_required
@require_http_methods(["GET"])
def my_events(request):
    mark_private(request)
    token = CalendarFeedToken.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("events:private_feed", args=[token.key]))
        if token is not None
        else None
    )
    context = {
        "page_title": _("My events"),
        "registrations": my_registrations(request.user),
        "feed_url": feed_url,
        "can_have_feed": is_registered(request.user),
    }
    return render(request, "events/my_events.html", context)


@login_required
@require_POST
def feed_token(request):
    """``action``: ``create`` or ``regenerate`` (a new secret URL), ``revoke``."""
    mark_private(request)
    action = request.POST.get("action")
    try:
        if action == "revoke":
            services.revoke_feed_token(request.user)
            messages.success(request, _("Your private calendar link no longer works."))
        elif action in ("create", "regenerate"):
            services.regenerate_feed_token(request.user)
            messages.success(
                request,
                _("Your new private calendar link is ready; any previous link no longer works."),
            )
        else:
            return render(
                request,
                "communities/refused.html",
                {"page_title": _("Not possible"), "message": _("Unknown action."), "links": []},
                status=400,
            )
    except ServiceError as error:
        return refuse(request, error)
    return redirect("events_member:my_events")
