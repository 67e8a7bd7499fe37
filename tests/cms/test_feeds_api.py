"""Feeds, sitemap and the content API."""

import xml.etree.ElementTree as ET  # noqa: N817

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_items(site_tree):
    items = []
    for n, tag in enumerate(["cybersicurezza", "formazione", "cybersicurezza"]):
        page = factories.NewsPageFactory(
            parent=site_tree.news_index, title=f"Notizia di prova {n}", summary=f"Sommario {n}"
        )
        page.tags.add(tag)
        page.save_revision().publish()
        items.append(page)
    return items


def test_rss_feed_lists_news_newest_first(client, site_tree, news_items):
    response = client.get(site_tree.news_index.url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Notizia di prova 2", "Notizia di prova 1", "Notizia di prova 0"]
    categories = [c.text for c in channel.find("item").findall("category")]
    assert categories == ["cybersicurezza"]


def test_atom_feed(client, site_tree, news_items):
    response = client.get(site_tree.news_index.url + "feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 3


def test_sitemap_lists_every_public_page(client, site_tree, news_items):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    for page in [site_tree.news_index, site_tree.kit_index, *news_items]:
        assert page.slug in response.text


def test_robots_txt_points_to_sitemap(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


@pytest.mark.parametrize(
    ("factory_name", "parent_attr", "fields"),
    [
        ("NewsPageFactory", "news_index", ["date", "summary", "body", "tags", "image"]),
        (
            "KitPageFactory",
            "kit_index",
            ["description", "thematic_area", "target_audience", "documents", "related_kits"],
        ),
        (
            "WebinarPageFactory",
            "webinar_index",
            ["start", "end", "speakers", "registration_url", "recording_url", "materials"],
        ),
    ],
)
def test_api_exposes_page_type_fields(client, site_tree, factory_name, parent_attr, fields):
    page = getattr(factories, factory_name)(parent=getattr(site_tree, parent_attr))
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    for field in fields:
        assert field in data, field


def test_api_exposes_faq_and_home_fields(client, site_tree):
    home = client.get(f"/api/v2/pages/{site_tree.home.pk}/").json()
    assert {"hero_title", "academy_url", "map_url"} <= set(home)
    faq = client.get(f"/api/v2/pages/{site_tree.faq.pk}/").json()
    assert "categories" in faq


def test_api_documents_and_images_answer_json(client, site_tree):
    factories.DocumentFactory(title="Linee guida")
    factories.ImageFactory(title="Logo")
    docs = client.get("/api/v2/documents/").json()
    assert [d["title"] for d in docs["items"]] == ["Linee guida"]
    images = client.get("/api/v2/images/").json()
    assert images["meta"]["total_count"] == 1


def test_api_rejects_unknown_type_with_400(client, site_tree):
    response = client.get("/api/v2/pages/", {"type": "cms.Nonexistent"})
    assert response.status_code == 400
