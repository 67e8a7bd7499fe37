"""The identity providers the portal trusts, for SPID and for CIE.

IdP metadata ships with the project, one file per IdP, in ``membership/idp_metadata/<kind>/``
(written by ``manage.py refresh_idp_metadata``). Where the demo identity provider (the
``demo_idp`` app, development and tests only) is installed, its metadata is added too.

Public API (the SAML service provider's configuration codes against it):

- ``identity_providers(kind)``: what the sign-in page lists, sorted by name;
- ``metadata_sources(kind)``: pysaml2's ``metadata`` configuration (``local`` files and
  ``inline`` XML strings).

Parsing is cached and re-done only when a file in the directory changes.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 (serialising only; parsing is defused)

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

logger = logging.getLogger("membership.idp_registry")

KINDS = ("spid", "cie")
METADATA_ROOT = Path(__file__).resolve().parent / "idp_metadata"

NS = {
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "mdui": "urn:oasis:names:tc:SAML:metadata:ui",
    "spid": "https://spid.gov.it/saml-extensions",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

SAML_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"


class MetadataError(ValueError):
    """The metadata cannot be trusted as IdP metadata."""


@dataclass(frozen=True)
class IdentityProvider:
    entity_id: str
    name: str
    logo: str = ""  # a static path, or ""


@dataclass(frozen=True)
class IdPMetadata:
    """One IdP's EntityDescriptor, parsed and checked."""

    entity_id: str
    name: str
    signing_certificates: tuple[str, ...]
    sso_locations: tuple[str, ...]
    xml: bytes = field(repr=False)


def _text(element) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _display_name(entity) -> str:
    """OrganizationDisplayName (Italian first), else OrganizationName, else the entity ID."""
    organization = entity.find("md:Organization", NS)
    if organization is not None:
        for tag in ("md:OrganizationDisplayName", "md:OrganizationName"):
            names = organization.findall(tag, NS)
            by_lang = {
                n.get("{http://www.w3.org/XML/1998/namespace}lang", ""): _text(n) for n in names
            }
            for lang in ("it", "en", ""):
                if by_lang.get(lang):
                    return by_lang[lang]
            for name in by_lang.values():
                if name:
                    return name
    return entity.get("entityID", "")


def _check_entity(entity) -> IdPMetadata:
    entity_id = (entity.get("entityID") or "").strip()
    if not entity_id:
        raise MetadataError("an EntityDescriptor has no entityID")
    _check_valid_until(entity_id, entity.get("validUntil"))
    idp = entity.find("md:IDPSSODescriptor", NS)
    if idp is None:
        raise MetadataError(f"{entity_id}: no IDPSSODescriptor")
    if SAML_PROTOCOL not in (idp.get("protocolSupportEnumeration") or ""):
        raise MetadataError(f"{entity_id}: the IDPSSODescriptor does not support SAML 2.0")
    certificates = []
    for descriptor in idp.findall("md:KeyDescriptor", NS):
        if descriptor.get("use", "signing") != "signing":
            continue
        for cert in descriptor.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS):
            value = "".join((cert.text or "").split())
            if value:
                certificates.append(value)
    if not certificates:
        raise MetadataError(f"{entity_id}: no signing certificate")
    _check_certificates(entity_id, certificates)
    sso = tuple(
        location
        for service in idp.findall("md:SingleSignOnService", NS)
        if (location := (service.get("Location") or "").strip())
    )
    if not sso:
        raise MetadataError(f"{entity_id}: no SingleSignOnService")
    return IdPMetadata(
        entity_id=entity_id,
        name=_display_name(entity),
        signing_certificates=tuple(certificates),
        sso_locations=sso,
        xml=ET.tostring(entity, encoding="utf-8", xml_declaration=True),
    )


def _check_valid_until(entity_id: str, value: str | None) -> None:
    """pysaml2 refuses a whole metadata configuration that contains expired metadata."""
    if not value:
        return
    try:
        valid_until = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise MetadataError(f"{entity_id}: unreadable validUntil {value!r}") from error
    if valid_until.tzinfo is None:
        valid_until = valid_until.replace(tzinfo=datetime.UTC)
    if valid_until <= datetime.datetime.now(datetime.UTC):
        raise MetadataError(f"{entity_id}: the metadata expired on {value}")


def _check_certificates(entity_id: str, certificates: list[str]) -> None:
    import base64
    import binascii

    from cryptography import x509

    for value in certificates:
        try:
            x509.load_der_x509_certificate(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError) as error:
            raise MetadataError(f"{entity_id}: a signing certificate cannot be read") from error


