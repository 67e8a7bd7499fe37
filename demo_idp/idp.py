"""The demo IdP's keys, configuration and metadata (pysaml2's ``saml2.server.Server``).

Two entities share the keys and the views:

- SPID: entity ID ``<BASE_URL>/demo-idp/metadata/``, SSO ``/demo-idp/sso/``, SLO ``/demo-idp/slo/``;
- CIE:  entity ID ``<BASE_URL>/demo-idp/cie/metadata/``, SSO ``/demo-idp/cie/sso/``, …

``BASE_URL`` is ``settings.DEMO_IDP_BASE_URL`` or ``settings.WAGTAILADMIN_BASE_URL``, so the
entity IDs are stable; the endpoints a request actually arrives on are accepted as well.
"""

from __future__ import annotations

import datetime
import fcntl
import threading
from pathlib import Path

from django.conf import settings
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.sigver import security_context
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from membership.idp_registry import IdentityProvider

KINDS = ("spid", "cie")
DISPLAY_NAMES = {
    "spid": "Ambiente dimostrativo (SPID)",
    "cie": "Ambiente dimostrativo (CIE)",
}
ATTRIBUTE_MAP_DIR = str(Path(__file__).resolve().parent / "attributemaps")
SPID_LEVELS = tuple(f"https://www.spid.gov.it/SpidL{level}" for level in (1, 2, 3))
DEFAULT_LEVEL = SPID_LEVELS[1]

_lock = threading.Lock()
_metadata_cache: dict[tuple, str] = {}


# -- keys -------------------------------------------------------------------------------------


def key_dir() -> Path:
    configured = getattr(settings, "DEMO_IDP_KEY_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "demo_idp"


def key_files() -> tuple[str, str]:
    """(private key, certificate) paths; generated on first use, then reused."""
    directory = key_dir()
    key_path, cert_path = directory / "private.key", directory / "public.cert"
    if key_path.exists() and cert_path.exists():
        return str(key_path), str(cert_path)
    directory.mkdir(parents=True, exist_ok=True)
    # One generator across threads (the lock) and processes (flock on a lock file).
    with _lock, open(directory / ".lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            if not (key_path.exists() and cert_path.exists()):
                _generate(key_path, cert_path)
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    return str(key_path), str(cert_path)


def _generate(key_path: Path, cert_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Community dei Comuni Digitali (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Demo identity provider"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    for path, data in (
        (
            key_path,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        ),
        (cert_path, cert.public_bytes(serialization.Encoding.PEM)),
    ):
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_bytes(data)
        temporary.chmod(0o600)
        temporary.replace(path)


# -- entity IDs and endpoints -----------------------------------------------------------------


def base_url() -> str:
    return (getattr(settings, "DEMO_IDP_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip(
        "/"
    )


def prefix(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return "/demo-idp/" if kind == "spid" else "/demo-idp/cie/"


def entity_id(kind: str) -> str:
    return f"{base_url()}{prefix(kind)}metadata/"


def identity_provider(kind: str) -> IdentityProvider:
    return IdentityProvider(entity_id=entity_id(kind), name=DISPLAY_NAMES[kind], logo="")


def config(kind: str, extra_bases=(), sp_metadata: list[str] | None = None) -> IdPConfig:
    """The pysaml2 IdP configuration; ``extra_bases`` adds endpoints (the request's origin)."""
    key_file, cert_file = key_files()
    bases = [base_url(), *(b.rstrip("/") for b in extra_bases if b.rstrip("/") != base_url())]
    path = prefix(kind)
    sso = [
        (f"{b}{path}sso/", binding)
        for b in bases
        for binding in (BINDING_HTTP_REDIRECT, BINDING_HTTP_POST)
    ]
    slo = [
        (f"{b}{path}slo/", binding)
        for b in bases
        for binding in (BINDING_HTTP_REDIRECT, BINDING_HTTP_POST)
    ]
    conf = IdPConfig()
    conf.load(
        {
            "entityid": entity_id(kind),
            "name": DISPLAY_NAMES[kind],
            "description": "Demo identity provider of the Community dei Comuni Digitali",
            "key_file": key_file,
            "cert_file": cert_file,
            "attribute_map_dir": ATTRIBUTE_MAP_DIR,
            "metadata": {"inline": sp_metadata or []},
            "accepted_time_diff": 60,
            "service": {
                "idp": {
                    "name": DISPLAY_NAMES[kind],
                    "endpoints": {"single_sign_on_service": sso, "single_logout_service": slo},
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "want_authn_requests_signed": True,
                    "sign_response": True,
                    "sign_assertion": True,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "name_form": NAME_FORMAT_BASIC,
                            "attribute_restrictions": None,
                        }
                    },
                }
            },
            "organization": {
                "name": [(DISPLAY_NAMES[kind], "it"), (DISPLAY_NAMES[kind], "en")],
                "display_name": [(DISPLAY_NAMES[kind], "it"), (DISPLAY_NAMES[kind], "en")],
                "url": [(f"{base_url()}/", "it"), (f"{base_url()}/", "en")],
            },
        }
    )
    return conf


def server(kind: str, extra_bases=(), sp_metadata: list[str] | None = None) -> Server:
    return Server(config=config(kind, extra_bases, sp_metadata))


def metadata_xml(kind: str) -> str:
    """The IdP's signed metadata (RSA-SHA256), cached per entity ID and certificate."""
    key_file, cert_file = key_files()
    cert_stat = Path(cert_file).stat()
    cache_key = (kind, base_url(), cert_stat.st_mtime_ns, cert_stat.st_size)
    cached = _metadata_cache.get(cache_key)
    if cached:
        return cached
    conf = config(kind)
    descriptor = entity_descriptor(conf)
    # SPID: the IdP publishes WantAuthnRequestsSigned and no encryption key.
    idpsso = descriptor.idpsso_descriptor
    idpsso.want_authn_requests_signed = "true"
    idpsso.key_descriptor = [kd for kd in idpsso.key_descriptor if kd.use != "encryption"]
    for kd in idpsso.key_descriptor:
        kd.use = "signing"
    descriptor.valid_until = None
    descriptor.cache_duration = None
    _eid, xml = sign_entity_descriptor(
        descriptor,
        None,
        security_context(conf),
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    xml = str(xml)
    _metadata_cache[cache_key] = xml
    return xml
