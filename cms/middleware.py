from django.utils.cache import add_never_cache_headers, patch_cache_control

from .cache import is_private

HEALTH_PATHS = ("/healthz", "/healthz/")


class HealthCheckMiddleware:
    """Answer /healthz first: no session, language, host or HTTPS redirect, registration gate
    or page cache in the way of a load balancer's probe. Place it first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Responses for signed-in users, and restricted pages, are never stored by shared caches.

    A view marks a response as restricted with ``cms.cache.mark_private(request)`` (the
    page-serving hook does it for pages with a view restriction).

    "Signed in" is asked of the session's user (Django's ``AuthenticationMiddleware``), taken
    before the view runs, and of ``request.user`` after it (a DRF view replaces it with the user
    its own authentication found: a token's user, or ``AnonymousUser`` for a view without
    authentication classes, such as the API's schema and docs, which a member's browser still
    requests with the session cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_user = getattr(request, "user", None)  # lazy: evaluated after the view
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = any(
            candidate is not None and candidate.is_authenticated
            for candidate in (session_user, user)
        )
        if signed_in or is_private(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
