"""What the Accademia's endpoints share (``academy.api.views``): the base views (signed-in
registered members; public endpoints), the checked query filters and the documentation of an
error. The shape of an endpoint (``endpoint``, the documented errors, the error body) is the
core's, ``cms.api_endpoints``, as for the community API; authentication, JSON errors with codes
and never-cached answers come from ``cms.api_views.PortalAPIView``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated

from cms.api_endpoints import ErrorSerializer, endpoint
from cms.api_views import PortalAPIView
from membership.api_permissions import RegisteredMember

__all__ = ["AcademyAPIView", "PublicAcademyAPIView", "endpoint", "error", "filters"]


def error(description):
    """An error answer documented with ``description`` (the body: ``detail`` and ``code``)."""
    return OpenApiResponse(ErrorSerializer, description=description)


class AcademyAPIView(PortalAPIView):
    """Signed-in registered members (staff accounts too; the policy decides), JSON bodies."""

    permission_classes = [IsAuthenticated, RegisteredMember]
    parser_classes = [JSONParser]


class PublicAcademyAPIView(PortalAPIView):
    """Public endpoints: anyone, signed in or not (a member who has not completed the
    registration is asked to, as everywhere)."""

    permission_classes = [RegisteredMember]
    parser_classes = [JSONParser]


def filters(serializer_class, request) -> dict:
    """The query's filters, checked: 400 by parameter for a value that is not one of them."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
