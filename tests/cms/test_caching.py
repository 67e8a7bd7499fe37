"""The page cache (cms/cache.py): anonymous public pages are stored and served from the shared
cache, invalidated on publish/unpublish/move/restriction; nothing private ever is."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from wagtail.models import PageViewRestriction

from tests import factories
from tests.conftest import restrict_to_login

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("page_cache"),
]


@pytest.fixture
def page_cache():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_MAX_AGE=60):
        yield
    cache.clear()


@pytest.fixture
def news(site_tree):
    return factories.NewsPageFactory(
        parent=site_tree.news_index,
        title="Bando per la cybersicurezza dei Comuni",
        slug="bando-cyber",
    )


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part}


def test_anonymous_public_page_is_stored_then_served_from_the_cache(client, news):
    first = client.get(news.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    assert "public" in cache_control(first)
    assert "max-age=60" in cache_control(first)
    assert "cookie" in vary(first)
    # The language is in the URL (i18n_patterns): Accept-Language does not change the page.
    assert "accept-language" not in vary(first)
    assert "Set-Cookie" not in first

    second = client.get(news.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "public" in cache_control(second)


def test_head_is_answered_from_the_stored_get(client, news):
    client.get(news.url)
    head = client.head(news.url)
    assert head.status_code == 200
    assert head["X-Cache"] == "HIT"
    assert head.content == b""


def test_languages_and_query_strings_are_separate_entries(client, site_tree, news):
    client.get(site_tree.news_index.url)
    assert client.get(site_tree.news_index.url + "?page=2")["X-Cache"] == "MISS"
    assert client.get(site_tree.news_index.url)["X-Cache"] == "HIT"


def test_signed_in_user_is_never_served_nor_stores_a_shared_copy(client, news, member):
    member.first_name, member.last_name = "Ottavia", "Zanardelli"
    member.save()
    # An anonymous copy exists...
    assert client.get(news.url)["X-Cache"] == "MISS"
    client.force_login(member)
    signed_in = client.get(news.url)
    # ...but the member gets their own page, private and never stored.
    assert signed_in.status_code == 200
    assert "X-Cache" not in signed_in
    assert {"private", "no-store"} <= cache_control(signed_in)
    assert "public" not in cache_control(signed_in)
    assert "Zanardelli" in signed_in.text
    # Nothing the member saw reached the cache: anonymous visitors never see their name.
    client.logout()
    anonymous = client.get(news.url)
    assert anonymous["X-Cache"] == "HIT"
    assert "Zanardelli" not in anonymous.text


def test_signed_in_user_first_does_not_populate_the_cache(client, news, member):
    client.force_login(member)
    assert "X-Cache" not in client.get(news.url)
    client.logout()
    assert client.get(news.url)["X-Cache"] == "MISS"


def test_any_session_cookie_bypasses_the_cache(client, news):
    client.get(news.url)
    client.cookies["sessionid"] = "not-a-real-session"
    response = client.get(news.url)
    assert response.status_code == 200
    assert "X-Cache" not in response


def test_restricted_page_is_private_and_never_stored(client, site_tree, member):
    page = factories.NewsPageFactory(parent=site_tree.news_index, slug="verbale")
    restrict_to_login(page)
    anonymous = client.get(page.url)
    assert anonymous.status_code == 302
    assert "X-Cache" not in anonymous
    assert {"private", "no-store"} <= cache_control(anonymous)
    client.force_login(member)
    signed_in = client.get(page.url)
    assert signed_in.status_code == 200
    assert {"private", "no-store"} <= cache_control(signed_in)
    assert "X-Cache" not in signed_in
    client.logout()
    assert client.get(page.url).status_code == 302


def test_restricting_a_cached_page_removes_it_from_the_cache(client, news):
    assert client.get(news.url)["X-Cache"] == "MISS"
    restrict_to_login(news)
    response = client.get(news.url)
    assert response.status_code == 302
    assert "X-Cache" not in response


def test_publishing_a_page_invalidates_it_and_the_pages_that_list_it(client, site_tree, news):
    urls = [news.url, site_tree.news_index.url, site_tree.home.url]
    for url in urls:
        assert client.get(url)["X-Cache"] == "MISS"
        assert client.get(url)["X-Cache"] == "HIT"

    news.title = "Bando riaperto fino a dicembre"
    news.save_revision().publish()

    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Bando riaperto fino a dicembre" in response.text, url
        assert client.get(url)["X-Cache"] == "HIT"


def test_publishing_a_new_child_invalidates_its_listing(client, site_tree, news):
    client.get(site_tree.news_index.url)
    fresh = factories.NewsPageFactory(
        parent=site_tree.news_index, title="Webinar sul PNRR", slug="pnrr", live=False
    )
    fresh.save_revision().publish()
    listing = client.get(site_tree.news_index.url)
    assert listing["X-Cache"] == "MISS"
    assert "Webinar sul PNRR" in listing.text


def test_unpublishing_invalidates(client, site_tree, news):
    assert client.get(news.url).status_code == 200
    assert "Bando per la cybersicurezza" in client.get(site_tree.news_index.url).text
    news.unpublish()
    assert client.get(news.url).status_code == 404
    listing = client.get(site_tree.news_index.url)
    assert "Bando per la cybersicurezza" not in listing.text


def test_moving_invalidates(client, site_tree, news):
    old_url = news.url
    assert client.get(old_url)["X-Cache"] == "MISS"
    other = factories.NewsIndexPageFactory(parent=site_tree.home, title="Archivio", slug="archivio")
    news.move(other, pos="last-child")
    moved = client.get(old_url)
    # Wagtail's automatic redirect to the new address, not the stored page.
    assert moved.status_code == 301
    assert moved["Location"].endswith("/archivio/bando-cyber/")
    assert "X-Cache" not in moved


def test_deleting_invalidates(client, news):
    url = news.url
    client.get(url)
    news.delete()
    assert client.get(url).status_code == 404


def test_group_restricted_page_is_private_for_its_members(client, site_tree, member):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Lettori")
    member.groups.add(group)
    page = factories.NewsPageFactory(parent=site_tree.news_index, slug="riservata")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    client.force_login(member)
    response = client.get(page.url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert "X-Cache" not in response


def test_non_page_views_are_not_stored(client, site_tree):
    response = client.get("/cerca/?q=bando")
    assert "X-Cache" not in response


@override_settings(PAGE_CACHE_ENABLED=False)
def test_disabled_cache_stores_nothing(client, news):
    assert "X-Cache" not in client.get(news.url)
    assert "X-Cache" not in client.get(news.url)
