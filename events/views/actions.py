"""Registering to an event, cancelling, its ``.ics`` download."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.cache import mark_private
from cms.errors import ServiceError

from .. import ics, services
from ..models import Registration
from ..selectors import own_registration
from .common import event_or_404, refuse, to_login


@require_POST
def register(request, pk):
    if not request.user.is_authenticated:
        return to_login(request)
    page = event_or_404(request, pk)
    try:
        registration = services.register(request.user, page)
    except ServiceError as error:
        return refuse(request, error, page)
    if registration.status == Registration.Status.WAITING:
        messages.info(
            request,
            _(
                "The event is full: you are on the waiting list. We will write to you if a place "
                "becomes free."
            ),
        )
    else:
        messages.success(
            request, _("You are registered. We sent you a confirmation with the calendar entry.")
        )
    return redirect(page.get_url(request))


@require_POST
def cancel(request, pk):
    if not request.user.is_authenticated:
        return to_login(request)
    page = event_or_404(request, pk)
    try:
        services.cancel(request.user, page)
    except ServiceError as error:
        return refuse(request, error, page)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect(page.get_url(request))


@require_GET
def download_ics(request, pk):
    """The event's ``.ics``; with the online link for the members registered to it."""
    page = event_or_404(request, pk)
    mine = own_registration(request.user, page)
    with_link = mine is not None and mine.status == Registration.Status.REGISTERED
    if request.user.is_authenticated:
        mark_private(request)
    return ics.download(page, with_link=with_link)
