"""The IdP registry: parsing and validation, the refresh command, the public API."""

import base64
import io
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import load_pem_x509_certificate
from django.core.management import CommandError, call_command
from saml2.config import SPConfig

from membership import idp_registry

from . import saml_sp


def der_b64(cert_file: str) -> str:
    cert = load_pem_x509_certificate(Path(cert_file).read_bytes())
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def entity(entity_id, display_name, cert, *, idp=True, sso=True, org_name=None):
    key = (
        f'<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}'
        "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        if cert
        else ""
    )
    service = (
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="{entity_id}sso"/>'
        if sso
        else ""
    )
    descriptor = (
        '<md:IDPSSODescriptor WantAuthnRequestsSigned="true" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{key}<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
        f"</md:NameIDFormat>{service}</md:IDPSSODescriptor>"
        if idp
        else '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:'
        'protocol"/>'
    )
    return (
        f'<md:EntityDescriptor entityID="{entity_id}">{descriptor}'
        f'<md:Organization><md:OrganizationName xml:lang="it">{org_name or display_name} S.p.A.'
        f'</md:OrganizationName><md:OrganizationDisplayName xml:lang="it">{display_name}'
        '</md:OrganizationDisplayName><md:OrganizationURL xml:lang="it">https://example.org/'
        "</md:OrganizationURL></md:Organization></md:EntityDescriptor>"
    )


def aggregate(*entities):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Name="https://registry.spid.gov.it">'
        + "".join(entities)
        + "</md:EntitiesDescriptor>"
    )


@pytest.fixture
def cert(tmp_path):
    _key, cert_file = saml_sp.make_key_pair(tmp_path)
    return der_b64(cert_file)


@pytest.fixture
def metadata_root(tmp_path, monkeypatch, settings):
    root = tmp_path / "idp_metadata"
    (root / "spid").mkdir(parents=True)
    (root / "cie").mkdir()
    monkeypatch.setattr(idp_registry, "METADATA_ROOT", root)
    idp_registry._cache.clear()
    settings.DEMO_IDP_ENABLED = False
    yield root
    idp_registry._cache.clear()


def refresh(kind, path, *args):
    out = io.StringIO()
    call_command("refresh_idp_metadata", "--kind", kind, str(path), *args, stdout=out)
    return out.getvalue()


def test_parse_aggregate_keeps_idps_and_reads_display_names(cert):
    parsed = idp_registry.parse_metadata(
        aggregate(
            entity("https://id.beta.example/", "Beta ID", cert),
            entity("https://sp.example/", "Some SP", cert, idp=False),
            entity("https://id.alfa.example/", "Alfa ID", cert),
        )
    )
    assert [(p.entity_id, p.name) for p in parsed] == [
        ("https://id.beta.example/", "Beta ID"),
        ("https://id.alfa.example/", "Alfa ID"),
    ]
    assert parsed[0].signing_certificates == (cert,)
    assert parsed[0].sso_locations == ("https://id.beta.example/sso",)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not xml at all", "not well-formed"),
        ("<a/>", "neither"),
        (aggregate(), "no identity provider"),
        (None, "no signing certificate"),
        ("nosso", "no SingleSignOnService"),
        ("badcert", "cannot be read"),
        ("twice", "described twice"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&e;"/>',
            "unsafe",
        ),
    ],
)
def test_invalid_metadata_is_refused(cert, document, message):
    if document is None:
        document = aggregate(entity("https://id.example/", "X", ""))
    elif document == "nosso":
        document = aggregate(entity("https://id.example/", "X", cert, sso=False))
    elif document == "badcert":
        document = aggregate(entity("https://id.example/", "X", "bm90IGEgY2VydA=="))
    elif document == "twice":
        document = aggregate(
            entity("https://id.example/", "X", cert), entity("https://id.example/", "Y", cert)
        )
    with pytest.raises(idp_registry.MetadataError, match=message):
        idp_registry.parse_metadata(document)


def test_refresh_command_writes_one_file_per_idp_idempotently(tmp_path, cert, metadata_root):
    feed = tmp_path / "entities-idp.xml"
    feed.write_text(
        aggregate(
            entity("https://id.beta.example/", "Beta ID", cert),
            entity("https://id.alfa.example/", "Alfa ID", cert),
        )
    )
    output = refresh("spid", feed)
    assert "2 added, 0 updated, 0 removed" in output
    files = sorted(p.name for p in (metadata_root / "spid").glob("*.xml"))
    assert files == ["id.alfa.example.xml", "id.beta.example.xml"]
    # Each file is a standalone EntityDescriptor that parses on its own.
    single = idp_registry.parse_metadata((metadata_root / "spid" / files[0]).read_bytes())
    assert single[0].entity_id == "https://id.alfa.example/"

    before = {p: p.stat().st_mtime_ns for p in (metadata_root / "spid").glob("*.xml")}
    assert "0 added, 0 updated, 0 removed, 2 unchanged" in refresh("spid", feed)
    assert before == {p: p.stat().st_mtime_ns for p in (metadata_root / "spid").glob("*.xml")}

    feed.write_text(
        aggregate(
            entity("https://id.alfa.example/", "Alfa ID nuovo nome", cert),
            entity("https://id.gamma.example/", "Gamma ID", cert),
        )
    )
    output = refresh("spid", feed)
    assert "1 added, 1 updated, 1 removed" in output
    assert "removed: id.beta.example.xml" in output
    names = [p.name for p in idp_registry.identity_providers("spid")]
    assert names == ["Alfa ID nuovo nome", "Gamma ID"]


