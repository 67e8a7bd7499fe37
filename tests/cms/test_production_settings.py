"""Production settings (issue 7): task worker backend, page cache, object storage, JSON logs."""

import json
import os
import subprocess
import sys

import pytest

from tests.cms.test_settings import ROOT, run_manage, sp_certificate  # noqa: F401

# The settings module alone (no app loading: django-storages belongs to the optional
# `production` dependency group and need not be installed to check the switch).
PRINT = (
    "import json;import cms.settings.production as s;"
    "print(json.dumps({'tasks': s.TASKS['default']['BACKEND'],"
    "'page_cache': s.PAGE_CACHE_ENABLED,"
    "'storage': s.STORAGES['default']['BACKEND'],"
    "'static': s.STORAGES['staticfiles']['BACKEND'],"
    "'renditions': s.CACHES.get('renditions', {}).get('BACKEND'),"
    "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'],"
    "'formatter': s.LOGGING['formatters']['json'].get('()'),"
    "'middleware': s.MIDDLEWARE[:6],"
    "'apps': 'django_tasks_db' in s.INSTALLED_APPS,"
    "'sessions': getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db'),"
    "'demo_admin': s.DEMO_ADMIN_ACCOUNT,"
    "'img_src': s.SECURE_CSP['img-src'],"
    "'backends': s.AUTHENTICATION_BACKENDS}))"
)
REDIS = "redis://127.0.0.1:6379/5"


def run_production(sp_certificate, **env):  # noqa: F811
    """The production settings module imported with ``env`` (a ``None`` value: unset)."""
    env = {
        "SECRET_KEY": "k3y-" + "Zq9x!Lm2#Rt7" * 6,
        "ALLOWED_HOSTS": "portale.example.it",
        "REDIS_URL": REDIS,
        **sp_certificate,
        **env,
    }
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TASKS_BACKEND"}
    unset |= {"PAGE_CACHE", "AWS_STORAGE_BUCKET_NAME", "DB_CONN_MAX_AGE"}
    unset |= {"AWS_S3_CUSTOM_DOMAIN", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME"}
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env |= {k: v for k, v in env.items() if v is not None}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def production(sp_certificate, **env):  # noqa: F811
    result = run_production(sp_certificate, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def defaults(sp_certificate):  # noqa: F811
    return production(sp_certificate)


def test_production_defaults(defaults):
    assert defaults["tasks"] == "django_tasks_db.DatabaseBackend"
    assert defaults["apps"] is True
    assert defaults["storage"] == "django.core.files.storage.FileSystemStorage"
    assert defaults["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert defaults["conn_max_age"] == 60
    assert defaults["formatter"] == "cms.log.JSONFormatter"
    # Redis is required (below): the page cache and the renditions' cache use it.
    assert defaults["page_cache"] is True
    assert defaults["renditions"] == "django.core.cache.backends.redis.RedisCache"
    # Never the README's demo account; the login throttle's backend first.
    assert defaults["demo_admin"] is False
    assert defaults["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert defaults["img_src"] == ["'self'", "data:"]
    # The security headers wrap static files and cached pages too (cms/security.py).
    assert defaults["middleware"] == [
        "cms.middleware.HealthCheckMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
        "cms.security.SecurityHeadersMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "cms.cache.PageCacheMiddleware",
    ]


def test_production_switches(sp_certificate):  # noqa: F811
    switched = production(
        sp_certificate,
        AWS_STORAGE_BUCKET_NAME="portale-media",
        AWS_S3_CUSTOM_DOMAIN="media.portale.example.it",
        TASKS_BACKEND="immediate",
    )
    assert switched["page_cache"] is True
    assert switched["renditions"] == "django.core.cache.backends.redis.RedisCache"
    assert switched["storage"] == "storages.backends.s3.S3Storage"
    assert switched["tasks"] == "django.tasks.backends.immediate.ImmediateBackend"
    # Images then come from the bucket's address, which the CSP allows.
    assert switched["img_src"] == ["'self'", "data:", "https://media.portale.example.it"]
    minio = production(
        sp_certificate,
        AWS_STORAGE_BUCKET_NAME="portale-media",
        AWS_S3_ENDPOINT_URL="http://minio:9000/",
    )
    assert minio["img_src"][-1] == "http://minio:9000"
    off = production(sp_certificate, PAGE_CACHE="false")
    assert off["page_cache"] is False


def test_dev_and_test_run_tasks_at_once():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s;print(s.TASKS['default']['BACKEND'])",
        env_overrides={"DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.tasks.backends.immediate.ImmediateBackend"


# The worker closes its database connections: outside a test transaction (PostgreSQL would
# otherwise lose the test's own connection), with the migrated data restored for later tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wagtail_tasks_go_through_the_database_backend_and_its_worker(settings):
    """Wagtail's tasks (django_tasks' backport API) are stored by django-tasks-db on Django 6.1
    and run by its worker."""
    import django_tasks.signals  # noqa: F401  (resets its backends when TASKS changes)
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import Page
    from wagtail.tasks import update_reference_index_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    page = Page.get_first_root_node()
    result = update_reference_index_task.enqueue("wagtailcore", "page", page.pk)
    assert DBTaskResult.objects.filter(pk=result.id, status="READY").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_production_sessions_are_cached_in_redis(defaults):
    assert defaults["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_production_refuses_to_start_without_redis(sp_certificate):  # noqa: F811
    """Every process must share one cache (page cache, snapshots, rate limits, sessions):
    production settings refuse per-process memory, as they refuse a missing SECRET_KEY."""
    for value in (None, ""):
        result = run_production(sp_certificate, REDIS_URL=value)
        assert result.returncode != 0
        assert "REDIS_URL must be set in production" in result.stderr
