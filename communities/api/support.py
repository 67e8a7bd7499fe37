"""What every endpoint of the community API shares (``communities.api.views`` and ``.me``, and
``discussions/api/views.py``): the base view (authentication, registered members, JSON errors with
codes, never cached), the translation of the services' refusals into API errors, and the shape of
an endpoint: its OpenAPI description and the serialization of its answer.

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

import functools

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.status import HTTP_200_OK

from cms.api_views import PortalAPIView
from membership.api_permissions import RegisteredMember

from .serializers import ErrorSerializer


class CommunityAPIView(PortalAPIView):
    """Base of every endpoint: ``cms.api_views.PortalAPIView`` (authentication, JSON errors,
    language, never cached by shared caches) for signed-in registered users."""

    permission_classes = [IsAuthenticated, RegisteredMember]
    parser_classes = [JSONParser, FormParser, MultiPartParser]


# --- The shape of an endpoint ----------------------------------------------------------------

#: The errors every endpoint may answer with (documented on every operation).
ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Not signed in.")),
    403: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy("Refused (with the reason), or registration not completed."),
    ),
    404: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Not found, or not visible to you.")
    ),
}
#: Documented on the operations that validate a request body.
BAD_INPUT = {400: OpenApiResponse(description=gettext_lazy("Invalid input: errors by field."))}
#: For ``errors=``: the operation may conflict with the current state.
CONFLICT = {
    409: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Conflicts with the state."))
}


def validated(serializer_class, request) -> dict:
    """The request's data as ``serializer_class`` validates it (a 400 with errors by field
    otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def endpoint(
    operation_id,
    *,
    tag,
    summary,
    description=None,
    parameters=None,
    request=None,
    response=None,
    many=False,
    status=HTTP_200_OK,
    errors=None,
):
    """Document a view method as the operation ``operation_id`` and answer with what it returns.

    ``request`` is the serializer of the request body (``None``: no body; given, a 400 is
    documented too); ``response`` the serializer of the answer (``None``: no body), with
    ``many`` for a list, sent with the success ``status``; ``errors`` documents errors beyond
    401, 403 and 404 (``CONFLICT``...). The method returns the object (or list) to serialize,
    nothing when there is no body, or a ``Response`` of its own, sent as it is.
    """
    success = response(many=True) if many and response is not None else response
    schema = extend_schema(
        operation_id=operation_id,
        tags=[tag],
        summary=summary,
        description=description,
        parameters=parameters,
        request=request,
        responses={
            status: success,
            **(BAD_INPUT if request is not None else {}),
            **ERRORS,
            **(errors or {}),
        },
    )

    def decorator(handler):
        @functools.wraps(handler)
        def view_method(view, http_request, *args, **kwargs):
            result = handler(view, http_request, *args, **kwargs)
            if isinstance(result, Response):
                return result
            if response is None:
                return Response(status=status)
            return Response(response(result, many=many).data, status=status)

        return schema(view_method)

    return decorator
