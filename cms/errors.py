"""The errors of the portal's services, one family for every app, and what they mean in HTTP.

A service (``communities.services``, ``discussions.services``, ``discussions.moderation``...)
asks the access policy and, when it says no, raises one of these with a message for the user
(Italian, through gettext) and changes nothing. Each error knows its HTTP status:

=================  ======  ===================================================================
``Refused``        403     the policy refuses the action (``code`` may name why: ``removed``...)
``Invalid``        400     bad input (one message, or messages by field, as Django's)
``Conflict``       409     conflicts with the current state (joining twice, answering nothing)
``NotFound``       404     no such object, or not visible to the user (nothing is disclosed)
``RateLimited``    429     too many posts: ``retry_after`` seconds to wait
=================  ======  ===================================================================

``Refused`` is a Django ``PermissionDenied``, ``Invalid`` and ``Conflict`` are Django
``ValidationError``\\ s and ``NotFound`` is an ``Http404``, so that forms (``add_error``), the
admin and Django's own handlers treat them as they always have. Site views render a refusal with
``cms.refusals.render_refusal``; the APIs call services through ``cms.api_errors.run``, the one
translation of these errors into API responses.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy


class ServiceError(Exception):
    """A service refused to do something; ``message`` says why to the user."""

    status = 400
    code = "invalid"
    default_message = gettext_lazy("You cannot do this.")

    def __init__(self, message="", code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    @property
    def user_message(self) -> str:
        """The message to show the user (the class's default when the service gave none)."""
        return str(self.message or self.default_message)


class Refused(ServiceError, PermissionDenied):
    """The access policy refuses the action (403)."""

    status = 403
    code = "permission_denied"
    default_message = gettext_lazy("You are not allowed to do this.")


class Invalid(ServiceError, ValidationError):
    """Bad input (400): a message, a list, or messages by field, as ``ValidationError``."""

    status = 400

    def __init__(self, message, code=None, params=None):
        ValidationError.__init__(self, message, code, params)
        if not hasattr(self, "message"):  # messages by field, or a list
            self.message = " ".join(self.messages)
        if code is None:
            self.code = type(self).code

    @property
    def user_message(self) -> str:
        return " ".join(self.messages)


class Conflict(Invalid):
    """The action conflicts with the current state (409), e.g. ``already``, ``same_role``,
    ``nothing_pending``, ``already_in_group``."""

    status = 409
    code = "conflict"
    default_message = gettext_lazy("This conflicts with the current state.")


class NotFound(ServiceError, Http404):
    """No such object, or one the user may not see (404): nothing else is disclosed."""

    status = 404
    code = "not_found"
    default_message = gettext_lazy("Not found, or not visible to you.")


class RateLimited(ServiceError):
    """Too many actions in too short a time (429); ``retry_after`` is in seconds (at least 1)."""

    status = 429
    code = "rate_limited"

    def __init__(self, message, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message)


def http_status(error: Exception) -> int:
    """The HTTP status of a service's error (Django's own exceptions included)."""
    if isinstance(error, ServiceError):
        return error.status
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, Http404):
        return 404
    return 400


def message_of(error: Exception) -> str:
    """The message for the user of a service's error (Django's own exceptions included)."""
    if isinstance(error, ServiceError):
        return error.user_message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or str(Refused.default_message)
