"""Security headers (issue 12): Content-Security-Policy (Django's built-in middleware) with a
per-request nonce on the few inline scripts, a report-only script policy for Wagtail's admin,
Permissions-Policy and Referrer-Policy on every response: public pages (cached ones too), member
pages, the APIs, the admin."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NONCE = re.compile(r"'nonce-([^']+)'")


def directives(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def assert_common_headers(response):
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def assert_site_policy(response):
    assert_common_headers(response)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    # No inline script without this response's nonce, no eval, no foreign script.
    assert all(
        source == "'self'" or source.startswith("'nonce-") for source in policy["script-src"]
    ), policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "data:" in policy["img-src"]
    return policy


def nonce_of(response) -> str:
    found = NONCE.search(response["Content-Security-Policy"])
    assert found, response["Content-Security-Policy"]
    return found.group(1)


def inline_scripts(body: str) -> list[str]:
    """The opening tags of the inline (executable) scripts of a page."""
    tags = re.findall(r"<script\b[^>]*>", body)
    return [tag for tag in tags if "src=" not in tag and "application/ld+json" not in tag]


def test_public_page_headers(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    policy = assert_site_policy(response)
    # Public pages have no inline script: no nonce in the policy (so the cached copy of the page
    # and a fresh policy always agree), and the page's own scripts are files from here.
    assert policy["script-src"] == ["'self'"]
    assert inline_scripts(response.content.decode()) == []


def test_cached_public_page_keeps_the_headers(client, site_tree):
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        first = client.get("/")
        second = client.get("/")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert_site_policy(second)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_member_page_headers(client, site_tree):
    member = factories.UserFactory()
    client.force_login(member)
    response = client.get("/profilo/")
    assert response.status_code == 200
    assert_site_policy(response)
    assert "no-store" in response["Cache-Control"]


def test_api_headers(client, site_tree):
    for url in ("/api/v2/pages/", "/api/community/v1/schema/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_site_policy(response)
    refused = client.get("/api/community/v1/communities/")
    assert refused.status_code == 401
    assert_site_policy(refused)
    client.force_login(factories.UserFactory())
    response = client.get("/api/community/v1/communities/")
    assert response.status_code == 200
    assert_site_policy(response)


def test_swagger_ui_runs_its_inline_script_with_the_nonce(client, site_tree):
    """drf-spectacular's Swagger UI page (its template overridden with the nonce)."""
    response = client.get("/api/community/v1/docs/")
    assert response.status_code == 200
    assert_site_policy(response)
    nonce = nonce_of(response)
    body = response.content.decode()
    scripts = inline_scripts(body)
    assert scripts == [f'<script nonce="{nonce}">']
    assert f'<style nonce="{nonce}">' in body
    assert "SwaggerUIBundle(" in body


def test_admin_has_its_own_policy(client, site_tree):
    """Wagtail's admin renders inline scripts of its own (no nonce): enforced there are the rules
    it can live with, the site's script rules are reported only."""
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_common_headers(response)
    enforced = directives(response["Content-Security-Policy"])
    assert "script-src" not in enforced and "default-src" not in enforced
    assert enforced["object-src"] == ["'none'"]
    assert enforced["frame-ancestors"] == ["'self'"]  # the page preview is framed by the admin
    reported = directives(response["Content-Security-Policy-Report-Only"])
    assert reported["script-src"] == ["'self'"]

    admin = factories.StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "script-src" not in directives(response["Content-Security-Policy"])
    assert "Content-Security-Policy-Report-Only" in response
    assert_common_headers(response)


def test_saml_post_page_nonce_matches_the_header(client, site_tree, tmp_path, settings):
    """The auto-submitted form to the identity provider: its one script carries the nonce."""
    from tests.membership.test_saml_sp import IDP, make_test_idp

    make_test_idp(tmp_path, settings)
    response = client.get("/spid/login/", {"idp": IDP, "next": "/"})
    assert response.status_code == 200
    assert_site_policy(response)
    nonce = nonce_of(response)
    body = response.content.decode()
    assert inline_scripts(body) == [f'<script nonce="{nonce}">']
    assert "onload=" not in body
    # A new nonce for every response.
    assert nonce_of(client.get("/spid/login/", {"idp": IDP, "next": "/"})) != nonce


def test_every_inline_script_in_the_templates_carries_the_nonce():
    """No template brings an inline script or event handler that the policy would block."""
    offenders = []
    for folder in ("templates", "demo_idp/templates", "membership", "cms", "communities"):
        for path in (ROOT / folder).rglob("*.html"):
            text = path.read_text()
            for tag in inline_scripts(text):
                if 'nonce="{{ csp_nonce }}"' not in tag:
                    offenders.append(f"{path.relative_to(ROOT)}: {tag}")
            for handler in re.findall(r"<[^>]+\son(?:load|click|change|submit)=", text):
                offenders.append(f"{path.relative_to(ROOT)}: {handler}")
    assert offenders == []


@pytest.mark.parametrize("url", ["/api/community/v1/schema/", "/api/community/v1/docs/"])
def test_api_schema_and_docs_are_private_for_a_signed_in_session(client, site_tree, url):
    """They authenticate nobody (DRF's user is anonymous there), but the browser that asks is
    signed in: PrivateResponseMiddleware asks the session's user."""
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert "private" not in anonymous.get("Cache-Control", "")
    client.force_login(factories.UserFactory())
    response = client.get(url)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert_site_policy(response)
