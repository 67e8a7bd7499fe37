"""The sign-in page: SPID and CIE identity providers from the registry, safe ``next``."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from demo_idp import idp as demo
from membership import idp_registry
from membership.views.login import relative_next

pytestmark = pytest.mark.django_db


def idp_links(body: str, kind: str) -> list[dict]:
    links = []
    for href in re.findall(rf'href="(/{kind}/login/\?[^"]+)"', body):
        href = href.replace("&amp;", "&")
        query = parse_qs(urlsplit(href).query)
        links.append({key: values[0] for key, values in query.items()})
    return links


@pytest.fixture
def registry(monkeypatch):
    providers = {
        "spid": [
            idp_registry.IdentityProvider("https://id.alfa.example/", "Alfa ID"),
            idp_registry.IdentityProvider("https://id.beta.example/", "Beta ID"),
        ],
        "cie": [idp_registry.IdentityProvider("https://idserver.example/", "CIE ID")],
    }
    monkeypatch.setattr(idp_registry, "identity_providers", lambda kind: providers[kind])
    return providers


def test_sign_in_page_lists_the_registry_idps(client, site_tree, registry):
    response = client.get("/accedi/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "<details" in body and "<summary" in body  # works without JavaScript
    spid = idp_links(body, "spid")
    assert [link["idp"] for link in spid] == [
        "https://id.alfa.example/",
        "https://id.beta.example/",
    ]
    assert "Alfa ID" in body and "Beta ID" in body
    assert [link["idp"] for link in idp_links(body, "cie")] == ["https://idserver.example/"]
    assert "spid.gov.it" in body and "cartaidentita.interno.gov.it" in body
    # The staff form is still there.
    assert 'name="username"' in body and 'name="password"' in body


def test_demo_idp_is_listed_where_installed(client, site_tree):
    body = client.get("/accedi/").content.decode()
    assert demo.entity_id("spid") in [link["idp"] for link in idp_links(body, "spid")]
    assert demo.entity_id("cie") in [link["idp"] for link in idp_links(body, "cie")]


def test_next_is_propagated_to_every_idp_link(client, site_tree, registry):
    body = client.get("/accedi/", {"next": "/comunita/cybersicurezza/?tab=2"}).content.decode()
    links = idp_links(body, "spid") + idp_links(body, "cie")
    assert len(links) == 3
    assert all(link["next"] == "/comunita/cybersicurezza/?tab=2" for link in links)
    assert 'name="next" value="/comunita/cybersicurezza/?tab=2"' in body


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver/notizie/",
        "javascript:alert(1)",
        "notizie/",
        "/\t/evil.example",
    ],
)
def test_no_open_redirect(client, site_tree, registry, target):
    body = client.get("/accedi/", {"next": target}).content.decode()
    links = idp_links(body, "spid") + idp_links(body, "cie")
    assert links and all("next" not in link for link in links)
    assert 'name="next" value=""' in body
    assert not re.search(r'href="[^"]*(?<![%\w])//evil', body)


def test_staff_sign_in_ignores_absolute_next(client, site_tree, registry, django_user_model):
    django_user_model.objects.create_user(username="redazione", password="s3gret0-Lungo!")
    response = client.post(
        "/accedi/",
        {"username": "redazione", "password": "s3gret0-Lungo!", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_staff_sign_in_follows_relative_next(client, site_tree, registry, django_user_model):
    django_user_model.objects.create_user(username="redazione", password="s3gret0-Lungo!")
    response = client.post(
        "/accedi/",
        {"username": "redazione", "password": "s3gret0-Lungo!", "next": "/notizie/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/notizie/"


def test_relative_next():
    assert relative_next("/a/b/?c=d#e") == "/a/b/?c=d#e"
    for value in ("", None, "//x", "/\\x", "https://x/", "x/", " //x", "/a\nb"):
        assert relative_next(value) == ""


def test_without_idps_the_page_says_so(client, site_tree, monkeypatch):
    monkeypatch.setattr(idp_registry, "identity_providers", lambda kind: [])
    body = client.get("/accedi/").content.decode()
    assert not idp_links(body, "spid") and not idp_links(body, "cie")
    assert 'name="username"' in body
