"""A minimal pysaml2 service provider for testing the demo IdP without the portal's SP."""

import datetime
from pathlib import Path

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from demo_idp import idp

SP_ENTITY_ID = "http://testserver/test-sp/metadata/"
SP_ACS = "http://testserver/test-sp/acs/"
SP_SLS = "http://testserver/test-sp/ls/"


def make_key_pair(directory: Path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test SP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "sp.key", directory / "sp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def sp_config(directory: Path, kind: str = "spid", idp_metadata: list[str] | None = None):
    key_file, cert_file = make_key_pair(directory)
    required = ["fiscalNumber", "name", "familyName"]
    required += ["dateOfBirth"] if kind == "cie" else ["email"]
    conf = SPConfig()
    conf.load(
        {
            "entityid": SP_ENTITY_ID,
            "key_file": key_file,
            "cert_file": cert_file,
            "attribute_map_dir": idp.ATTRIBUTE_MAP_DIR,
            "metadata": {"inline": idp_metadata if idp_metadata is not None else []},
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "name": "Test SP",
                    "endpoints": {
                        "assertion_consumer_service": [(SP_ACS, BINDING_HTTP_POST)],
                        "single_logout_service": [
                            (SP_SLS, BINDING_HTTP_POST),
                            (SP_SLS, BINDING_HTTP_REDIRECT),
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "required_attributes": required,
                    "authn_requests_signed": True,
                    "logout_requests_signed": True,
                    "want_assertions_signed": True,
                    "want_response_signed": True,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                    "allow_unsolicited": False,
                }
            },
        }
    )
    return conf


def metadata_of(conf) -> str:
    return str(entity_descriptor(conf))


def client(directory: Path, kind: str = "spid"):
    """(Saml2Client trusting the demo IdP of ``kind``, the SP's metadata XML)."""
    conf = sp_config(directory, kind, [idp.metadata_xml(kind)])
    return Saml2Client(config=conf), metadata_of(conf)
