"""Login-only pages (Wagtail's "private, accessible to logged-in users") never reach anonymous
visitors: not by URL, listing, feed, sitemap, API or search."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import restrict_to_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(site_tree):
    public = factories.NewsPageFactory(
        parent=site_tree.news_index,
        title="Bando aperto ai Comuni",
        slug="bando-aperto",
        summary="zibaldone pubblico",
    )
    private = factories.NewsPageFactory(
        parent=site_tree.news_index,
        title="Verbale riservato agli iscritti",
        slug="verbale",
        summary="zibaldone riservato",
    )
    restrict_to_login(private)
    return public, private


def test_anonymous_is_sent_to_login(client, news):
    _public, private = news
    response = client.get(private.url)
    assert response.status_code == 302
    login_url = reverse("membership:login")
    assert response["Location"].startswith(login_url)
    assert "next=" in response["Location"]


def test_signed_in_user_reads_login_only_page(client, news, member):
    _public, private = news
    client.force_login(member)
    response = client.get(private.url)
    assert response.status_code == 200
    assert "Verbale riservato agli iscritti" in response.text
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_public_page_is_not_marked_private_for_anonymous(client, news):
    public, _private = news
    response = client.get(public.url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_news_listing_hides_login_only_from_anonymous(client, site_tree, news):
    response = client.get(site_tree.news_index.url)
    assert "Bando aperto ai Comuni" in response.text
    assert "Verbale riservato" not in response.text


def test_news_listing_shows_login_only_to_members(client, site_tree, news, member):
    client.force_login(member)
    response = client.get(site_tree.news_index.url)
    assert "Verbale riservato" in response.text


def test_home_page_hides_login_only_from_anonymous(client, site_tree, news):
    response = client.get(site_tree.home.url)
    assert "Bando aperto ai Comuni" in response.text
    assert "Verbale riservato" not in response.text


def test_feeds_never_list_login_only_pages(client, site_tree, news, member):
    client.force_login(member)  # even with a session, feeds are public documents
    for route in ("feed/", "feed/atom/"):
        response = client.get(site_tree.news_index.url + route)
        assert response.status_code == 200
        assert "Bando aperto ai Comuni" in response.text
        assert "Verbale riservato" not in response.text


def test_sitemap_lists_only_public_pages(client, news):
    public, private = news
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert public.slug in response.text
    assert private.slug not in response.text


def test_api_hides_login_only_pages_from_anonymous(client, news):
    public, private = news
    listing = client.get("/api/v2/pages/", {"type": "cms.NewsPage"}).json()
    ids = {item["id"] for item in listing["items"]}
    assert public.pk in ids and private.pk not in ids
    assert listing["meta"]["total_count"] == 1
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    found = client.get("/api/v2/pages/", {"search": "zibaldone"}).json()
    assert {item["id"] for item in found["items"]} == {public.pk}


def test_api_serves_login_only_pages_to_signed_in_users(client, news, member):
    _public, private = news
    client.force_login(member)
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 200


def test_search_hides_login_only_pages_from_anonymous(client, news, member):
    response = client.get(reverse("search"), {"q": "zibaldone"})
    assert response.status_code == 200
    assert "Bando aperto ai Comuni" in response.text
    assert "Verbale riservato" not in response.text
    client.force_login(member)
    response = client.get(reverse("search"), {"q": "zibaldone"})
    assert "Verbale riservato" in response.text
