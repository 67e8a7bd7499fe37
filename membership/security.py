"""Staff sign-in protection: django-axes' hooks (client address, lockout page) and the log lines
of failed sign-ins and lockouts.

Only password sign-ins (the editors' form at ``/accedi/`` and Wagtail's ``/admin/login/``) go
through ``authenticate()``, where axes' backend counts and refuses; SPID/CIE members are signed
in by ``membership.identity.sign_in`` with the SAML backend and never reach it.
"""

from __future__ import annotations

import ipaddress
import logging
import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .middleware import wants_json

logger = logging.getLogger("membership.security")


def _valid_address(value: str | None) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:port"
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the last trusted proxy saw it (``AXES_CLIENT_IP_CALLABLE``).

    Every proxy appends the address it was connected from to ``X-Forwarded-For``; whatever the
    client itself sent stands to the left. With ``TRUSTED_PROXY_COUNT`` proxies in front of
    gunicorn the client is therefore the entry that many places from the right. Without proxies
    (0, the default) the header is ignored: anyone could write it. A header shorter than the
    count (a request that reached gunicorn past the proxies) falls back to ``REMOTE_ADDR``.
    """
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            address = _valid_address(forwarded[-count])
            if address:
                return address
    return _valid_address(request.META.get("REMOTE_ADDR"))


def cool_off_seconds(request=None) -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message(seconds: int) -> str:
    if not seconds:
        return _(
            "Too many failed sign-in attempts: signing in with this username from your network "
            "is blocked. Ask the portal's editorial team to unblock it."
        )
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, signing in with this username "
        "from your network is blocked for %(minutes)d minute: try again later. If you have "
        "forgotten your password, ask the portal's editorial team.",
        "Too many failed sign-in attempts. For your security, signing in with this username "
        "from your network is blocked for %(minutes)d minutes: try again later. If you have "
        "forgotten your password, ask the portal's editorial team.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429 Too Many Requests with ``Retry-After``, an Italian page
    (or JSON for API clients), never stored by a cache. The correct password is refused too
    while the lockout lasts."""
    seconds = cool_off_seconds(request)
    message = lockout_message(seconds)
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    if wants_json(request) or request.headers.get("X-Requested-With") == "XMLHttpRequest":
        response = JsonResponse(
            {"detail": message, "code": "sign_in_locked", "retry_after": seconds},
            status=status,
        )
    else:
        response = render(
            request,
            "membership/lockout.html",
            {"message": message, "page_title": _("Sign-in blocked")},
            status=status,
        )
    if seconds:
        response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _username(credentials) -> str:
    username = (credentials or {}).get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    return str(username or "")[:150]


def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    """``user_login_failed``: one warning per failed password sign-in (axes stores it too)."""
    logger.warning(
        "Staff sign-in failed: username=%r address=%s path=%s",
        _username(credentials),
        client_ip(request) if request is not None else None,
        request.path if request is not None else None,
    )


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' ``user_locked_out``: the pair is blocked for the cool-off."""
    logger.warning(
        "Staff sign-in locked out: username=%r address=%s path=%s for %s s",
        str(username or "")[:150],
        ip_address,
        request.path if request is not None else None,
        cool_off_seconds(request),
    )


def connect_signals():
    """Log failed staff sign-ins and lockouts; stamp every new session as active."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    from .middleware import stamp_sign_in

    user_login_failed.connect(log_failed_sign_in, dispatch_uid="membership.log_failed_sign_in")
    user_locked_out.connect(log_lockout, dispatch_uid="membership.log_lockout")
    user_logged_in.connect(stamp_sign_in, dispatch_uid="membership.stamp_sign_in")
