"""Open Badges 3.0 credentials: building, signing and verifying them, the issuer's DID document
and the revocation status list. The data model and the ``eddsa-rdfc-2022`` Data Integrity proof
come from ``openbadgeslib`` (``[ldp]``: pyld canonicalisation, Ed25519 from ``cryptography``);
``make verify-badges`` checks what it issues with an independent verifier (Digital Bazaar's
JavaScript libraries, ``tools/verify_badges.mjs``).

The issuer is the portal, ``did:web:<host of BASE_URL>``: its DID document
(``/.well-known/did.json``) publishes the current signing key and the previous ones (key
rotation, ``docs/deploy.md``). Nothing here fetches anything from the network: verifying a
credential resolves the portal's own DID document locally.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openbadgeslib.ob3 import (
    Achievement,
    IdentityObject,
    Issuer,
    OB3LdpSigner,
    OB3LdpVerifier,
    OB3VerificationError,
    OpenBadgeCredential,
    add_data_integrity_proof,
    build_status_list_credential,
    multikey_from_pem,
    status_entry,
)

logger = logging.getLogger("academy")

#: Paths of the public, language-independent documents (``academy.urls.public_urlpatterns``).
DID_PATH = "/.well-known/did.json"
STATUS_LIST_PATH = "/accademia/badge/stato/revoca/"
BADGE_PATH = "/accademia/badge/{uuid}/"
ACHIEVEMENT_PATH = "/accademia/badge/classi/{code}/"
ACHIEVEMENT_IMAGE_PATH = "/accademia/badge/classi/{code}/immagine.svg"
ISSUER_PROFILE_PATH = "/accademia/"

#: Bits in the revocation list (Bitstring Status List's minimum, 16 KB before compression).
STATUS_LIST_BITS = 131072

_lock = threading.Lock()


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


def badge_url(badge) -> str:
    """The badge's public verification page: the credential's ``id``."""
    return absolute(BADGE_PATH.format(uuid=badge.uuid))


def issuer_did() -> str:
    """``did:web`` of the portal's host (a port is percent-encoded, as did:web says)."""
    netloc = urlsplit(base_url()).netloc
    return "did:web:" + quote(netloc, safe="")


def did_document_url(did: str | None = None) -> str:
    netloc = (did or issuer_did())[len("did:web:") :]
    return "https://" + netloc.replace("%3A", ":").replace("%3a", ":") + DID_PATH


# --- Keys ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_pem: bytes
    public_pem: bytes

    @property
    def verification_method(self) -> str:
        return f"{issuer_did()}#{self.key_id}"