def test_refresh_command_rejects_invalid_files_and_writes_nothing(tmp_path, cert, metadata_root):
    feed = tmp_path / "bad.xml"
    feed.write_text(aggregate(entity("https://id.example/", "X", cert, sso=False)))
    with pytest.raises(CommandError, match="invalid IdP metadata"):
        refresh("spid", feed)
    with pytest.raises(CommandError, match="no such file"):
        refresh("spid", tmp_path / "missing.xml")
    assert not list((metadata_root / "spid").glob("*.xml"))


def test_single_entity_descriptor_for_cie_and_dry_run(tmp_path, cert, metadata_root):
    document = entity("https://idserver.example/idp/", "CIE ID", cert).replace(
        "<md:EntityDescriptor ",
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ',
        1,
    )
    feed = tmp_path / "cie.xml"
    feed.write_text(document)
    assert "Would write" in refresh("cie", feed, "--dry-run")
    assert not list((metadata_root / "cie").glob("*.xml"))
    refresh("cie", feed)
    assert [p.entity_id for p in idp_registry.identity_providers("cie")] == [
        "https://idserver.example/idp/"
    ]
    assert idp_registry.identity_providers("spid") == []


def test_identity_providers_sorted_by_name_and_cached(tmp_path, cert, metadata_root, monkeypatch):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        aggregate(
            entity("https://z.example/", "zeta ID", cert),
            entity("https://a.example/", "Aruba ID", cert),
            entity("https://p.example/", "Poste ID", cert),
        )
    )
    refresh("spid", feed)
    providers = idp_registry.identity_providers("spid")
    assert [p.name for p in providers] == ["Aruba ID", "Poste ID", "zeta ID"]
    assert providers[0] == idp_registry.IdentityProvider("https://a.example/", "Aruba ID", "")
    with pytest.raises(AttributeError):
        providers[0].name = "changed"  # frozen

    calls = []
    original = idp_registry.parse_metadata
    monkeypatch.setattr(
        idp_registry, "parse_metadata", lambda xml: calls.append(1) or original(xml)
    )
    for _ in range(5):
        idp_registry.identity_providers("spid")
        idp_registry.metadata_sources("spid")
    assert calls == []  # nothing re-parsed while the files are unchanged


def test_metadata_sources_load_into_pysaml2(tmp_path, cert, metadata_root, settings):
    feed = tmp_path / "feed.xml"
    feed.write_text(aggregate(entity("https://id.alfa.example/", "Alfa ID", cert)))
    refresh("spid", feed)
    settings.DEMO_IDP_ENABLED = True
    sources = idp_registry.metadata_sources("spid")
    assert sources["local"] == [str(metadata_root / "spid" / "id.alfa.example.xml")]
    assert len(sources["inline"]) == 1
    conf = SPConfig()
    conf.load(
        {
            "entityid": "http://testserver/sp/",
            "metadata": sources,
            "service": {"sp": {"endpoints": {}}},
        }
    )
    idps = set(conf.metadata.identity_providers())
    assert "https://id.alfa.example/" in idps
    assert any(entity_id.endswith("/demo-idp/metadata/") for entity_id in idps)


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        idp_registry.identity_providers("eidas")


def test_file_names_are_stable_and_safe():
    assert idp_registry.file_name("https://posteid.poste.it") == "posteid.poste.it.xml"
    assert idp_registry.file_name("https://loginspid.aruba.it") == "loginspid.aruba.it.xml"
    assert (
        idp_registry.file_name(
            "https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO"
        )
        == "idserver.servizicie.interno.gov.it_idp_profile_saml2_post_sso.xml"
    )
    assert "/" not in idp_registry.file_name("https://../../etc/passwd")


def test_expired_metadata_is_refused(cert):
    document = aggregate(
        entity("https://id.example/", "X", cert).replace(
            '<md:EntityDescriptor entityID="https://id.example/"',
            '<md:EntityDescriptor entityID="https://id.example/" validUntil="2020-01-01T00:00:00Z"',
        )
    )
    with pytest.raises(idp_registry.MetadataError, match="expired"):
        idp_registry.parse_metadata(document)
    future = document.replace("2020-01-01", "2999-01-01")
    assert idp_registry.parse_metadata(future)[0].entity_id == "https://id.example/"


def test_a_broken_file_is_skipped_not_fatal(tmp_path, cert, metadata_root, caplog):
    feed = tmp_path / "feed.xml"
    feed.write_text(aggregate(entity("https://id.alfa.example/", "Alfa ID", cert)))
    refresh("spid", feed)
    (metadata_root / "spid" / "broken.xml").write_text("<md:EntityDescriptor")
    assert [p.name for p in idp_registry.identity_providers("spid")] == ["Alfa ID"]
    assert idp_registry.metadata_sources("spid")["local"] == [
        str(metadata_root / "spid" / "id.alfa.example.xml")
    ]
    assert "broken.xml ignored" in caplog.text
