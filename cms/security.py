"""Security headers on every response (docs/decisions.md, "Hardening (issue 12): headers").

Django's ``ContentSecurityPolicyMiddleware`` sends ``SECURE_CSP`` (the site's policy: scripts
from this origin or with the request's nonce) and SecurityMiddleware the ``Referrer-Policy``.
This middleware, placed right inside the CSP middleware, adds ``Permissions-Policy`` and gives
Wagtail's admin its own policy: the admin renders inline scripts of its own (panels, date
widgets) without a nonce, so under ``ADMIN_PATH_PREFIX`` the enforced policy is ``ADMIN_CSP``
(no plugins, no foreign ``<base>``, framed only by the admin itself) and the site's script rules
are sent report-only (``ADMIN_CSP_REPORT_ONLY``), so that what would break shows in the console.

The admin's headers are set on the response before the CSP middleware sees it: Django's
middleware leaves a CSP header that a view (or an inner middleware) has already set alone.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.csp import CSP, build_policy


def is_admin_path(path: str) -> bool:
    prefix = getattr(settings, "ADMIN_PATH_PREFIX", "/admin/")
    return bool(prefix) and path.startswith(prefix)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if is_admin_path(request.path_info):
            for header, config in (
                (CSP.HEADER_ENFORCE, getattr(settings, "ADMIN_CSP", {})),
                (CSP.HEADER_REPORT_ONLY, getattr(settings, "ADMIN_CSP_REPORT_ONLY", {})),
            ):
                if config and str(header) not in response:
                    response[str(header)] = build_policy(config)
        return response
