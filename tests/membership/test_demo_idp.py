"""The demo identity provider: signed metadata, identity chooser, SPID-profile responses that
a pysaml2 service provider accepts, single logout; and never in production."""

import base64
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.sigver import CryptoBackendXmlSec1, get_xmlsec_binary
from saml2.xmldsig import SIG_RSA_SHA256

from demo_idp import identities, idp, views
from membership import idp_registry

from . import saml_sp

ROOT = Path(__file__).resolve().parents[2]
NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
}


def hidden_fields(body: str) -> dict:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
    }


@pytest.fixture
def test_sp(tmp_path, monkeypatch, site_tree):
    """A pysaml2 SP trusting the demo IdP; the IdP finds its metadata in-process."""
    sp, metadata = saml_sp.client(tmp_path)
    monkeypatch.setattr(views, "fetch_sp_metadata", lambda kind, request: metadata)
    return sp


def start_login(client, sp, binding=BINDING_HTTP_REDIRECT, relay_state="/notizie/"):
    request_id, info = sp.prepare_for_authenticate(
        entityid=idp.entity_id("spid"),
        relay_state=relay_state,
        binding=binding,
        sigalg=SIG_RSA_SHA256,
        requested_authn_context=None,
    )
    if binding == BINDING_HTTP_REDIRECT:
        location = dict(info["headers"])["Location"]
        response = client.get(location.replace("http://testserver", ""))
    else:
        fields = hidden_fields(info["data"])
        response = client.post("/demo-idp/sso/", fields)
    return request_id, response


def sign_in_as(client, sp, key="nuovo", **kwargs):
    request_id, chooser = start_login(client, sp, **kwargs)
    assert chooser.status_code == 200, chooser.content.decode()[-2000:]
    fields = hidden_fields(chooser.content.decode())
    fields["identity"] = key
    answer = client.post("/demo-idp/sso/", fields)
    assert answer.status_code == 200, answer.content.decode()[-2000:]
    return request_id, answer


def test_fiscal_codes_have_valid_check_characters():
    assert (
        identities.fiscal_code(
            "Rossi", "Mario", __import__("datetime").date(1980, 1, 1), "M", "H501"
        )
        == "RSSMRA80A01H501U"
    )
    codes = [person.fiscal_code for person in identities.IDENTITIES]
    assert len(set(codes)) == len(codes)
    assert all(identities.is_valid_fiscal_code(code) for code in codes)
    roles = {person.role for person in identities.IDENTITIES}
    assert roles == {
        "",
        "registered",
        "participant",
        "designated",
        "wg_member",
        "wg_coordinator",
        "coordinator",
        "support",
    }


def test_metadata_is_valid_and_signed(client, db):
    for path in ("/demo-idp/metadata/", "/demo-idp/cie/metadata/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/samlmetadata+xml")
        parsed = idp_registry.parse_metadata(response.content)
        assert [item.entity_id for item in parsed] == [f"http://testserver{path}"]
        root = SafeET.fromstring(response.content)
        descriptor = root.find("md:IDPSSODescriptor", NS)
        assert descriptor.get("WantAuthnRequestsSigned") == "true"
        assert (
            root.find("ds:Signature/ds:SignedInfo/ds:SignatureMethod", NS).get("Algorithm")
            == SIG_RSA_SHA256
        )
        # The enveloped signature verifies with the published certificate.
        backend = CryptoBackendXmlSec1(get_xmlsec_binary())
        assert backend.validate_signature(
            response.content.decode(),
            cert_file=idp.key_files()[1],
            cert_type="pem",
            node_name="urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            node_id=root.get("ID"),
        )


def test_keys_are_generated_once(settings, tmp_path):
    settings.DEMO_IDP_KEY_DIR = str(tmp_path / "keys")
    first = idp.key_files()
    content = Path(first[1]).read_bytes()
    assert idp.key_files() == first
    assert Path(first[1]).read_bytes() == content
    assert oct(Path(first[0]).stat().st_mode & 0o777) == "0o600"


