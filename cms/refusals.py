"""The one way the site tells a user that something is not allowed: ``render_refusal``.

Every site view that refuses (the reserved pages and documents in ``cms/wagtail_hooks.py``, the
members' and managers' pages of ``communities``, the discussions and their moderation) answers
with this page: a title, the reason (the service's message, in Italian), and where to go next.
Nothing was changed; the answer is never stored by a shared cache.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from .cache import mark_private

TEMPLATE = "communities/refused.html"


def render_refusal(
    request, message, *, status=403, title=None, community=None, links=None, manage=False
):
    """The refusal page: ``message`` under ``title`` ("Action not allowed" by default), with
    ``links`` (``[{"url", "label"}]``, the first one primary) and a way back to ``community``;
    ``manage`` for the managers' pages (their look, and whom to ask). ``status`` is 403, or 409
    for an action that conflicts with the current state."""
    mark_private(request)
    context = {
        "page_title": title or _("Action not allowed"),
        "message": message,
        "community": community,
        "links": links or [],
        "manage": manage,
    }
    return render(request, TEMPLATE, context, status=status)
