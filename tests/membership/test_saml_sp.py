"""SPID service provider: metadata, AuthnRequest, a full login with a response signed by a
throwaway IdP, and the refusals (tampered, unsigned, expired, replayed, mis-addressed...)."""

import base64
import datetime
import functools
import re
import shutil
import subprocess
import tempfile
import uuid
from importlib import import_module
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from membership.models import UsedAssertion
from membership.saml.views import RELAY_STATES_KEY

XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
IDP = "https://idp.test.example/"
ACS = "http://testserver/spid/acs/"
SP = "http://testserver/spid/metadata/"
NS = {
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "spid": "https://spid.gov.it/saml-extensions",
}
SIG = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#{ref}"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
    "</ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data>"
    "<ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>"
)


@functools.cache
def _private_key(name: str):
    """One RSA key per name for the whole run: generating a 2048-bit key costs a tenth of a
    second, and the tests need distinct keys (the IdP's, a rogue one), not new ones each time."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _keypair(directory: Path, name: str):
    key = _private_key(name)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    body = "".join(cert_file.read_text().splitlines()[1:-1])
    return key_file, cert_file, body


@pytest.fixture
def idp(tmp_path, settings):
    return make_test_idp(tmp_path, settings)


def make_test_idp(tmp_path, settings, entity_id=IDP, name="idp"):
    """A throwaway IdP key (and a rogue one) whose metadata the portal trusts, for SPID and
    CIE alike (``SAML_TEST_IDP_METADATA``)."""
    key, cert, body = _keypair(tmp_path, name)
    rogue = _keypair(tmp_path, f"{name}-rogue")
    metadata = tmp_path / f"{name}.xml"
    metadata.write_text(
        f'<md:EntityDescriptor xmlns:md="{NS["md"]}" entityID="{entity_id}">'
        '<md:IDPSSODescriptor WantAuthnRequestsSigned="true" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f'<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="{NS["ds"]}"><ds:X509Data>'
        f"<ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        "</md:KeyDescriptor>"
        '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{entity_id}slo"/>'
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{entity_id}sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
    )
    settings.SAML_TEST_IDP_METADATA = str(metadata)
    return {"key": key, "cert": cert, "rogue": rogue, "metadata": str(metadata)}


def sign(xml: str, node: str, ref: str, key: Path, cert: Path) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as handle:
        handle.write(xml)
    result = subprocess.run(  # noqa: S603
        [
            XMLSEC,
            "--sign",
            "--privkey-pem",
            f"{key},{cert}",
            "--id-attr:ID",
            node,
            handle.name,
        ],
        check=True,
        capture_output=True,
    )
    Path(handle.name).unlink()
    return result.stdout.decode()


def start_login(client, next_path="/notizie/", kind="spid", idp_entity=IDP):
    response = client.get(f"/{kind}/login/", {"idp": idp_entity, "next": next_path})
    assert response.status_code == 200
    html = response.content.decode()
    saml_request = re.search(r'name="SAMLRequest" value="([^"]+)"', html).group(1)
    xml = base64.b64decode(saml_request).decode()
    return ET.fromstring(xml), html  # noqa: S314


def build_response(
    request_id,
    issued,
    *,
    fiscal="TINIT-RSSMRA80A01H501U",
    name="Mario",
    family="Rossi",
    email="mario.rossi@comune.example.it",
    destination=ACS,
    recipient=ACS,
    audience=SP,
    level="https://www.spid.gov.it/SpidL2",
    not_on_or_after=None,
    issuer=IDP,
    attributes=None,
    assertion_issuer_format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
):
    now = datetime.datetime.now(datetime.UTC)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    not_on_or_after = not_on_or_after or (now + datetime.timedelta(minutes=5)).strftime(fmt)
    response_id, assertion_id = f"_{uuid.uuid4()}", f"_{uuid.uuid4()}"
    attrs = "".join(
        f'<saml:Attribute Name="{k}"><saml:AttributeValue>{v}</saml:AttributeValue>'
        "</saml:Attribute>"
        for k, v in (
            attributes
            if attributes is not None
            else {"name": name, "familyName": family, "fiscalNumber": fiscal, "email": email}
        ).items()
    )
    entity = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
    assertion_format = f' Format="{assertion_issuer_format}"' if assertion_issuer_format else ""
    assertion = (
        f'<saml:Assertion xmlns:saml="{NS["saml"]}" ID="{assertion_id}" '
        f'IssueInstant="{issued}" Version="2.0">'
        f"<saml:Issuer{assertion_format}>{issuer}</saml:Issuer>"
        + SIG.format(ref=assertion_id)
        + "<saml:Subject><saml:NameID Format="
        f'"urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="{IDP}">'
        "_transient</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData InResponseTo="{request_id}" '
        f'NotOnOrAfter="{not_on_or_after}" Recipient="{recipient}"/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{issued}" NotOnOrAfter="{not_on_or_after}">'
        f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{issued}" SessionIndex="_s1"><saml:AuthnContext>'
        f"<saml:AuthnContextClassRef>{level}</saml:AuthnContextClassRef>"
        "</saml:AuthnContext></saml:AuthnStatement>"
        f"<saml:AttributeStatement>{attrs}</saml:AttributeStatement></saml:Assertion>"
    )
    return (
        f'<samlp:Response xmlns:samlp="{NS["samlp"]}" xmlns:saml="{NS["saml"]}" '
        f'ID="{response_id}" Version="2.0" IssueInstant="{issued}" '
        f'Destination="{destination}" InResponseTo="{request_id}">'
        f'<saml:Issuer Format="{entity}">{issuer}</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        f"</samlp:Status>{assertion}</samlp:Response>"
    )


def signed(xml, idp, key=None, cert=None):
    return sign(
        xml,
        "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        "",
        key or idp["key"],
        cert or idp["cert"],
    )


def relay_state_of(html):
    return re.search(r'name="RelayState" value="([^"]*)"', html).group(1)


def post(client, xml, relay="", kind="spid"):
    return client.post(
        f"/{kind}/acs/",
        {"SAMLResponse": base64.b64encode(xml.encode()).decode(), "RelayState": relay},
    )


def login_and_respond(client, idp, next_path="/notizie/", **kwargs):
    """Start a login, answer it, post the answer back with the RelayState the SP sent."""
    request, html = start_login(client, next_path)
    xml = build_response(request.get("ID"), request.get("IssueInstant"), **kwargs)
    return post(client, signed(xml, idp), relay=relay_state_of(html))


def assert_refused(client, response):
    assert response.status_code in (400, 403)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert get_user_model().objects.filter(fiscal_number__isnull=False).count() == 0
    assert "_auth_user_id" not in client.session


# --- metadata and AuthnRequest -----------------------------------------------------------


@pytest.mark.django_db
def test_metadata_has_spid_extensions_and_valid_signature(client, tmp_path):
    response = client.get("/spid/metadata/")
    assert response.status_code == 200
    xml = response.content.decode()
    root = ET.fromstring(xml)  # noqa: S314
    assert root.get("entityID") == SP
    assert root.find("ds:Signature", NS) is not None
    contact = root.find("md:ContactPerson", NS)
    assert contact.get("contactType") == "other"
    assert contact.find("md:Extensions/spid:IPACode", NS).text
    assert contact.find("md:Extensions/spid:Public", NS) is not None
    assert root.find("md:Organization/md:OrganizationName", NS) is not None
    acs = root.find("md:SPSSODescriptor/md:AttributeConsumingService", NS)
    assert acs.get("index") == "0"
    names = {a.get("Name") for a in acs.findall("md:RequestedAttribute", NS)}
    assert names == {"name", "familyName", "fiscalNumber", "email"}
    path = tmp_path / "md.xml"
    path.write_text(xml)
    subprocess.run(  # noqa: S603
        [
            XMLSEC,
            "--verify",
            "--insecure",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            str(path),
        ],
        check=True,
        capture_output=True,
    )


@pytest.mark.django_db
def test_cie_metadata(client):
    xml = client.get("/cie/metadata/").content.decode()
    assert "cartaidentita.interno.gov.it/saml-extensions" in xml
    assert 'contactType="administrative"' in xml


@pytest.mark.django_db
def test_authn_request_follows_spid_rules(client, idp):
    request, html = start_login(client)
    relay_state = relay_state_of(html)
    assert re.fullmatch(r"[0-9a-f]{32}", relay_state)  # opaque: not the next path
    assert "/notizie/" not in html
    issuer = request.find("saml:Issuer", NS)
    assert issuer.text == SP and issuer.get("NameQualifier") == SP
    assert issuer.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
    assert request.get("AttributeConsumingServiceIndex") == "0"
    assert request.get("AssertionConsumerServiceURL") == ACS
    assert request.get("ForceAuthn") == "true"
    policy = request.find("samlp:NameIDPolicy", NS)
    assert policy.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    context = request.find("samlp:RequestedAuthnContext", NS)
    assert context.get("Comparison") == "minimum"
    assert context.find("saml:AuthnContextClassRef", NS).text == "https://www.spid.gov.it/SpidL2"
    method = request.find("ds:Signature/ds:SignedInfo/ds:SignatureMethod", NS)
    assert method.get("Algorithm").endswith("rsa-sha256")


# --- a full login ------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_creates_user_keyed_on_fiscal_number_and_refreshes_names(client, idp):
    response = login_and_respond(client, idp)
    assert response.status_code == 302 and response["Location"] == "/notizie/"
    user = get_user_model().objects.get(fiscal_number="RSSMRA80A01H501U")
    assert user.username == "RSSMRA80A01H501U"
    assert (user.first_name, user.last_name) == ("Mario", "Rossi")
    assert user.last_login_method == "spid"
    assert not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert UsedAssertion.objects.count() == 1

    client.logout()
    login_and_respond(client, idp, name="Maria", family="Bianchi", email="m.b@example.it")
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Maria", "Bianchi", "m.b@example.it")
    assert get_user_model().objects.filter(fiscal_number__isnull=False).count() == 1


# --- RelayState: an opaque token for a next path kept in the session ---------------------


def relay_states_of(client):
    """The RelayState tokens kept in the client's SAML session (djangosaml2's own cookie)."""
    engine = import_module(django_settings.SESSION_ENGINE)
    store = engine.SessionStore(client.cookies[django_settings.SAML_SESSION_COOKIE_NAME].value)
    return store.get(RELAY_STATES_KEY, {})


@pytest.mark.django_db
def test_relay_state_token_resolves_to_the_stored_next_path_once(client, idp):
    request, html = start_login(client, "/notizie/?pagina=2")
    token = relay_state_of(html)
    relay_states = relay_states_of(client)
    assert relay_states[token] == {"request_id": request.get("ID"), "next": "/notizie/?pagina=2"}
    xml = build_response(request.get("ID"), request.get("IssueInstant"))
    response = post(client, signed(xml, idp), relay=token)
    assert response.status_code == 302 and response["Location"] == "/notizie/?pagina=2"
    assert token not in relay_states_of(client)


@pytest.mark.django_db
@pytest.mark.parametrize("relay", ["https://evil.example/", "/notizie/", "", "0" * 32])
def test_unknown_relay_state_goes_home(client, idp, relay):
    """A path (or anything else) in place of the token is never followed."""
    request, _ = start_login(client)
    xml = build_response(request.get("ID"), request.get("IssueInstant"))
    response = post(client, signed(xml, idp), relay=relay)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_relay_state_of_another_request_goes_home(client, idp):
    _, first_html = start_login(client, "/notizie/")
    second, second_html = start_login(client, "/kit/")
    xml = build_response(second.get("ID"), second.get("IssueInstant"))
    response = post(client, signed(xml, idp), relay=relay_state_of(first_html))
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_unsafe_next_is_not_stored(client, idp, next_path):
    response = login_and_respond(client, idp, next_path=next_path)
    assert response.status_code == 302 and response["Location"] == "/"


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_tampered_response_is_refused(client, idp):
    request, _ = start_login(client)
    xml = signed(build_response(request.get("ID"), request.get("IssueInstant")), idp)
    assert_refused(client, post(client, xml.replace("RSSMRA80A01H501U", "BNCMRA80A01H501U")))


@pytest.mark.django_db
def test_unsigned_response_is_refused(client, idp):
    request, _ = start_login(client)
    xml = build_response(request.get("ID"), request.get("IssueInstant"))
    xml = re.sub(r"<ds:Signature.*?</ds:Signature>", "", xml)
    assert_refused(client, post(client, xml))


@pytest.mark.django_db
def test_response_signed_by_another_key_is_refused(client, idp):
    request, _ = start_login(client)
    xml = build_response(request.get("ID"), request.get("IssueInstant"))
    rogue_key, rogue_cert, _ = idp["rogue"]
    assert_refused(client, post(client, signed(xml, idp, rogue_key, rogue_cert)))


@pytest.mark.django_db
def test_expired_response_is_refused(client, idp):
    response = login_and_respond(client, idp, not_on_or_after="2000-01-01T00:00:00Z")
    assert_refused(client, response)


@pytest.mark.django_db
def test_replayed_assertion_is_refused(client, idp):
    request, _ = start_login(client)
    xml = signed(build_response(request.get("ID"), request.get("IssueInstant")), idp)
    assert post(client, xml).status_code == 302
    get_user_model().objects.all().delete()
    client.logout()
    start_login(client)  # a fresh outstanding request does not make the old assertion valid
    assert_refused(client, post(client, xml))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "override",
    [
        {"destination": "http://testserver/elsewhere/"},
        {"recipient": "http://testserver/elsewhere/"},
        {"audience": "https://another-sp.example/"},
        {"issuer": "https://another-idp.example/"},
        {"level": "https://www.spid.gov.it/SpidL1"},
    ],
    ids=["destination", "recipient", "audience", "issuer", "level-too-low"],
)
def test_misaddressed_or_weak_response_is_refused(client, idp, override):
    assert_refused(client, login_and_respond(client, idp, **override))


@pytest.mark.django_db
def test_unknown_in_response_to_is_refused(client, idp):
    start_login(client)
    xml = build_response(
        "_not-a-request", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    assert_refused(client, post(client, signed(xml, idp)))


def test_production_ignores_test_idp(monkeypatch, tmp_path):
    """production.py never trusts spid-sp-test's IdP, and refuses to start without a key."""
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE']='cms.settings.production';"
        "import django; from django.conf import settings;"
        "print(repr(settings.SAML_TEST_IDP_METADATA), settings.SAML_AUTO_CERTIFICATES)"
    )
    key, cert, _ = _keypair(tmp_path, "prod")
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "portal.example",
        "SAML_TEST_IDP_METADATA": str(tmp_path / "idp.xml"),
        "SAML_KEY_FILE": str(key),
        "SAML_CERT_FILE": str(cert),
        "SAML_IPA_CODE": "abc",
        "SAML_CONTACT_EMAIL": "a@b.it",
        "REDIS_URL": "redis://127.0.0.1:6379/5",  # required in production (not contacted)
    }
    import sys

    ok = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)  # noqa: S603
    assert ok.stdout.strip() == "'' False", ok.stderr
    del env["SAML_KEY_FILE"]
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)  # noqa: S603
    assert refused.returncode != 0 and "SAML_KEY_FILE" in refused.stderr
