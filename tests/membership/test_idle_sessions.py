"""Idle sessions (issue 12): a signed-in session unused for SESSION_IDLE_TIMEOUT (members) or
STAFF_SESSION_IDLE_TIMEOUT (staff and editors) is signed out; the sign-in page says why and
brings the member back. The stored timestamp is moved back instead of waiting."""

import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from membership.middleware import LAST_ACTIVITY_KEY
from tests import factories

pytestmark = pytest.mark.django_db

SAML = "djangosaml2.backends.Saml2Backend"
EXPIRED = "La sessione è scaduta dopo un periodo di inattività"


@pytest.fixture(
    params=["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    cache.clear()
    return request.param


@pytest.fixture
def member(site_tree):
    return factories.UserFactory()


@pytest.fixture
def editor(site_tree):
    return factories.StaffFactory(is_superuser=True)


def idle_for(client, seconds):
    """The session was last used ``seconds`` ago."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def signed_in(client):
    return "_auth_user_id" in client.session


def test_a_member_is_signed_out_after_the_idle_timeout(client, member, engine, settings):
    client.force_login(member, backend=SAML)
    assert client.get("/profilo/").status_code == 200
    assert isinstance(client.session[LAST_ACTIVITY_KEY], int)

    idle_for(client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/profilo/").status_code == 200
    assert signed_in(client)

    idle_for(client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/profilo/")
    assert response.status_code == 302
    assert response["Location"] == "/accedi/?next=%2Fprofilo%2F"
    assert "no-store" in response["Cache-Control"]
    assert not signed_in(client)

    page = client.get(response["Location"]).content.decode()
    assert EXPIRED in page
    assert 'name="next" value="/profilo/"' in page
    # Said once.
    assert EXPIRED not in client.get("/accedi/").content.decode()
    # Signed out for good: the old page is not reachable any more.
    assert client.get("/profilo/")["Location"].startswith("/accedi/")


def test_staff_have_the_shorter_timeout(client, member, editor, settings):
    staff_timeout = settings.STAFF_SESSION_IDLE_TIMEOUT
    assert 0 < staff_timeout < settings.SESSION_IDLE_TIMEOUT

    client.force_login(member, backend=SAML)
    idle_for(client, staff_timeout + 60)
    assert client.get("/profilo/").status_code == 200  # a member: not yet

    other = client.__class__()
    other.force_login(editor)
    assert other.get("/admin/").status_code == 200
    idle_for(other, staff_timeout + 1)
    response = other.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accedi/?next=%2Fadmin%2Fpages%2F"
    assert not signed_in(other)


def test_api_clients_get_401_with_a_code(client, member):
    client.force_login(member, backend=SAML)
    assert client.get("/api/community/v1/me/memberships/").status_code == 200
    idle_for(client, 10 * 24 * 3600)
    response = client.get("/api/community/v1/me/memberships/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    assert EXPIRED in response.json()["detail"]
    assert not signed_in(client)


def test_an_expired_post_goes_to_sign_in_and_back_to_the_form_page(client, member):
    client.force_login(member, backend=SAML)
    idle_for(client, 10 * 24 * 3600)
    response = client.post(
        "/profilo/", {"office": "x"}, HTTP_REFERER="http://testserver/profilo/?tab=1"
    )
    assert response.status_code == 302
    assert response["Location"] == "/accedi/?next=%2Fprofilo%2F%3Ftab%3D1"
    assert not signed_in(client)


def test_sign_in_page_and_saml_endpoints_still_answer_an_expired_session(client, member):
    client.force_login(member, backend=SAML)
    idle_for(client, 10 * 24 * 3600)
    response = client.get("/accedi/")
    assert response.status_code == 200  # signed out, and told why, on the page itself
    assert EXPIRED in response.content.decode()
    assert not signed_in(client)


def test_activity_is_written_at_most_once_a_minute(client, member):
    client.force_login(member, backend=SAML)
    client.get("/profilo/")
    idle_for(client, 30)
    recent = client.session[LAST_ACTIVITY_KEY]
    client.get("/profilo/")
    assert client.session[LAST_ACTIVITY_KEY] == recent  # not rewritten within the minute
    idle_for(client, 61)
    client.get("/profilo/")
    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 5  # refreshed


def test_zero_switches_the_check_off(client, member, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    client.force_login(member, backend=SAML)
    idle_for(client, 365 * 24 * 3600)
    assert client.get("/profilo/").status_code == 200


def test_anonymous_visitors_get_no_session_and_the_page_cache_works(client, member, site_tree):
    cache.clear()
    news = factories.NewsPageFactory(parent=site_tree.news_index, slug="idle-news")
    with override_settings(PAGE_CACHE_ENABLED=True):
        first = client.get(news.url)
        second = client.get(news.url)
        assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
        assert "Set-Cookie" not in first and not client.cookies

        # An expired member asking for the same page is not served the cached copy as if still
        # signed in, nor stores one: signed out, sent to sign in.
        client.force_login(member, backend=SAML)
        idle_for(client, 10 * 24 * 3600)
        response = client.get(news.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accedi/?next=")
        assert "X-Cache" not in response
