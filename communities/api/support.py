"""What every endpoint of the community API shares (``communities.api.views`` and ``.me``, and
``discussions/api/views.py``): the base view (authentication, registered members, JSON errors with
codes, never cached), the translation of the services' refusals into API errors, and the shape of
an endpoint (``cms.api_endpoints``, re-exported here): its OpenAPI description and the
serialization of its answer.

Errors:

- an object the user may not see: **404**;
- a refused action: **403** ``{"detail": message, "code": "permission_denied"}``;
- invalid input: **400** with field errors (``{"field": [messages]}``);
- a conflict with the current state (joining twice, answering nothing): **409**;
- not signed in: **401**; a member who has not completed the registration: **403**
  ``{"code": "registration_required"}`` (``membership.middleware`` for sessions, the
  ``RegisteredMember`` permission for tokens).

An endpoint's handler finds its target, validates its input (``validated``), calls a service and
returns the object it answers with; ``endpoint`` documents the operation and turns that object
into the response, so that each endpoint states only what is its own::

    @endpoint(
        "communities_join",
        tag="communities",
        summary=gettext_lazy("..."),
        request=s.JoinSerializer,
        response=s.MembershipSerializer,
        status=HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        ...
        return membership
"""

from __future__ import annotations

from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated

from cms.api_endpoints import BAD_INPUT, CONFLICT, ERRORS, endpoint, validated
from cms.api_views import PortalAPIView
from membership.api_permissions import RegisteredMember

__all__ = ["BAD_INPUT", "CONFLICT", "ERRORS", "CommunityAPIView", "endpoint", "validated"]


class CommunityAPIView(PortalAPIView):
    """Base of every endpoint: ``cms.api_views.PortalAPIView`` (authentication, JSON errors,
    language, never cached by shared caches) for signed-in registered users."""

    permission_classes = [IsAuthenticated, RegisteredMember]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
