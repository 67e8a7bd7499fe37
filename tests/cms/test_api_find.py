"""The content API's ``pages/find/?html_path=`` finds pages in both languages (Italian at /,
English under /en/), and never a page the client may not read."""

import pytest
from wagtail.models import Locale

from tests import factories
from tests.communities import factories as community_factories
from tests.communities.conftest import make_member

pytestmark = pytest.mark.django_db

FIND = "/api/v2/pages/find/"


def translate(page, locale):
    copy = page.copy_for_translation(locale)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


@pytest.fixture
def bilingual(site_tree):
    english = Locale.objects.get_or_create(language_code="en")[0]
    tree = site_tree
    tree.news = factories.NewsPageFactory(parent=tree.news_index, title="Bando", slug="bando")
    tree.community = factories.CommunityPageFactory(
        parent=tree.communities, title="Cybersicurezza", slug="cybersicurezza"
    )
    tree.area = community_factories.CommunityAreaPageFactory(parent=tree.community)
    tree.en = {}
    for name in ("home", "news_index", "news", "communities", "community", "area"):
        tree.en[name] = translate(getattr(tree, name), english)
    return tree


def found_id(client, html_path):
    response = client.get(FIND, {"html_path": html_path})
    if response.status_code == 404:
        return None
    assert response.status_code == 302, response.content
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    return detail.json()["id"]


def test_find_italian_and_english_pages(client, bilingual):
    tree = bilingual
    assert found_id(client, "/") == tree.home.pk
    assert found_id(client, "/notizie/bando/") == tree.news.pk
    assert found_id(client, "/en/") == tree.en["home"].pk
    assert found_id(client, "/en/notizie/bando/") == tree.en["news"].pk
    assert found_id(client, "/en/notizie/bando") == tree.en["news"].pk
    assert found_id(client, "/en/non-esiste/") is None
    assert found_id(client, "/de/notizie/bando/") is None


def test_find_keeps_other_query_parameters(client, bilingual):
    response = client.get(FIND, {"html_path": "/en/notizie/bando/", "fields": "title"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/api/v2/pages/{bilingual.en['news'].pk}/?fields=title")


@pytest.mark.parametrize("language_prefix", ["", "/en"])
def test_find_hides_reserved_pages(client, bilingual, language_prefix):
    tree = bilingual
    path = f"{language_prefix}/comunita/cybersicurezza/area-riservata/"
    area = tree.area if not language_prefix else tree.en["area"]
    assert found_id(client, path) is None  # anonymous
    client.force_login(factories.UserFactory())  # signed in, not a member
    assert found_id(client, path) is None
    client.force_login(make_member(tree.community))
    assert found_id(client, path) == area.pk
    client.force_login(community_factories.StaffUserFactory())  # staff: not a member either
    assert found_id(client, path) is None


def test_find_english_pages_as_a_superuser(client, bilingual):
    client.force_login(community_factories.StaffUserFactory(is_superuser=True))
    assert found_id(client, "/en/notizie/bando/") == bilingual.en["news"].pk
    assert (
        found_id(client, "/en/comunita/cybersicurezza/area-riservata/") == bilingual.en["area"].pk
    )