def test_sso_page_lists_the_demo_identities(client, test_sp):
    _request_id, response = start_login(client, test_sp)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "Ambiente dimostrativo" in body
    for person in identities.IDENTITIES:
        assert f'value="{person.key}"' in body
        assert person.role_label in body


def test_post_binding_authn_request_is_accepted(client, test_sp):
    _request_id, response = start_login(client, test_sp, binding=BINDING_HTTP_POST)
    assert response.status_code == 200
    assert 'name="identity"' in response.content.decode()


def test_unsigned_or_tampered_request_is_refused(client, test_sp):
    request_id, info = test_sp.prepare_for_authenticate(
        entityid=idp.entity_id("spid"), relay_state="/", binding=BINDING_HTTP_REDIRECT
    )
    location = dict(info["headers"])["Location"].replace("http://testserver", "")
    tampered = location.replace("RelayState=%2F", "RelayState=%2Faltro")
    assert client.get(tampered).status_code == 400
    unsigned = re.sub(r"&Signature=[^&]*", "", location)
    assert client.get(unsigned).status_code == 400
    assert client.get("/demo-idp/sso/").status_code == 400


def test_response_validates_as_an_sp_would(client, test_sp):
    request_id, answer = sign_in_as(client, test_sp, key="iscritto")
    body = answer.content.decode()
    assert f'action="{saml_sp.SP_ACS}"' in body
    assert "<noscript>" in body or 'type="submit"' in body
    fields = hidden_fields(body)
    assert fields["RelayState"] == "/notizie/"

    result = test_sp.parse_authn_request_response(
        fields["SAMLResponse"], BINDING_HTTP_POST, outstanding={request_id: "/notizie/"}
    )
    assert result is not None
    person = identities.get("iscritto")
    assert result.ava["fiscalNumber"] == [f"TINIT-{person.fiscal_code}"]
    assert result.ava["name"] == ["Marco"]
    assert result.ava["familyName"] == ["Rossi"]
    assert result.ava["email"] == [person.email]
    assert "mobilePhone" not in result.ava  # only the requested attributes are released

    xml = base64.b64decode(fields["SAMLResponse"])
    root = SafeET.fromstring(xml)
    assertion = root.find("saml:Assertion", NS)
    assert root.get("InResponseTo") == request_id
    assert root.get("Destination") == saml_sp.SP_ACS
    for element in (root, assertion):
        issuer = element.find("saml:Issuer", NS)
        assert issuer.text == idp.entity_id("spid")
        assert issuer.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
        signature = element.find("ds:Signature", NS)
        assert signature is not None, f"{element.tag} is not signed"
        assert (
            signature.find("ds:SignedInfo/ds:SignatureMethod", NS).get("Algorithm")
            == SIG_RSA_SHA256
        )
    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    assert name_id.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    assert name_id.get("NameQualifier") == idp.entity_id("spid")
    confirmation = assertion.find(
        "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS
    )
    assert confirmation.get("Recipient") == saml_sp.SP_ACS
    assert confirmation.get("InResponseTo") == request_id
    assert confirmation.get("NotOnOrAfter")
    audience = assertion.find("saml:Conditions/saml:AudienceRestriction/saml:Audience", NS)
    assert audience.text == saml_sp.SP_ENTITY_ID
    class_ref = assertion.find(
        "saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef", NS
    )
    assert class_ref.text == "https://www.spid.gov.it/SpidL2"
    for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NS):
        assert attribute.get("NameFormat") == "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"


def test_cie_response_carries_the_minimum_dataset(client, tmp_path, monkeypatch, site_tree):
    sp, metadata = saml_sp.client(tmp_path, kind="cie")
    monkeypatch.setattr(views, "fetch_sp_metadata", lambda kind, request: metadata)
    request_id, info = sp.prepare_for_authenticate(
        entityid=idp.entity_id("cie"),
        relay_state="/",
        binding=BINDING_HTTP_REDIRECT,
        sigalg=SIG_RSA_SHA256,
    )
    chooser = client.get(dict(info["headers"])["Location"].replace("http://testserver", ""))
    assert chooser.status_code == 200
    fields = hidden_fields(chooser.content.decode())
    fields["identity"] = "nuovo"
    answer = client.post("/demo-idp/cie/sso/", fields)
    fields = hidden_fields(answer.content.decode())
    result = sp.parse_authn_request_response(
        fields["SAMLResponse"], BINDING_HTTP_POST, outstanding={request_id: "/"}
    )
    person = identities.get("nuovo")
    assert result.ava["dateOfBirth"] == [person.birth_date.isoformat()]
    assert result.ava["fiscalNumber"] == [f"TINIT-{person.fiscal_code}"]
    assert result.assertion.issuer.text == idp.entity_id("cie")


