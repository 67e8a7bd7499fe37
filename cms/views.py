import logging
import uuid

from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accedi/",
        "Disallow: /cerca/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache = caches["default"]
    key = "healthz:" + uuid.uuid4().hex
    cache.set(key, "ok", timeout=10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    if not ok:
        raise RuntimeError("the cache did not return what was stored")


def healthz(request):
    """Liveness and readiness for load balancers and orchestrators: the database and the cache.

    200 ``{"status": "ok", "database": "ok", "cache": "ok"}``, or 503 with ``"error"`` for the
    failing part. Served by HealthCheckMiddleware before sessions, i18n, host and HTTPS checks
    and the registration gate (and also routed at /healthz for reverse()); never cached.
    """
    body = {"status": "ok"}
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            check()
            body[name] = "ok"
        except Exception as error:
            logger.error("healthz: %s check failed: %s", name, error)
            body[name] = "error"
            body["status"] = "error"
    response = JsonResponse(body, status=200 if body["status"] == "ok" else 503)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


CEILING_PAGE = (
    '<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Ceiling</title>'
    "</head><body><main><h1>Ceiling</h1><p>"
    + "Una pagina fissa per misurare il limite dello stack. " * 40
    + "</p></main></body></html>"
)


def ceiling(request):
    """A bare view returning a fixed page: the ceiling of the serving stack for the load test.

    Mounted only when LOADTEST_CEILING is on (bench/loadtest/)."""
    return HttpResponse(CEILING_PAGE)
