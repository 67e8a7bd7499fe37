"""Production settings: refuse to start without the variables that make the site safe."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
# Every application process must share one cache: the page cache and its invalidation, the
# shared snapshots of signed-in pages (cms/snapshots.py: view restrictions, menus, who may use
# the admin), the discussions' rate limits and cached sessions. Per-process memory would keep a
# revoked restriction or an old page alive in the other processes (docs/decisions.md).
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production (the cache every process shares), "
        "e.g. redis://127.0.0.1:6379/0."
    )

# Mail goes through SMTP: EMAIL_HOST (see base.py), or the host's own MTA on localhost:25.
if "smtp" not in MAILERS["default"]["BACKEND"]:  # noqa: F405
    MAILERS = {  # noqa: F405
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25, "timeout": 10},
        }
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Sessions and CSRF cookies only over HTTPS (SECURE_COOKIES=false only for `make serve` on
# http://127.0.0.1, never on a public host).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Serving, caching, background work, logs (issue 7; docs/deploy.md "Scaling out") ---------
# Persistent database connections (gunicorn threads keep theirs between requests).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405

# The page cache needs a cache every application process shares: on with REDIS_URL.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", bool(REDIS_URL))  # noqa: F405
# Sessions read from Redis (written through to the database): no session query per signed-in
# request (REDIS_URL is required above: a per-process cache would keep a session that another
# process ended alive).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work: the database task backend and its worker (`manage.py db_worker`,
# tools/worker.sh) unless TASKS_BACKEND=immediate.
if os.environ.get("TASKS_BACKEND", "database") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Media in object storage (S3, MinIO...) when AWS_STORAGE_BUCKET_NAME is set: needs the
# `production` dependency group (django-storages, boto3). Static files stay with WhiteNoise.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None  # a private bucket: files are reached through signed URLs
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600"))
    AWS_S3_FILE_OVERWRITE = False
    STORAGES = {  # noqa: F405
        **STORAGES,  # noqa: F405
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    # Images and media then come from the bucket's address: the CSP must allow it.
    from urllib.parse import urlsplit

    if AWS_S3_CUSTOM_DOMAIN:
        _media_origins = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        _media_origins = ["{0.scheme}://{0.netloc}".format(urlsplit(AWS_S3_ENDPOINT_URL))]
    else:
        _media_origins = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if AWS_S3_REGION_NAME:
            _media_origins.append(
                f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"
            )
    for _policy in (SECURE_CSP, ADMIN_CSP_REPORT_ONLY):  # noqa: F405
        for _directive in ("img-src", "media-src"):
            _policy[_directive] = [*_policy[_directive], *_media_origins]
    del _media_origins, _policy, _directive

# Structured logs: JSON lines on stderr (cms/log.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.log.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- SPID and CIE (SAML): production ---
# The SP key and certificate come from the environment (docs/deploy.md); nothing is generated,
# and spid-sp-test's fake IdP is never trusted, whatever the environment says.
SAML_AUTO_CERTIFICATES = False
SAML_TEST_IDP_METADATA = ""
for _name in ("SAML_KEY_FILE", "SAML_CERT_FILE"):
    _path = globals()[_name]
    if not _path or not os.path.isfile(_path):
        raise ImproperlyConfigured(f"{_name} must point to the SPID/CIE SP's PEM file.")
for _name in ("ipa_code", "email"):
    if not SAML_CONTACT[_name]:  # noqa: F405
        raise ImproperlyConfigured(
            f"SAML_{'IPA_CODE' if _name == 'ipa_code' else 'CONTACT_EMAIL'} must be set."
        )
del _name, _path
SAML_SESSION_COOKIE_SAMESITE = "None"

# --- Open Badges: the signing key is provisioned, never generated (docs/deploy.md) ---
ACADEMY_BADGE_KEY_AUTOCREATE = False
if not os.path.isfile(ACADEMY_BADGE_KEY_FILE):  # noqa: F405
    raise ImproperlyConfigured("ACADEMY_BADGE_KEY_FILE must point to the Open Badges key (PEM).")