def parse_metadata(xml: bytes | str) -> list[IdPMetadata]:
    """Parse an aggregated ``md:EntitiesDescriptor`` or a single ``md:EntityDescriptor``.

    Returns the identity providers it describes; raises ``MetadataError`` when the document is
    not metadata, or when an entity is not a usable IdP (no IDPSSODescriptor, no signing
    certificate, no SSO endpoint). Entities that are not IdPs at all (SPs in a mixed feed) are
    skipped.
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as error:  # DTDs, entity declarations, external references
        raise MetadataError(f"unsafe XML refused: {error}") from error
    except ET.ParseError as error:
        raise MetadataError(f"not well-formed XML: {error}") from error
    if root.tag == f"{{{NS['md']}}}EntityDescriptor":
        entities = [root]
    elif root.tag == f"{{{NS['md']}}}EntitiesDescriptor":
        entities = root.findall(".//md:EntityDescriptor", NS)
        entities = [e for e in entities if e.find("md:IDPSSODescriptor", NS) is not None]
    else:
        raise MetadataError(
            "the root element is neither md:EntitiesDescriptor nor md:EntityDescriptor"
        )
    if not entities:
        raise MetadataError("no identity provider in the document")
    parsed = [_check_entity(entity) for entity in entities]
    seen = set()
    for item in parsed:
        if item.entity_id in seen:
            raise MetadataError(f"{item.entity_id}: described twice")
        seen.add(item.entity_id)
    return parsed


def file_name(entity_id: str) -> str:
    """A stable, readable file name for an entity ID."""
    stem = re.sub(r"^[a-z]+://", "", entity_id.strip().lower())
    stem = re.sub(r"[^a-z0-9.-]+", "_", stem).strip("._-")
    return f"{stem or 'idp'}.xml"


def metadata_dir(kind: str) -> Path:
    if kind not in KINDS:
        raise ValueError(f"unknown identity kind {kind!r} (expected one of {KINDS})")
    return METADATA_ROOT / kind


#: Identity providers that are not metadata files: ``fn(kind)`` returns ``(IdentityProvider,
#: metadata XML)`` or ``None``. The demo IdP registers here when its app is ready — it exists
#: only where dev/demo/test settings install it, never in production.
_EXTRA_PROVIDERS = []


def register_provider(provider) -> None:
    """Trust ``provider(kind)`` (an IdP without a metadata file: the demo IdP)."""
    if provider not in _EXTRA_PROVIDERS:
        _EXTRA_PROVIDERS.append(provider)


# -- cached view of the directory ------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, list[tuple[Path, IdPMetadata]]]] = {}


def _signature(directory: Path) -> tuple:
    if not directory.is_dir():
        return ()
    return tuple(
        sorted(
            (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
            for entry in directory.iterdir()
            if entry.suffix == ".xml" and entry.is_file()
        )
    )


def shipped_metadata(kind: str) -> list[tuple[Path, IdPMetadata]]:
    """The (file, parsed metadata) pairs in the kind's directory, cached until files change."""
    directory = metadata_dir(kind)
    signature = _signature(directory)
    cached = _cache.get(kind)
    if cached and cached[0] == signature:
        return cached[1]
    with _lock:
        result = []
        for name, _mtime, _size in signature:
            path = directory / name
            try:
                items = parse_metadata(path.read_bytes())
            except MetadataError as error:
                # A broken or expired file must not take sign-in down for every other IdP.
                logger.error("IdP metadata %s ignored: %s", path, error)
                continue
            result.extend((path, item) for item in items)
        _cache[kind] = (signature, result)
    return result


def _extra_providers(kind: str) -> list[tuple[IdentityProvider, str]]:
    """``(IdentityProvider, metadata XML)`` of the registered providers offering ``kind``."""
    return [entry for entry in (provider(kind) for provider in _EXTRA_PROVIDERS) if entry]


def identity_providers(kind: str) -> list[IdentityProvider]:
    """The IdPs to offer for ``kind`` ("spid" or "cie"), sorted by display name."""
    providers = [
        IdentityProvider(entity_id=item.entity_id, name=item.name, logo="")
        for _path, item in shipped_metadata(kind)
    ]
    providers.extend(provider for provider, _xml in _extra_providers(kind))
    return sorted(providers, key=lambda p: (p.name.casefold(), p.entity_id))


def get_identity_provider(kind: str, entity_id: str) -> IdentityProvider | None:
    """The trusted IdP with this entity ID, or None."""
    return next((p for p in identity_providers(kind) if p.entity_id == entity_id), None)


def metadata_sources(kind: str) -> dict:
    """pysaml2's ``metadata`` configuration for ``kind``: local files plus inline XML."""
    sources: dict[str, list] = {}
    local = sorted({str(path) for path, _item in shipped_metadata(kind)})
    if local:
        sources["local"] = local
    inline = [xml for _provider, xml in _extra_providers(kind)]
    if inline:
        sources["inline"] = inline
    return sources
