"""The services' errors (``cms.errors``) as the community API answers them: the one translation
used by ``communities/api.py`` and ``discussions/api.py``.

- ``Refused`` (and Django's ``PermissionDenied``): **403** ``{"detail": message, "code": ...}``
  (``permission_denied``, or why: ``removed``, ``suspended``, ``revoked``);
- ``Invalid`` (and Django's ``ValidationError``): **400** with the messages by field
  (``non_field_errors`` for the others);
- ``Conflict``: **409** ``{"detail": message, "code": ...}``;
- ``NotFound`` (and ``Http404``): **404**, nothing disclosed;
- ``RateLimited``: **429** with a ``Retry-After`` header.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from . import errors


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This conflicts with the current state.")
    default_code = "conflict"


class RateLimitedError(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "rate_limited"

    def __init__(self, error: errors.RateLimited):
        super().__init__(error.message, code="rate_limited")
        self.wait = error.retry_after  # DRF's handler sends it as Retry-After


def api_exception_handler(exc, context):
    """DRF's handler, plus a machine-readable ``code`` beside every ``detail`` message."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and "code" not in data:
        code = getattr(data["detail"], "code", None)
        if code:
            data["code"] = code
    return response


def api_error(error: Exception) -> exceptions.APIException:
    """The API exception answering a service's ``error``."""
    if isinstance(error, errors.RateLimited):
        return RateLimitedError(error)
    if isinstance(error, Http404):
        return exceptions.NotFound()
    if isinstance(error, PermissionDenied):
        code = getattr(error, "code", None)
        return exceptions.PermissionDenied(str(error) or None, code=code)
    if isinstance(error, errors.Conflict):
        return ConflictError(error.messages[0], code=error.code)
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return exceptions.ValidationError(
                {
                    ("non_field_errors" if field == "__all__" else field): messages
                    for field, messages in error.message_dict.items()
                }
            )
        return exceptions.ValidationError({"non_field_errors": error.messages})
    return exceptions.ValidationError({"non_field_errors": [errors.message_of(error)]})


def run(operation, *args, **kwargs):
    """Call a service, turning its errors into the API's."""
    try:
        return operation(*args, **kwargs)
    except (errors.ServiceError, PermissionDenied, ValidationError, Http404) as error:
        raise api_error(error) from error
