"""Single logout: SP-initiated (/esci/ -> signed LogoutRequest -> the IdP's LogoutResponse at
/spid/ls/), IdP-initiated (a signed LogoutRequest at /spid/ls/), and local logout.

The IdP is a pysaml2 ``Server`` with the throwaway key of ``test_saml_sp.idp``: it verifies what
the portal sends against the portal's own metadata, and signs what it sends back."""

import base64
import html
import re
from xml.etree import ElementTree as ET  # noqa: S405

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.response import StatusUnknownPrincipal
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .test_saml_sp import IDP, NS, XMLSEC, login_and_respond, make_test_idp

SP = "http://testserver/spid/metadata/"
SP_LS = "http://testserver/spid/ls/"
IDP_SLO = f"{IDP}slo"


def make_idp_server(client, key, cert):
    """A pysaml2 IdP that trusts the portal's SPID metadata and signs with key/cert."""
    sp_metadata = client.get("/spid/metadata/").content.decode()
    config = IdPConfig()
    config.load(
        {
            "entityid": IDP,
            "xmlsec_binary": XMLSEC,
            "key_file": str(key),
            "cert_file": str(cert),
            "metadata": {"inline": [sp_metadata]},
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{IDP}sso", BINDING_HTTP_POST)],
                        "single_logout_service": [(IDP_SLO, BINDING_HTTP_POST)],
                    },
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    # Refuse the portal's LogoutRequest unless it carries a valid signature.
                    "want_authn_requests_signed": True,
                    "logout_requests_signed": True,
                    "logout_responses_signed": True,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                }
            },
        }
    )
    return Server(config=config)


@pytest.fixture(name="idp")
def idp_fixture(tmp_path, settings):
    return make_test_idp(tmp_path, settings)


@pytest.fixture
def idp_server(client, idp):
    return make_idp_server(client, idp["key"], idp["cert"])


def form_fields(body: str) -> dict:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
    }


def form_action(body: str) -> str:
    return html.unescape(re.search(r'<form[^>]*action="([^"]+)"', body).group(1))


def signed_in(client, idp):
    response = login_and_respond(client, idp)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return get_user_model().objects.get(fiscal_number="RSSMRA80A01H501U")


def idp_post(server, message, destination, *, response=False, relay_state=""):
    """The HTTP-POST form fields the IdP's browser would send to the portal."""
    info = server.apply_binding(
        BINDING_HTTP_POST, str(message), destination, relay_state, response=response
    )
    return form_fields(info["data"])


def member_name_id():
    """The transient NameID ``test_saml_sp.build_response`` puts in the assertion."""
    return NameID(format=NAMEID_FORMAT_TRANSIENT, name_qualifier=IDP, text="_transient")


# --- SP-initiated ------------------------------------------------------------------------


