"""Development and embedded-demo settings (`make run`)."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- SPID and CIE (SAML): development ---
# Self-signed SPID-profile certificates in var/saml/, placeholder organisation data, and
# spid-sp-test's fake IdP when SAML_TEST_IDP_METADATA points to its metadata.
SAML_AUTO_CERTIFICATES = True
SAML_TEST_IDP_METADATA = os.environ.get("SAML_TEST_IDP_METADATA", "")
SAML_SESSION_COOKIE_SAMESITE = os.environ.get("SAML_SESSION_COOKIE_SAMESITE", "Lax")
SAML_CONTACT = {  # noqa: F405
    **SAML_CONTACT,  # noqa: F405
    "ipa_code": SAML_CONTACT["ipa_code"] or "DEMO_IPA",  # noqa: F405
    "email": SAML_CONTACT["email"] or "spid-tech@example.org",  # noqa: F405
    "phone": SAML_CONTACT["phone"] or "+390600000000",  # noqa: F405
}

# --- Demo identity provider (demo_idp): development and tests only, never production ---
INSTALLED_APPS += ["demo_idp"]  # noqa: F405

# --- The demo (`manage.py load_demo` and its content): dev, demo and tests only ---
INSTALLED_APPS += ["demo"]  # noqa: F405

# The demo `admin` account of the README (load_demo): never under production settings.
DEMO_ADMIN_ACCOUNT = True
