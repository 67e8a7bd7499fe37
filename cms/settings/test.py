"""Settings for the test suite: PostgreSQL when DATABASE_URL is set, SQLite otherwise."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- SPID and CIE (SAML): tests ---
import os  # noqa: E402

SAML_AUTO_CERTIFICATES = True
SAML_TEST_IDP_METADATA = os.environ.get("SAML_TEST_IDP_METADATA", "")
SAML_SESSION_COOKIE_SAMESITE = "Lax"
SAML_BASE_URL = "http://testserver"
SAML_ENTITY_IDS = {
    "spid": f"{SAML_BASE_URL}/spid/metadata/",
    "cie": f"{SAML_BASE_URL}/cie/metadata/",
}
SAML_CONTACT = {  # noqa: F405
    **SAML_CONTACT,  # noqa: F405
    "ipa_code": "DEMO_IPA",
    "email": "spid-tech@example.org",
    "phone": "+390600000000",
}

# --- Demo identity provider (demo_idp): development and tests only, never production ---
INSTALLED_APPS += ["demo_idp"]  # noqa: F405

# --- The demo (`manage.py load_demo` and its content): dev, demo and tests only ---
INSTALLED_APPS += ["demo"]  # noqa: F405

# The demo `admin` account of the README (load_demo): never under production settings.
DEMO_ADMIN_ACCOUNT = True
