"""The portal's own SPID/CIE service provider signs people in through the demo IdP."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from demo_idp import identities
from demo_idp import idp as demo


def hidden_fields(body: str) -> dict:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
    }


def saml_form_action(body: str, field: str) -> str:
    """The action of the form that carries the SAML message ``field``."""
    match = re.search(
        rf'<form[^>]*action="([^"]+)"[^>]*>(?:(?!</form>).)*name="{field}"', body, re.DOTALL
    )
    assert match, f"no form carries {field}"
    return html.unescape(match.group(1))


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def follow_saml(client, kind, key, next_url="/"):
    """Sign in with the portal's SP through the demo IdP; return the ACS response."""
    start = client.get(f"/{kind}/login/", {"idp": demo.entity_id(kind), "next": next_url})
    if start.status_code in (301, 302):
        chooser = client.get(local(start["Location"]))
    else:  # HTTP-POST binding: an auto-submitted form
        body = start.content.decode()
        action = saml_form_action(body, "SAMLRequest")
        chooser = client.post(local(action), hidden_fields(body))
    assert chooser.status_code == 200, chooser.content.decode()[-2500:]
    fields = hidden_fields(chooser.content.decode())
    fields["identity"] = key
    answer = client.post(urlsplit(chooser.request["PATH_INFO"]).path, fields)
    assert answer.status_code == 200, answer.content.decode()[-2500:]
    body = answer.content.decode()
    action = saml_form_action(body, "SAMLResponse")
    assert action == f"http://testserver/{kind}/acs/"
    return client.post(local(action), hidden_fields(body))


@pytest.mark.parametrize("kind", ["spid", "cie"])
def test_newcomer_signs_in_and_is_sent_to_registration(client, site_tree, kind):
    response = follow_saml(client, kind, "nuovo", next_url="/notizie/")
    assert response.status_code in (302, 303), response.content.decode()[-2500:]
    person = identities.get("nuovo")
    user = get_user_model().objects.get(fiscal_number=person.fiscal_code)
    assert user.onboarded_at is None
    assert client.session.get("_auth_user_id") == str(user.pk)
    # Wherever the ACS sends the newcomer, the registration gate brings them to onboarding.
    landing = client.get(local(response["Location"]), follow=True)
    assert landing.redirect_chain, "expected to be redirected to registration"
    assert urlsplit(landing.redirect_chain[-1][0]).path == "/registrazione/"
    assert landing.status_code == 200


def test_single_logout_round_trip(client, site_tree):
    follow_saml(client, "spid", "nuovo")
    assert client.session.get("_auth_user_id")
    start = client.post("/esci/")
    if start.status_code in (301, 302):
        assert "/demo-idp/slo/" in start["Location"]
        answer = client.get(local(start["Location"]))
    else:
        body = start.content.decode()
        action = saml_form_action(body, "SAMLRequest")
        assert urlsplit(action).path == "/demo-idp/slo/"
        answer = client.post(local(action), hidden_fields(body))
    assert "_auth_user_id" not in client.session
    # The demo IdP answers with a signed LogoutResponse to the SP's logout service.
    if answer.status_code in (301, 302):
        assert urlsplit(answer["Location"]).path == "/spid/ls/"
        done = client.get(local(answer["Location"]))
    else:
        assert answer.status_code == 200, answer.content.decode()[-2000:]
        body = answer.content.decode()
        action = saml_form_action(body, "SAMLResponse")
        assert urlsplit(action).path == "/spid/ls/"
        done = client.post(local(action), hidden_fields(body))
    assert done.status_code in (302, 303), done.content.decode()[-2000:]
    assert "_auth_user_id" not in client.session
