"""Bad input gives a normal page (and a normal JSON answer), never a 500; nothing typed is lost."""

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "",
    "   ",
    "x" * 1200,
    "parola " * 300,
    "\" OR ( AND -- ' ; \x00",
    "🔍🦆 ✨",
    "\x00\x00\x00",
    "ciao\x00mondo",
    "<script>alert(1)</script>",
    "%' OR 1=1 --",
    "title:foo* AND -bar",
    "\\",
    "a",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_results_page_answers_normally(client, site_tree, query):
    response = client.get("/cerca/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    shown = response.context["search_query"]
    assert "\x00" not in shown
    if query.strip() and "\x00" not in query:
        # What was typed is shown back (up to 2,000 characters).
        assert shown == " ".join(query.split())[:2000]


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize("url", ["/api/search/", "/api/search/autocomplete/"])
def test_api_answers_normally(client, site_tree, query, url):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json()["results"], list)


def test_overlong_query_is_searched_cut_and_the_visitor_told(client, site_tree):
    response = client.get("/cerca/", {"q": "sicurezza " * 150})
    html = response.content.decode()
    assert "Only the first 200 characters were searched." in html or "200 caratteri" in html
    assert response.context["notes"]["truncated"]
    data = client.get("/api/search/", {"q": "sicurezza " * 150}).json()
    assert data["truncated"] is True
    assert len(data["searched"]) <= 200


def test_operators_only_query_gets_a_message(client, site_tree):
    data = client.get("/api/search/", {"q": "AND OR --"}).json()
    assert data["count"] == 0
    assert data["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-4"},
        {"page": "999999999999"},
        {"page": ""},
        {"type": "nonsense"},
        {"type": "<b>"},
        {"sort": "random"},
        {"tag": "<script>" * 50},
        {"tag": "\x00"},
        {"lang": "xx"},
    ],
)
def test_odd_parameters_fall_back(client, site_tree, params):
    for url in ("/cerca/", "/api/search/"):
        response = client.get(url, {"q": "comuni", **params})
        assert response.status_code == 200, (url, params)
    assert b"<script><script>" not in client.get("/cerca/", {"q": "x", **params}).content


def test_post_is_refused_not_crashed(client, site_tree):
    assert client.post("/api/search/", {"q": "x"}).status_code == 405
