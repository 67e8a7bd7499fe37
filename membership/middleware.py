"""The registration gate: a member who has not completed onboarding (or has not accepted the
current Community rules and privacy notice) is sent to ``/registrazione/`` from every page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from .registration import is_member, needs_registration, portal_settings

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
