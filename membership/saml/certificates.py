"""The SP's signing key and certificate.

Production reads them from ``SAML_KEY_FILE`` / ``SAML_CERT_FILE`` (see docs/deploy.md). Dev and
test settings create a self-signed pair with the SPID extensions (the ones
``spid-compliant-certificates`` puts in: agIDcert policies, organizationIdentifier, uri, ...) on
first use, in a git-ignored directory.
"""

import datetime
import logging
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("membership.saml")

KEY_NAME = "sp.key"
CERT_NAME = "sp.crt"

OID_URI = x509.ObjectIdentifier("2.5.4.83")
OID_ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")


def generate_certificate(
    key_path: Path,
    cert_path: Path,
    *,
    entity_id: str,
    organization: str,
    ipa_code: str,
    locality: str,
    common_name: str,
    days: int = 3650,
    key_size: int = 3072,
) -> None:
    """Write a self-signed SPID-profile (public sector) key and certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(OID_URI, entity_id),
            x509.NameAttribute(OID_ORGANIZATION_IDENTIFIER, f"PA:IT-{ipa_code}"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, locality),
        ]
    )
    policies = x509.CertificatePolicies(
        [
            x509.PolicyInformation(
                x509.ObjectIdentifier("1.3.76.16"), [x509.UserNotice(None, "AgIDroot")]
            ),
            x509.PolicyInformation(
                x509.ObjectIdentifier("1.3.76.16.6"), [x509.UserNotice(None, "agIDcert")]
            ),
            x509.PolicyInformation(
                x509.ObjectIdentifier("1.3.76.16.4.2.1"), [x509.UserNotice(None, "cert_SP_Pub")]
            ),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    serial = x509.random_serial_number()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
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
            critical=True,
        )
        .add_extension(policies, critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def ensure_dev_certificates(force: bool = False) -> tuple[Path, Path]:
    """Create the dev/test pair in SAML_CERT_DIR unless it exists (idempotent)."""
    directory = Path(settings.SAML_CERT_DIR)
    key_path, cert_path = directory / KEY_NAME, directory / CERT_NAME
    if force or not (key_path.exists() and cert_path.exists()):
        contact = settings.SAML_CONTACT
        generate_certificate(
            key_path,
            cert_path,
            entity_id=settings.SAML_BASE_URL + "/",
            organization=settings.SAML_ORGANIZATION["name"],
            ipa_code=contact["ipa_code"],
            locality=contact.get("locality", "Roma"),
            common_name=settings.SAML_ORGANIZATION["display_name"],
        )
        logger.info("Created the SAML development key and certificate in %s", directory)
    return key_path, cert_path


def key_and_certificate() -> tuple[str, str]:
    """The key and certificate paths the SP signs with."""
    key_file, cert_file = settings.SAML_KEY_FILE, settings.SAML_CERT_FILE
    if key_file and cert_file:
        return str(key_file), str(cert_file)
    if settings.SAML_AUTO_CERTIFICATES:
        key_path, cert_path = ensure_dev_certificates()
        return str(key_path), str(cert_path)
    raise ImproperlyConfigured("SAML_KEY_FILE and SAML_CERT_FILE must be set.")


def certificate_body(cert_file: str) -> str:
    """The base64 DER of a PEM certificate, as metadata and KeyInfo carry it."""
    pem = Path(cert_file).read_text()
    lines = [line.strip() for line in pem.splitlines() if line and "-----" not in line]
    return "".join(lines)
