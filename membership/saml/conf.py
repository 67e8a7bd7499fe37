"""pysaml2 service-provider configuration, built per request for "spid" or "cie"
(djangosaml2's ``SAML_CONFIG_LOADER``)."""

import copy
import importlib
import logging
import os
import shutil
import threading

import saml2
from django.conf import settings
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .certificates import key_and_certificate

logger = logging.getLogger("membership.saml")

KINDS = ("spid", "cie")
SPID_LEVELS = {
    1: "https://www.spid.gov.it/SpidL1",
    2: "https://www.spid.gov.it/SpidL2",
    3: "https://www.spid.gov.it/SpidL3",
}
# The minimum attribute sets we request (AttributeConsumingService index 0).
REQUESTED_ATTRIBUTES = {
    "spid": ["name", "familyName", "fiscalNumber", "email"],
    # CIE releases only its minimum dataset.
    "cie": ["name", "familyName", "fiscalNumber", "dateOfBirth"],
}
SERVICE_NAMES = {
    "spid": "Community dei Comuni Digitali",
    "cie": "Community dei Comuni Digitali",
}

_cache: dict = {}
_lock = threading.Lock()


def entity_id(kind: str) -> str:
    return settings.SAML_ENTITY_IDS[kind]


def endpoint(kind: str, name: str) -> str:
    """Absolute URL of one of our endpoints: metadata, login, acs, ls."""
    return f"{settings.SAML_BASE_URL}/{kind}/{name}/"


def requested_level(kind: str) -> int:
    level = settings.SAML_CIE_LEVEL if kind == "cie" else settings.SAML_SPID_LEVEL
    return min(max(int(level), 1), 3)


def test_idp_metadata_file() -> str:
    """spid-sp-test's fake IdP metadata file, when the (dev/test only) setting names one."""
    path = getattr(settings, "SAML_TEST_IDP_METADATA", "") or ""
    if path and not os.path.isfile(path):
        logger.warning("SAML_TEST_IDP_METADATA=%s does not exist: ignored", path)
        return ""
    return path


def registry_sources(kind: str) -> dict:
    """IdP metadata from membership.idp_registry (imported lazily: it may not exist yet)."""
    try:
        registry = importlib.import_module("membership.idp_registry")
    except ImportError:
        logger.warning("membership.idp_registry is missing: no IdP is trusted for %s", kind)
        return {}
    try:
        sources = registry.metadata_sources(kind) or {}
    except Exception:
        logger.exception("membership.idp_registry.metadata_sources(%r) failed", kind)
        return {}
    return {key: list(value) for key, value in sources.items() if value}


def metadata_sources(kind: str) -> dict:
    sources = registry_sources(kind)
    test_file = test_idp_metadata_file()
    if test_file:
        sources.setdefault("local", []).append(test_file)
    return sources


def build_config_dict(kind: str) -> dict:
    key_file, cert_file = key_and_certificate()
    acs = endpoint(kind, "acs")
    ls = endpoint(kind, "ls")
    return {
        "entityid": entity_id(kind),
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "metadata": metadata_sources(kind),
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SAML_CLOCK_SKEW,
        "service": {
            "sp": {
                "name": SERVICE_NAMES[kind],
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "name_id_policy_format": NAMEID_FORMAT_TRANSIENT,
                "name_id_format_allow_create": False,
                "endpoints": {
                    "assertion_consumer_service": [(acs, saml2.BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (ls, saml2.BINDING_HTTP_POST),
                        (ls, saml2.BINDING_HTTP_REDIRECT),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "only_use_keys_in_metadata": True,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "force_authn": requested_level(kind) >= 2,
            }
        },
    }


def _signature(kind: str) -> tuple:
    sources = metadata_sources(kind)
    stamps = []
    for path in sources.get("local", []):
        try:
            stamps.append((path, os.path.getmtime(path)))
        except OSError:
            stamps.append((path, None))
    return (
        kind,
        settings.SAML_BASE_URL,
        entity_id(kind),
        settings.SAML_KEY_FILE,
        settings.SAML_CERT_FILE,
        requested_level(kind),
        repr(sorted((k, v) for k, v in sources.items() if k != "local")),
        tuple(stamps),
    )


def build_config(kind: str) -> SPConfig:
    """The SP configuration for kind ("spid" or "cie"); cached while its inputs are unchanged."""
    if kind not in KINDS:
        raise ValueError(f"Unknown SAML kind: {kind}")
    signature = _signature(kind)
    with _lock:
        conf = _cache.get(signature)
        if conf is None:
            conf = SPConfig()
            conf.load(copy.deepcopy(build_config_dict(kind)))
            # pysaml2 enforces signatures on incoming *requests* (for an SP: the IdP's
            # LogoutRequest, either binding) only through this IdP-side flag; SPID wants them
            # signed, so set it on the SP configuration too.
            conf.setattr("idp", "want_authn_requests_signed", True)
            if len(_cache) > 8:
                _cache.clear()
            _cache[signature] = conf
    return conf


def kind_for_request(request) -> str:
    if request is not None:
        explicit = getattr(request, "saml_kind", None)
        if explicit in KINDS:
            return explicit
        if request.path.startswith("/cie/"):
            return "cie"
        if request.path.startswith("/spid/"):
            return "spid"
        session = getattr(request, "saml_session", None)
        if session is not None and session.get("saml_kind") in KINDS:
            return session["saml_kind"]
    return "spid"


def config_loader(request=None) -> SPConfig:
    """djangosaml2's SAML_CONFIG_LOADER: the SPID or CIE configuration for this request."""
    return build_config(kind_for_request(request))
