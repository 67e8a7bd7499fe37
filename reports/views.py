"""The participation figures on the site: a community's (its coordinator, its support team and
staff: ``/cdp/gestione/<pk>/partecipazione/``) and the whole portal's (staff:
``/cdp/partecipazione/``, also in the Wagtail admin's menu), each table as CSV.

Only aggregates (``reports.figures``): no person appears on these pages. Visitors are sent to
sign in; a signed-in user the policy refuses gets the portal's refusal page (403: the
communities themselves are public, so nothing leaks); an unknown community is a 404; a bad
period re-renders the form with the Italian message and a 400, nothing else on the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cms import access
from cms.cache import mark_private
from cms.refusals import render_refusal
from communities.models import CommunityPage

from . import tables
from .figures import figures
from .forms import PeriodForm
from .permissions import Action

TEMPLATE = "reports/figures.html"


def _gate(view):
    return login_required(never_cache(view))


def _answer(request, community, *, csv_slug=None):
    """The page (or the CSV ``csv_slug``) of ``community``'s figures (``None``: the portal)."""
    mark_private(request)
    if not access.can(request.user, Action.VIEW_FIGURES, community):
        if community is None:
            message = _("Only the portal's staff may see the figures of the whole portal.")
        else:
            message = _(
                "Only the coordinator and the support team of the community, and the portal's "
                "staff, may see its participation figures."
            )
        return render_refusal(request, message, community=community, manage=True)
    if csv_slug is not None and csv_slug not in tables.SLUGS:
        raise Http404
    now = timezone.now()
    form = PeriodForm(request.GET, now=now)
    context = {"community": community, "form": form, "page_title": _("Participation figures")}
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    period = form.period
    data = figures(period, community)
    if csv_slug is not None:
        return tables.csv_response(data, csv_slug, community.title if community else "portale")
    if not request.GET:  # show the default period in the form
        context["form"] = PeriodForm(initial={"dal": period.first, "al": period.last}, now=now)
    context.update(data=data, tables=tables.for_page(data), query=request.GET.urlencode())
    return render(request, TEMPLATE, context)


@_gate
def community_figures(request, pk):
    return _answer(request, get_object_or_404(CommunityPage, pk=pk))


@_gate
def community_figures_csv(request, pk, slug):
    return _answer(request, get_object_or_404(CommunityPage, pk=pk), csv_slug=slug)


@_gate
def portal_figures(request):
    return _answer(request, None)


@_gate
def portal_figures_csv(request, slug):
    return _answer(request, None, csv_slug=slug)
