"""What the events' views share: the event page from its id, refusals, login redirects."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext as _

from cms import access
from cms.errors import http_status, message_of
from cms.refusals import render_refusal

from ..selectors import specific_event


def event_or_404(request, pk):
    """The live event page ``pk`` if the user may see it; 404 otherwise (nothing disclosed)."""
    page = specific_event(pk)
    if page is None or not access.can_view_page(request.user, page):
        raise Http404
    return page


def refuse(request, error, page=None):
    """The refusal page for a service's ``error`` (403, 404, 409...), with a way back."""
    status = http_status(error)
    if status == 404:
        raise Http404
    links = []
    if page is not None:
        links.append({"url": page.get_url(request), "label": _("Back to the event")})
    title = _("Not possible") if status == 409 else None
    return render_refusal(request, message_of(error), status=status, title=title, links=links)


def to_login(request):
    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