@pytest.mark.django_db
def test_sp_initiated_logout_sends_signed_request_and_accepts_the_response(client, idp, idp_server):
    signed_in(client, idp)

    response = client.post("/esci/")

    # The local session is over before the member even reaches the IdP.
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert form_action(body) == IDP_SLO
    fields = form_fields(body)
    xml = base64.b64decode(fields["SAMLRequest"]).decode()
    root = ET.fromstring(xml)  # noqa: S314
    assert root.tag == f"{{{NS['samlp']}}}LogoutRequest"
    assert root.get("Destination") == IDP_SLO
    assert root.find("saml:Issuer", NS).text == SP
    assert root.find("saml:NameID", NS).text == "_transient"
    method = root.find("ds:Signature/ds:SignedInfo/ds:SignatureMethod", NS)
    assert method.get("Algorithm") == SIG_RSA_SHA256

    # The IdP checks the signature against the portal's metadata ...
    logout_request = idp_server.parse_logout_request(fields["SAMLRequest"], BINDING_HTTP_POST)
    assert logout_request is not None
    assert logout_request.message.signature is not None
    assert logout_request.message.issuer.text == SP
    assert logout_request.message.name_id.text == "_transient"

    # ... and answers with a signed LogoutResponse, which lands the member on the home page.
    logout_response = idp_server.create_logout_response(
        logout_request.message, [BINDING_HTTP_POST], sign=True, sign_alg=SIG_RSA_SHA256
    )
    assert "<ds:Signature" in logout_response
    back = client.post("/spid/ls/", idp_post(idp_server, logout_response, SP_LS, response=True))
    assert back.status_code == 302 and back["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_without_saml_session_is_local(client, idp):
    user = get_user_model().objects.create_user(username="staff", password="x")  # noqa: S106
    client.force_login(user)
    response = client.post("/esci/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_when_signed_out_goes_home(client):
    response = client.post("/esci/")
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_get_logout_is_refused(client, idp):
    signed_in(client, idp)
    response = client.get("/esci/")
    assert response.status_code == 405
    assert "_auth_user_id" in client.session


# --- IdP-initiated -----------------------------------------------------------------------


def idp_logout_request(server, *, sign=True, name_id=None):
    """The IdP's LogoutRequest for the signed-in member (``.id``: its ID)."""
    request_id, request = server.create_logout_request(
        SP_LS,
        IDP,
        name_id=name_id or member_name_id(),
        reason="urn:oasis:names:tc:SAML:2.0:logout:user",
        sign=sign,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return LogoutMessage(request, request_id)


class LogoutMessage(str):
    """The XML of a message pysaml2 returned as text, with its ID."""

    def __new__(cls, xml, message_id):
        message = super().__new__(cls, str(xml))
        message.id = message_id
        return message


@pytest.mark.django_db
def test_idp_initiated_logout_ends_session_and_answers_signed(idp, idp_server):
    # The IdP posts cross-site: no CSRF token, and none may be required.
    client = Client(enforce_csrf_checks=True)
    signed_in(client, idp)
    request = idp_logout_request(idp_server)

    response = client.post("/spid/ls/", idp_post(idp_server, request, SP_LS, relay_state="x"))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    body = response.content.decode()
    assert form_action(body) == IDP_SLO
    fields = form_fields(body)
    assert fields["RelayState"] == "x"
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    root = ET.fromstring(xml)  # noqa: S314
    assert root.tag == f"{{{NS['samlp']}}}LogoutResponse"
    method = root.find("ds:Signature/ds:SignedInfo/ds:SignatureMethod", NS)
    assert method.get("Algorithm") == SIG_RSA_SHA256
    assert root.get("InResponseTo") == request.id
    assert root.find("saml:Issuer", NS).text == SP
    status = root.find("samlp:Status/samlp:StatusCode", NS).get("Value")
    assert status == "urn:oasis:names:tc:SAML:2.0:status:Success"
    # Signed with the portal's key: the IdP verifies it against the portal's metadata.
    parsed = idp_server.parse_logout_request_response(fields["SAMLResponse"], BINDING_HTTP_POST)
    assert parsed is not None and parsed.response.signature is not None


def assert_refused_and_still_signed_in(client, response, user_id=None):
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "Uscita non accettata" in body and "Sei ancora collegato" in body
    assert 'name="SAMLResponse"' not in body
    assert "_auth_user_id" in client.session
    if user_id is not None:
        assert client.session["_auth_user_id"] == str(user_id)


@pytest.mark.django_db
def test_idp_logout_request_signed_by_another_key_is_refused(client, idp, idp_server):
    signed_in(client, idp)
    rogue_key, rogue_cert, _ = idp["rogue"]
    rogue = make_idp_server(client, rogue_key, rogue_cert)
    request = idp_logout_request(rogue)
    response = client.post("/spid/ls/", idp_post(rogue, request, SP_LS))
    assert_refused_and_still_signed_in(client, response)


@pytest.mark.django_db
def test_unsigned_idp_logout_request_is_refused(client, idp, idp_server):
    signed_in(client, idp)
    request = idp_logout_request(idp_server, sign=False)
    assert "Signature" not in str(request)
    response = client.post("/spid/ls/", idp_post(idp_server, request, SP_LS))
    assert_refused_and_still_signed_in(client, response)


def idp_redirect(server, request, *, sign):
    info = server.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), SP_LS, "r", sign=sign, sigalg=SIG_RSA_SHA256
    )
    location = dict(info["headers"])["Location"]
    assert location.startswith(SP_LS)
    return location[len("http://testserver") :]


@pytest.mark.django_db
def test_idp_logout_request_by_redirect_needs_its_query_signature(client, idp, idp_server):
    signed_in(client, idp)
    unsigned = idp_logout_request(idp_server, sign=False)
    response = client.get(idp_redirect(idp_server, unsigned, sign=False))
    assert_refused_and_still_signed_in(client, response)

    tampered = idp_redirect(idp_server, idp_logout_request(idp_server, sign=False), sign=True)
    response = client.get(tampered.replace("RelayState=r", "RelayState=x"))
    assert_refused_and_still_signed_in(client, response)

    request = idp_logout_request(idp_server, sign=False)
    response = client.get(idp_redirect(idp_server, request, sign=True))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    fields = form_fields(response.content.decode())
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    assert 'StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"' in xml


@pytest.mark.django_db
def test_idp_logout_request_does_not_end_a_staff_session(client, idp, idp_server):
    """A valid LogoutRequest of the IdP names a SPID subject: it does not end a password
    session (and an attacker holding one of their own could otherwise post it anywhere)."""
    user = get_user_model().objects.create_user(username="staff", password="x")  # noqa: S106
    client.force_login(user)
    request = idp_logout_request(idp_server)
    response = client.post("/spid/ls/", idp_post(idp_server, request, SP_LS))
    assert_refused_and_still_signed_in(client, response, user.pk)


@pytest.mark.django_db
def test_idp_logout_request_without_session_answers_unknown_principal(client, idp, idp_server):
    request = idp_logout_request(idp_server)
    response = client.post("/spid/ls/", idp_post(idp_server, request, SP_LS))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    fields = form_fields(response.content.decode())
    # Signed, and it tells the IdP the member was not known here.
    with pytest.raises(StatusUnknownPrincipal):
        idp_server.parse_logout_request_response(fields["SAMLResponse"], BINDING_HTTP_POST)
    root = ET.fromstring(base64.b64decode(fields["SAMLResponse"]))  # noqa: S314
    assert root.get("InResponseTo") == request.id
    assert root.find("ds:Signature", NS) is not None


@pytest.mark.django_db
def test_logout_response_that_does_not_verify_is_refused(client, idp, idp_server):
    signed_in(client, idp)
    body = client.post("/esci/").content.decode()
    logout_request = idp_server.parse_logout_request(
        form_fields(body)["SAMLRequest"], BINDING_HTTP_POST
    )
    rogue_key, rogue_cert, _ = idp["rogue"]
    rogue = make_idp_server(client, rogue_key, rogue_cert)
    logout_response = rogue.create_logout_response(
        logout_request.message, [BINDING_HTTP_POST], sign=True, sign_alg=SIG_RSA_SHA256
    )
    back = client.post("/spid/ls/", idp_post(rogue, logout_response, SP_LS, response=True))
    assert back.status_code == 400
    assert "_auth_user_id" not in client.session
    # The genuine answer is still accepted afterwards.
    genuine = idp_server.create_logout_response(
        logout_request.message, [BINDING_HTTP_POST], sign=True, sign_alg=SIG_RSA_SHA256
    )
    back = client.post("/spid/ls/", idp_post(idp_server, genuine, SP_LS, response=True))
    assert back.status_code == 302 and back["Location"] == "/"


# --- Logout CSRF: nothing but a valid message about this session ends it (issue 12) -----------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forged",
    [
        {"SAMLResponse": "AAAA"},
        {"SAMLResponse": base64.b64encode(b"<not-xml").decode()},
        {"SAMLRequest": "AAAA"},
        {"RelayState": "/"},
        {},
    ],
)
def test_forged_logout_messages_leave_the_session_intact(client, idp, forged):
    """A link or an auto-submitted form on any site (GET or POST, no CSRF token needed at an
    IdP endpoint) does not sign the member out."""
    user = signed_in(client, idp)
    response = client.get("/spid/ls/", forged)
    assert_refused_and_still_signed_in(client, response, user.pk)
    response = client.post("/spid/ls/", forged)
    assert_refused_and_still_signed_in(client, response, user.pk)
    assert client.get("/cie/ls/", forged).status_code == 400
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_unsolicited_logout_response_leaves_the_session_intact(client, idp, idp_server):
    """A LogoutResponse signed by the IdP, but to a LogoutRequest this browser never sent
    (another member's, replayed here), ends nothing."""
    other = Client()
    signed_in(other, idp)
    body = other.post("/esci/").content.decode()
    logout_request = idp_server.parse_logout_request(
        form_fields(body)["SAMLRequest"], BINDING_HTTP_POST
    )
    logout_response = idp_server.create_logout_response(
        logout_request.message, [BINDING_HTTP_POST], sign=True, sign_alg=SIG_RSA_SHA256
    )
    fields = idp_post(idp_server, logout_response, SP_LS, response=True)

    user = signed_in(client, idp)
    assert_refused_and_still_signed_in(client, client.post("/spid/ls/", fields), user.pk)
    # The browser that sent the request gets its answer accepted, once.
    assert other.post("/spid/ls/", fields).status_code == 302
    assert other.post("/spid/ls/", fields).status_code == 400


