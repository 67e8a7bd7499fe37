"""The shape of an endpoint of the portal's own APIs, shared by every app's ``api/`` (the
community API and the Accademia's): the documented errors, the serializer of an error body, the
validation of a request body, and ``endpoint``, which documents a view method as an OpenAPI
operation and serializes what it returns. ``communities.api.support`` explains its use."""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.status import HTTP_200_OK


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


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
