from django.utils.cache import add_never_cache_headers, patch_cache_control

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

    A view marks a response as restricted with ``request.portal_private = True`` (the page-serving
    hook does it for pages with a view restriction).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or getattr(request, "portal_private", False):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