@pytest.mark.django_db
def test_unsigned_logout_response_is_refused(client, idp, idp_server):
    signed_in(client, idp)
    body = client.post("/esci/").content.decode()
    logout_request = idp_server.parse_logout_request(
        form_fields(body)["SAMLRequest"], BINDING_HTTP_POST
    )
    unsigned = idp_server.create_logout_response(
        logout_request.message, [BINDING_HTTP_POST], sign=False
    )
    assert "Signature" not in str(unsigned)
    back = client.post("/spid/ls/", idp_post(idp_server, unsigned, SP_LS, response=True))
    assert back.status_code == 400
    # By redirect, the query signature is what counts.
    location = idp_redirect_response(idp_server, unsigned, sign=False)
    assert client.get(location).status_code == 400
    location = idp_redirect_response(idp_server, unsigned, sign=True)
    assert client.get(location.replace("RelayState=r", "RelayState=x")).status_code == 400
    back = client.get(location)
    assert back.status_code == 302 and back["Location"] == "/"


def idp_redirect_response(server, response, *, sign):
    info = server.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        SP_LS,
        "r",
        response=True,
        sign=sign,
        sigalg=SIG_RSA_SHA256,
    )
    location = dict(info["headers"])["Location"]
    assert location.startswith(SP_LS)
    return location[len("http://testserver") :]


@pytest.mark.django_db
def test_idp_logout_request_for_another_member_leaves_the_session_intact(client, idp, idp_server):
    user = signed_in(client, idp)
    someone_else = NameID(format=NAMEID_FORMAT_TRANSIENT, name_qualifier=IDP, text="_other")
    request = idp_logout_request(idp_server, name_id=someone_else)
    response = client.post("/spid/ls/", idp_post(idp_server, request, SP_LS))
    assert_refused_and_still_signed_in(client, response, user.pk)
    # The member's own logout request still ends the session.
    request = idp_logout_request(idp_server)
    response = client.post("/spid/ls/", idp_post(idp_server, request, SP_LS))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
