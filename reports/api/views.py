"""The participation figures as JSON (tag ``plan``): ``GET communities/<pk>/figures/`` (the
community's coordinator and support team, staff) and ``GET figures/`` (staff), with the period
in ``?dal=YYYY-MM&al=YYYY-MM`` (default: the last twelve months). The same numbers as the site's
pages (``reports.figures``) and the same policy (``view_figures``): 401 signed out, 403 refused,
404 for an unknown community, 400 with errors by field for a bad period.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from cms import access
from communities.api.support import BAD_INPUT, CommunityAPIView, endpoint
from communities.models import CommunityPage

from ..figures import figures
from ..forms import PeriodForm
from ..permissions import Action
from .serializers import FiguresSerializer

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "dal", str, description=gettext_lazy("First month (YYYY-MM); default: 11 months ago.")
    ),
    OpenApiParameter(
        "al", str, description=gettext_lazy("Last month (YYYY-MM); default: the current one.")
    ),
]


def _period(request):
    form = PeriodForm(request.query_params, now=timezone.now())
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in form.errors.items()
            }
        )
    return form.period


class CommunityFigures(CommunityAPIView):
    @endpoint(
        "communities_figures",
        tag="plan",
        summary=gettext_lazy("Participation figures of a community"),
        description=gettext_lazy(
            "Members by month, by role, by region and kind of authority (groups under the "
            "threshold masked), topics and replies by month. The community's coordinator and "
            "support team, and staff."
        ),
        parameters=PERIOD_PARAMETERS,
        response=FiguresSerializer,
        errors=BAD_INPUT,
    )
    def get(self, request, pk):
        community = get_object_or_404(CommunityPage, pk=pk)
        if not access.can(request.user, Action.VIEW_FIGURES, community):
            raise exceptions.PermissionDenied(
                _(
                    "Only the coordinator and the support team of the community, and the "
                    "portal's staff, may see its participation figures."
                )
            )
        return figures(_period(request), community)


class PortalFigures(CommunityAPIView):
    @endpoint(
        "figures_retrieve",
        tag="plan",
        summary=gettext_lazy("Participation figures of the whole portal"),
        description=gettext_lazy("The same figures over every community. Staff only."),
        parameters=PERIOD_PARAMETERS,
        response=FiguresSerializer,
        errors=BAD_INPUT,
    )
    def get(self, request):
        if not access.can(request.user, Action.VIEW_FIGURES, None):
            raise exceptions.PermissionDenied(
                _("Only the portal's staff may see the figures of the whole portal.")
            )
        return figures(_period(request))
