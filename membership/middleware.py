"""The registration gate: a member who has not completed onboarding (or has not accepted the
current Community rules and privacy notice) is sent to ``/registrazione/`` from every page."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from .registration import is_member, needs_registration, portal_settings

logger = logging.getLogger("membership.sessions")

# Outside the language prefix: SAML endpoints, the demo IdP, language switch, static and media.
ALWAYS_EXEMPT_PREFIXES = ("/spid/", "/cie/", "/demo-idp/", "/i18n/setlang/", "/favicon.ico")

# Named URLs (reversed in every language) that a member going through registration may use.
EXEMPT_URL_NAMES = (
    "membership:onboarding",
    "membership:logout",
    "membership:ente_search",
    "membership:profile_delete",
    "membership:profile_export",
)


def wants_json(request):
    """API clients and scripts get JSON errors instead of a redirect to an HTML form."""
    path = request.path
    if path.startswith("/api/") or path.endswith(".json"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class RegistrationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes = None

    def exempt_prefixes(self):
        if self._prefixes is None:
            prefixes = list(ALWAYS_EXEMPT_PREFIXES)
            prefixes += [settings.STATIC_URL, settings.MEDIA_URL]
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    for name in EXEMPT_URL_NAMES:
                        try:
                            prefixes.append(reverse(name))
                        except NoReverseMatch:
                            continue
            self._prefixes = tuple(p for p in prefixes if p and p != "/")
        return self._prefixes

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_member(user)
            and not request.path.startswith(self.exempt_prefixes())
            and needs_registration(request)
            and not self.is_document_page(request)
        ):
            return self.gate(request)
        return self.get_response(request)

    def is_document_page(self, request):
        """The rules and privacy pages (and their translations) stay readable: members must
        read them before accepting."""
        portal = portal_settings(request=request)
        if portal is None:
            return False
        path = request.path
        for page in (portal.rules_page, portal.privacy_page):
            if page is None:
                continue
            for translated in page.get_translations(inclusive=True).live():
                url = translated.get_url(request)
                if url and path.rstrip("/") == url.rstrip("/"):
                    return True
        return False

    def gate(self, request):
        message = _(
            "Complete your registration to the Community (accept the rules and the privacy "
            "notice, complete your profile) before using the portal."
        )
        onboarding = reverse("membership:onboarding")
        if wants_json(request):
            response = JsonResponse(
                {"detail": message, "code": "registration_required", "registration": onboarding},
                status=403,
            )
        else:
            if request.method == "GET":
                target = request.get_full_path()
                if target != "/":
                    onboarding += "?" + urlencode({"next": target})
            response = HttpResponseRedirect(onboarding)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response


# --- Idle sessions (issue 12) ------------------------------------------------------------------

#: When the signed-in session was last used (seconds since the epoch), in the session itself.
LAST_ACTIVITY_KEY = "portal_last_activity"
#: Set in the new, anonymous session of a member signed out for inactivity: the sign-in page
#: says why (membership.views.login.LoginView).
EXPIRED_KEY = "portal_session_expired"
#: Paths answered even for an expired session (now signed out): SAML endpoints (the IdP posts
#: there), the sign-in and sign-out pages, static files, the health check.
IDLE_PASS_THROUGH_PREFIXES = ("/spid/", "/cie/", "/demo-idp/", "/healthz", "/favicon.ico")
IDLE_PASS_THROUGH_NAMES = ("membership:login", "membership:logout")


def idle_timeout_for(user) -> int:
    """Seconds of inactivity after which ``user``'s session ends (0: never). Staff, superusers
    and every account without a fiscal number (editors sign in with a password) get the
    shorter ``STAFF_SESSION_IDLE_TIMEOUT``; SPID/CIE members ``SESSION_IDLE_TIMEOUT``."""
    if user.is_staff or user.is_superuser or not is_member(user):
        return int(getattr(settings, "STAFF_SESSION_IDLE_TIMEOUT", 0) or 0)
    return int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0) or 0)


def stamp_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: the session starts active (saved with the sign-in itself, so the
    next requests need no session write)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sign out a session that has not been used for its idle timeout.

    The time of the last request is kept in the session, refreshed at most once a minute (a
    session write per request would be a database write per request, ``cached_db`` included).
    An expired session is ended as ``/esci/`` ends it locally (``auth.logout``, SAML state
    dropped); the member is sent to the sign-in page, which says why, and comes back to the page
    they asked for. API clients get 401 with ``code: session_expired``. Anonymous requests are
    not touched (no session is created for them, so the page cache is unaffected)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes = None

    def pass_through_prefixes(self):
        if self._prefixes is None:
            prefixes = list(IDLE_PASS_THROUGH_PREFIXES) + [settings.STATIC_URL]
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    for name in IDLE_PASS_THROUGH_NAMES:
                        try:
                            prefixes.append(reverse(name))
                        except NoReverseMatch:
                            continue
            self._prefixes = tuple(p for p in prefixes if p and p != "/")
        return self._prefixes

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return self.get_response(request)
        timeout = idle_timeout_for(user)
        if timeout <= 0:
            return self.get_response(request)
        now = int(time.time())
        last = session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int | float) and now - last > timeout:
            return self.expire(request, idle=now - int(last))
        if not isinstance(last, int | float) or now - last >= min(60, max(1, timeout // 10)):
            session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def expire(self, request, idle: int):
        from django.contrib import auth

        logger.info("Session of user %s ended after %s s of inactivity", request.user.pk, idle)
        auth.logout(request)
        saml_session = getattr(request, "saml_session", None)
        if saml_session is not None:
            saml_session.flush()
        request.session[EXPIRED_KEY] = True
        if request.path.startswith(self.pass_through_prefixes()):
            return self.get_response(request)
        message = _("Your session has expired after a period of inactivity: sign in again.")
        if wants_json(request):
            response = JsonResponse({"detail": message, "code": "session_expired"}, status=401)
        else:
            target = request.get_full_path() if request.method in ("GET", "HEAD") else ""
            if not target:
                referer = urlsplit(request.headers.get("Referer", ""))
                if referer.netloc == request.get_host():
                    target = referer.path + (f"?{referer.query}" if referer.query else "")
            login_url = resolve_url(settings.LOGIN_URL)
            if target and target != "/":
                login_url += "?" + urlencode({"next": target})
            response = HttpResponseRedirect(login_url)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response