def _public_pem(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate_key(path: Path) -> None:
    """Write a new Ed25519 private key (PKCS#8 PEM, mode 0600) to ``path``."""
    private = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.touch(mode=0o600, exist_ok=True)
    path.write_bytes(data)


_cached_key: SigningKey | None = None


def signing_key() -> SigningKey:
    """The current signing key, from ``ACADEMY_BADGE_KEY_FILE``. Development and test settings
    create the file on first use (``ACADEMY_BADGE_KEY_AUTOCREATE``); production refuses to
    start without it (``cms.settings.production``)."""
    global _cached_key
    path = Path(settings.ACADEMY_BADGE_KEY_FILE)
    key_id = settings.ACADEMY_BADGE_KEY_ID
    with _lock:
        if (
            _cached_key is not None
            and _cached_key.key_id == key_id
            and getattr(_cached_key, "_path", None) == path
        ):
            return _cached_key
        if not path.exists():
            if not settings.ACADEMY_BADGE_KEY_AUTOCREATE:
                raise ImproperlyConfigured(
                    f"ACADEMY_BADGE_KEY_FILE ({path}) does not exist: see docs/deploy.md."
                )
            generate_key(path)
            logger.warning("Created a new Open Badges signing key at %s", path)
        private_pem = path.read_bytes()
        private = serialization.load_pem_private_key(private_pem, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ImproperlyConfigured("ACADEMY_BADGE_KEY_FILE must hold an Ed25519 private key.")
        key = SigningKey(key_id, private_pem, _public_pem(private))
        object.__setattr__(key, "_path", path)
        _cached_key = key
        return key


def previous_keys() -> list[tuple[str, bytes]]:
    """``(key id, public PEM)`` of the retired keys still published
    (``ACADEMY_BADGE_PREVIOUS_KEYS``: ``{"key id": "path/to/public.pem"}``), so that the badges
    they signed keep verifying."""
    keys = []
    for key_id, path in (settings.ACADEMY_BADGE_PREVIOUS_KEYS or {}).items():
        pem = Path(path).read_bytes()
        public = serialization.load_pem_public_key(pem)
        if not isinstance(public, Ed25519PublicKey):
            raise ImproperlyConfigured(f"The previous badge key {key_id} is not Ed25519.")
        keys.append((key_id, pem))
    return keys


def did_document() -> dict:
    """The portal's DID document: every published key as a ``Multikey``, each an
    ``assertionMethod`` (what ``eddsa-rdfc-2022`` proofs of credentials use)."""
    did = issuer_did()
    current = signing_key()
    methods = []
    for key_id, public_pem in [(current.key_id, current.public_pem), *previous_keys()]:
        methods.append(
            {
                "id": f"{did}#{key_id}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey_from_pem(public_pem),
            }
        )
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


# --- Issuing ---------------------------------------------------------------------------------


def issuer_profile() -> Issuer:
    return Issuer(
        id=issuer_did(),
        name=settings.ACADEMY_ISSUER_NAME,
        url=absolute(ISSUER_PROFILE_PATH),
    )


def achievement_for(course) -> Achievement:
    """The badge class of ``course``: name, description, criteria (its competences), image."""
    competences = course.competence_list
    narrative = _(
        "Completing the course “%(title)s” (%(hours)s hours). Competences acquired: %(list)s."
    ) % {
        "title": course.title,
        "hours": _hours(course.hours),
        "list": "; ".join(competences),
    }
    return Achievement(
        id=absolute(ACHIEVEMENT_PATH.format(code=course.code)),
        name=course.title,
        description=course.summary or course.title,
        criteria_narrative=narrative,
        image_url=absolute(ACHIEVEMENT_IMAGE_PATH.format(code=course.code)),
        tags=[course.get_area_display(), course.get_level_display()],
        achievement_type="Course",
    )


def _hours(value) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def build_credential(badge, course, email: str) -> OpenBadgeCredential:
    """The unsigned credential of ``badge`` (an ``IssuedBadge`` with its ``uuid``,
    ``issued_at`` and ``status_index`` set) for the member whose address is ``email``: the
    subject is identified by the salted SHA-256 of that address, never the address itself."""
    identifiers = []
    if email:
        identifiers.append(IdentityObject.create(email.strip().lower(), salt=badge.uuid.hex[:16]))
    list_url = absolute(STATUS_LIST_PATH)
    return OpenBadgeCredential(
        issuer=issuer_profile(),
        recipient_id=None,
        achievement=achievement_for(course),
        id=badge_url(badge),
        name=course.title,
        issuance_date=badge.issued_at,
        identifiers=identifiers,
        credits_earned=None,
        credential_status=[status_entry(list_url, "revocation", badge.status_index)],
    )


def sign(credential: OpenBadgeCredential) -> dict:
    key = signing_key()
    signer = OB3LdpSigner(key.private_pem, verification_method=key.verification_method)
    return signer.sign(credential, created=credential.issuance_date)


def resign(document: dict) -> dict:
    """``document`` (a credential this portal issued) signed again with the current key: the
    same content, a new proof (key rotation after a compromise, ``docs/deploy.md``)."""
    key = signing_key()
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    return add_data_integrity_proof(unsigned, key.private_pem, key.verification_method)


def status_list_credential(revoked_indices) -> dict:
    """The signed BitstringStatusListCredential of the revocations (a Data Integrity proof, as
    the badges)."""
    key = signing_key()
    document = build_status_list_credential(
        issuer_did(), absolute(STATUS_LIST_PATH), "revocation", revoked_indices, STATUS_LIST_BITS
    )
    return add_data_integrity_proof(document, key.private_pem, key.verification_method)


# --- Verifying -------------------------------------------------------------------------------


@dataclass
class Verification:
    """What verifying a credential found. ``state``: ``valid``, ``revoked``, ``invalid``."""

    state: str
    message: str
    badge: object = None
    credential: dict | None = None

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"


def _local_download(url: str) -> bytes:
    """Resolve the portal's own DID document without the network; refuse anything else."""
    if url == did_document_url():
        return json.dumps(did_document()).encode()
    raise OB3VerificationError(f"not resolvable offline: {url}")


def parse(data) -> dict:
    """A credential document from JSON text or bytes; ``Invalid``-style ``ValueError`` with an
    Italian message otherwise."""
    if isinstance(data, dict):
        return data
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(_("The file is not a credential (JSON text).")) from error
    try:
        document = json.loads(data)
    except (TypeError, ValueError) as error:
        raise ValueError(_("The text is not a credential: it is not valid JSON.")) from error
    if not isinstance(document, dict):
        raise ValueError(_("The text is not a credential: a JSON object is expected."))
    return document


def verify(document: dict) -> Verification:
    """Verify a credential's proof with the portal's published keys, then its status.

    ``invalid``: not issued by this portal, not signed by one of its keys, or altered after it
    was signed. ``revoked``: authentic but revoked by staff. ``valid`` otherwise."""
    from .models import IssuedBadge

    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != issuer_did():
        return Verification("invalid", _("This credential was not issued by this portal."))
    try:
        OB3LdpVerifier.for_issuer_did(issuer_did()).verify(document, download=_local_download)
    except OB3VerificationError as error:
        logger.info("Badge verification failed: %s", error)
        return Verification(
            "invalid",
            _(
                "The signature does not match the content: the credential was altered after "
                "it was issued, or it was not signed by this portal."
            ),
            credential=document,
        )
    badge_id = str(document.get("id", ""))
    prefix, _sep, rest = badge_id.partition("/accademia/badge/")
    badge = IssuedBadge.objects.filter(uuid__in=_uuid_candidates(rest)).first() if rest else None
    if badge is None:
        return Verification(
            "invalid", _("The portal has no record of this badge."), credential=document
        )
    if badge.is_revoked:
        return Verification(
            "revoked",
            _("The credential is authentic but the badge was revoked on %(date)s.")
            % {"date": badge.revoked_at.date().strftime("%d/%m/%Y")},
            badge=badge,
            credential=document,
        )
    return Verification(
        "valid",
        _("Valid: issued by %(issuer)s and not revoked.")
        % {"issuer": settings.ACADEMY_ISSUER_NAME},
        badge=badge,
        credential=document,
    )


def _uuid_candidates(rest: str) -> list[str]:
    import uuid

    value = rest.strip("/").split("/")[0]
    try:
        return [str(uuid.UUID(value))]
    except ValueError:
        return []
