"""What the Accademia's endpoints share (``academy.api.views``): the base views (signed-in
registered members; public endpoints), the documentation of an endpoint and the serialization of
its answer, the checked query filters. The same shape as ``communities.api.support``, which this
layer may not import (``academy`` sits beside ``communities``): authentication, JSON errors with
codes and never-cached answers come from ``cms.api_views.PortalAPIView``."""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.status import HTTP_200_OK

from cms.api_views import PortalAPIView
from membership.api_permissions import RegisteredMember

from .serializers import AcademyErrorSerializer


def error(description):
    return OpenApiResponse(AcademyErrorSerializer, description=description)


#: The errors every endpoint may answer with (documented on every operation).
ERRORS = {
    401: error(gettext_lazy("Not signed in (or a token that is not valid).")),
    403: error(gettext_lazy("Refused (with the reason), or registration not completed.")),
    404: error(gettext_lazy("Not found, or not visible to you.")),
}
BAD_INPUT = {400: OpenApiResponse(description=gettext_lazy("Invalid input: errors by field."))}


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
    """Document a view method as the operation ``operation_id`` and answer with what it returns
    serialized by ``response`` (the shape of ``communities.api.support.endpoint``, which this
    layer may not import): a ``Response`` returned is sent as it is."""
    schema = extend_schema(
        operation_id=operation_id,
        tags=[tag],
        summary=summary,
        description=description,
        parameters=parameters,
        request=request,
        responses={
            status: response(many=True) if many else response,
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
            return Response(response(result, many=many).data, status=status)

        return schema(view_method)

    return decorator


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
