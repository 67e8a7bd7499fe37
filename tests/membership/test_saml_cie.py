"""The CIE assertion consumer (/cie/acs/): CIE's minimum dataset signs a member in, and the
SPID and CIE endpoints do not accept each other's answers."""

import pytest
from django.contrib.auth import get_user_model

from membership.saml import conf as saml_conf

from .test_saml_sp import (
    IDP,
    assert_refused,
    build_response,
    make_test_idp,
    post,
    relay_state_of,
    signed,
    start_login,
)

CIE_ACS = "http://testserver/cie/acs/"
CIE_SP = "http://testserver/cie/metadata/"
CIE_IDP = "https://cie-idp.test.example/"
CIE_ATTRIBUTES = {
    "name": "Mario",
    "familyName": "Rossi",
    "fiscalNumber": "TINIT-RSSMRA80A01H501U",
    "dateOfBirth": "1980-01-01",
}


@pytest.fixture(name="idp")
def idp_fixture(tmp_path, settings):
    return make_test_idp(tmp_path, settings)


def cie_response(request, **kwargs):
    values = {
        "destination": CIE_ACS,
        "recipient": CIE_ACS,
        "audience": CIE_SP,
        "attributes": CIE_ATTRIBUTES,
        **kwargs,
    }
    return build_response(request.get("ID"), request.get("IssueInstant"), **values)


@pytest.mark.django_db
def test_cie_authn_request_is_issued_by_the_cie_entity(client, idp):
    request, html = start_login(client, kind="cie")
    assert request.get("AssertionConsumerServiceURL") == CIE_ACS
    issuer = request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
    assert issuer.text == CIE_SP
    assert "/notizie/" not in html


@pytest.mark.django_db
def test_cie_response_signs_in_and_keeps_the_email(client, idp):
    User = get_user_model()
    user = User.objects.create(
        username="RSSMRA80A01H501U",
        fiscal_number="RSSMRA80A01H501U",
        email="mario.rossi@comune.example.it",
        first_name="M.",
    )
    request, html = start_login(client, "/notizie/", kind="cie")
    xml = signed(cie_response(request), idp)
    assert "dateOfBirth" in xml and "email" not in xml

    response = post(client, xml, relay=relay_state_of(html), kind="cie")

    assert response.status_code == 302 and response["Location"] == "/notizie/"
    user.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.last_login_method == "cie"
    assert (user.first_name, user.last_name) == ("Mario", "Rossi")
    assert user.email == "mario.rossi@comune.example.it"  # CIE sends none: not wiped
    assert User.objects.filter(fiscal_number="RSSMRA80A01H501U").count() == 1


@pytest.mark.django_db
def test_cie_response_creates_a_new_member(client, idp):
    request, html = start_login(client, kind="cie")
    response = post(client, signed(cie_response(request), idp), relay_state_of(html), "cie")
    assert response.status_code == 302
    user = get_user_model().objects.get(fiscal_number="RSSMRA80A01H501U")
    assert user.email == "" and user.last_login_method == "cie"


@pytest.mark.django_db
def test_cie_tolerates_an_assertion_issuer_without_format(client, idp):
    """CIE's IdP omits the (SPID-mandatory) Format of the Assertion's Issuer."""
    request, html = start_login(client, kind="cie")
    xml = signed(cie_response(request, assertion_issuer_format=None), idp)
    response = post(client, xml, relay_state_of(html), "cie")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_spid_requires_the_assertion_issuer_format(client, idp):
    request, html = start_login(client)
    xml = build_response(
        request.get("ID"), request.get("IssueInstant"), assertion_issuer_format=None
    )
    assert_refused(client, post(client, signed(xml, idp), relay_state_of(html)))


@pytest.mark.django_db
def test_spid_response_posted_to_the_cie_acs_is_refused(client, idp):
    """An answer to a SPID request (SPID ACS and audience) is not a CIE answer."""
    request, html = start_login(client)  # SPID
    xml = signed(build_response(request.get("ID"), request.get("IssueInstant")), idp)
    assert_refused(client, post(client, xml, relay_state_of(html), kind="cie"))
    # It is still good where it belongs: nothing was consumed by the refusal.
    assert post(client, xml, relay_state_of(html)).status_code == 302


@pytest.mark.django_db
def test_cie_addressed_response_to_a_spid_request_is_refused(client, idp):
    """Even rewritten for CIE (destination, recipient, audience), it answers a SPID request."""
    request, html = start_login(client)  # SPID
    xml = signed(cie_response(request), idp)
    assert_refused(client, post(client, xml, relay_state_of(html), kind="cie"))


@pytest.mark.django_db
def test_cie_response_posted_to_the_spid_acs_is_refused(client, idp):
    request, html = start_login(client, kind="cie")
    xml = signed(cie_response(request), idp)
    assert_refused(client, post(client, xml, relay_state_of(html)))


@pytest.fixture
def federations(tmp_path, settings, monkeypatch):
    """Two IdPs, each trusted by one federation only (as membership.idp_registry does)."""
    spid = make_test_idp(tmp_path, settings)
    cie = make_test_idp(tmp_path, settings, entity_id=CIE_IDP, name="cie-idp")
    settings.SAML_TEST_IDP_METADATA = ""
    trusted = {"spid": [spid["metadata"]], "cie": [cie["metadata"]]}
    monkeypatch.setattr(saml_conf, "registry_sources", lambda kind: {"local": trusted[kind]})
    return {"spid": spid, "cie": cie}


@pytest.mark.django_db
def test_spid_idp_response_posted_to_the_cie_acs_is_refused(client, federations):
    """A SPID IdP's answer (signed with its key, its Issuer) is no CIE answer, even shaped for
    the pending CIE request."""
    request, html = start_login(client, kind="cie", idp_entity=CIE_IDP)
    xml = signed(cie_response(request, issuer=IDP), federations["spid"])
    assert_refused(client, post(client, xml, relay_state_of(html), "cie"))

    # The CIE IdP's own answer to the same request is accepted.
    xml = signed(cie_response(request, issuer=CIE_IDP), federations["cie"])
    assert post(client, xml, relay_state_of(html), "cie").status_code == 302


@pytest.mark.django_db
def test_spid_idp_is_unknown_to_the_cie_login(client, federations):
    response = client.get("/cie/login/", {"idp": IDP, "next": "/"})
    assert response.status_code == 400