def test_single_logout_answers_with_a_logout_response(client, test_sp):
    request_id, answer = sign_in_as(client, test_sp)
    fields = hidden_fields(answer.content.decode())
    result = test_sp.parse_authn_request_response(
        fields["SAMLResponse"], BINDING_HTTP_POST, outstanding={request_id: "/"}
    )
    name_id = result.assertion.subject.name_id
    _req_id, logout = test_sp.create_logout_request(
        idp.config("spid").endpoint("single_logout_service", BINDING_HTTP_POST, "idp")[0],
        idp.entity_id("spid"),
        name_id=name_id,
        sign=True,
        sign_alg=SIG_RSA_SHA256,
    )
    encoded = base64.b64encode(str(logout).encode()).decode()
    response = client.post("/demo-idp/slo/", {"SAMLRequest": encoded, "RelayState": "/"})
    assert response.status_code == 200, response.content.decode()[-1500:]
    fields = hidden_fields(response.content.decode())
    xml = base64.b64decode(fields["SAMLResponse"])
    root = SafeET.fromstring(xml)
    assert root.tag.endswith("LogoutResponse")
    assert root.find("samlp:Status/samlp:StatusCode", NS).get("Value").endswith(":Success")


def test_registry_includes_the_demo_idp_when_installed(db):
    for kind in ("spid", "cie"):
        providers = idp_registry.identity_providers(kind)
        assert idp.entity_id(kind) in [p.entity_id for p in providers]
        inline = idp_registry.metadata_sources(kind)["inline"]
        assert idp.entity_id(kind) in inline[0]


def test_registry_leaves_the_demo_idp_out_when_disabled(settings):
    settings.DEMO_IDP_ENABLED = False
    for kind in ("spid", "cie"):
        assert "inline" not in idp_registry.metadata_sources(kind)
        assert idp.entity_id(kind) not in [
            p.entity_id for p in idp_registry.identity_providers(kind)
        ]


def test_production_settings_do_not_install_the_demo_idp():
    # No database here: /demo-idp/… falls through to Wagtail's page server (no such page: 404)
    # and the demo IdP's URL names do not exist.
    code = "\n".join(
        [
            "from django.apps import apps",
            "from django.urls import NoReverseMatch, resolve, reverse",
            "from membership import idp_registry as r",
            "print('installed', apps.is_installed('demo_idp'))",
            "print('view', resolve('/demo-idp/sso/').func.__module__)",
            "print('view', resolve('/demo-idp/metadata/').func.__module__)",
            "try:",
            "    reverse('demo_idp:sso')",
            "    print('reverse found')",
            "except NoReverseMatch:",
            "    print('reverse missing')",
            "print('inline', 'inline' in r.metadata_sources('spid'))",
            "print('providers', [p.entity_id for p in r.identity_providers('spid')])",
        ]
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "k3y-" + "Zq9x!Lm2#Rt7" * 6,
            "ALLOWED_HOSTS": "testserver",
            "SAML_KEY_FILE": idp.key_files()[0],
            "SAML_CERT_FILE": idp.key_files()[1],
            "SAML_IPA_CODE": "c_h501",
            "SAML_CONTACT_EMAIL": "spid@example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/5",  # required in production (not contacted)
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installed False" in result.stdout
    assert "inline False" in result.stdout
    assert "reverse missing" in result.stdout
    assert "providers []" in result.stdout
    assert re.findall(r"view (\S+)", result.stdout) == ["wagtail.views", "wagtail.views"]
