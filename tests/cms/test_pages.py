"""Every page type renders, listings filter and paginate, and their query counts stay flat."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def get_ok(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        get_ok(client, url, **params)
    return len(ctx.captured_queries)


def test_home_page_shows_sections(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news_index, title="Nuovo portale online")
    factories.KitPageFactory(parent=site_tree.kit_index, title="Kit sicurezza di base")
    factories.WebinarPageFactory(parent=site_tree.webinar_index, title="Webinar sul cloud")
    factories.CommunityPageFactory(parent=site_tree.communities, title="Cybersicurezza")
    home = site_tree.home
    home.academy_url = "https://academy.example.it/"
    home.map_url = "https://mappa.example.it/"
    home.save()
    response = get_ok(client, "/")
    for text in (
        "Nuovo portale online",
        "Kit sicurezza di base",
        "Webinar sul cloud",
        "Cybersicurezza",
        "https://academy.example.it/",
        "https://mappa.example.it/",
        home.hero_title,
    ):
        assert text in response.text, text


def test_news_page_and_tag_filter(client, site_tree):
    tagged = factories.NewsPageFactory(parent=site_tree.news_index, title="Con etichetta")
    tagged.tags.add("cybersicurezza")
    tagged.save()
    factories.NewsPageFactory(parent=site_tree.news_index, title="Senza etichetta")
    assert "Con etichetta" in get_ok(client, tagged.url).text
    listing = get_ok(client, site_tree.news_index.url, tag="cybersicurezza").text
    assert "Con etichetta" in listing and "Senza etichetta" not in listing
    # An unknown tag or a bad page number is not an error.
    get_ok(client, site_tree.news_index.url, tag="nessuna", page="abc")


def test_news_listing_paginates(client, site_tree):
    for n in range(15):
        factories.NewsPageFactory(parent=site_tree.news_index, title=f"Articolo {n:02d}")
    first = get_ok(client, site_tree.news_index.url).text
    second = get_ok(client, site_tree.news_index.url, page=2).text
    assert "Articolo 14" in first and "Articolo 02" not in first
    assert "Articolo 02" in second and "Articolo 14" not in second


def test_kit_page_shows_documents_with_format_and_size(client, site_tree):
    kit = factories.KitPageFactory(parent=site_tree.kit_index, title="Kit continuità operativa")
    factories.KitDocumentFactory(page=kit, document__title="Piano di continuità")
    related = factories.KitPageFactory(parent=site_tree.kit_index, title="Kit backup")
    kit.related_kits.create(kit=related)
    kit.save()
    text = get_ok(client, kit.url).text
    assert "Piano di continuità" in text
    assert "PDF" in text
    assert "byte" in text.lower()  # the size, e.g. "30 byte"
    assert "Kit backup" in text


def test_kit_index_filters_by_area(client, site_tree):
    factories.KitPageFactory(parent=site_tree.kit_index, title="Kit A", thematic_area="cloud")
    factories.KitPageFactory(parent=site_tree.kit_index, title="Kit B", thematic_area="data")
    text = get_ok(client, site_tree.kit_index.url, area="cloud").text
    assert "Kit A" in text and "Kit B" not in text
    # An unknown area is ignored, not an error.
    text = get_ok(client, site_tree.kit_index.url, area="<script>").text
    assert "Kit A" in text and "Kit B" in text


def test_webinar_index_splits_upcoming_and_past(client, site_tree):
    now = timezone.now()
    factories.WebinarPageFactory(
        parent=site_tree.webinar_index, title="Futuro", start=now + datetime.timedelta(days=3)
    )
    factories.WebinarPageFactory(
        parent=site_tree.webinar_index, title="Passato", start=now - datetime.timedelta(days=30)
    )
    response = get_ok(client, site_tree.webinar_index.url)
    assert [w.title for w in response.context["upcoming"]] == ["Futuro"]
    assert [w.title for w in response.context["past"]] == ["Passato"]


def test_webinar_page_and_ics(client, site_tree):
    # Always upcoming (a past webinar rightly hides its registration link), 10:00 in Rome.
    day = timezone.localdate() + datetime.timedelta(days=30)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    webinar = factories.WebinarPageFactory(
        parent=site_tree.webinar_index,
        title="Il piano di sicurezza",
        start=start,
        registration_url="https://eventi.example.it/iscrizione",
        registration_enabled=False,  # the external link is used when the portal's is off
    )
    text = get_ok(client, webinar.url).text
    assert "Il piano di sicurezza" in text
    assert "https://eventi.example.it/iscrizione" in text
    assert "10:00" in text  # Europe/Rome local time
    response = get_ok(client, webinar.url + "ics/")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Il piano di sicurezza" in body
    assert f"DTSTART;TZID=Europe/Rome:{day:%Y%m%d}T100000" in body


def test_faq_accordion_anchors_and_json_ld(client, site_tree):
    faq = site_tree.faq
    faq.categories = json.dumps(
        [
            {
                "type": "category",
                "value": {
                    "title": "Accesso",
                    "questions": [
                        {"question": "Come mi registro?", "answer": "<p>Con SPID o CIE.</p>"},
                        {"question": "Come mi registro?", "answer": "<p>Duplicato.</p>"},
                    ],
                },
            },
        ]
    )
    faq.save()
    response = get_ok(client, faq.url)
    assert 'id="come-mi-registro"' in response.text
    assert 'id="come-mi-registro-2"' in response.text
    start = response.text.index('<script type="application/ld+json">')
    end = response.text.index("</script>", start)
    data = json.loads(response.text[start + len('<script type="application/ld+json">') : end])
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == "Come mi registro?"
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Con SPID o CIE."


def test_faq_json_ld_cannot_break_out_of_script(client, site_tree):
    faq = site_tree.faq
    faq.categories = json.dumps(
        [
            {
                "type": "category",
                "value": {
                    "title": "X",
                    "questions": [
                        {"question": "</script><script>alert(1)</script>", "answer": "<p>no</p>"},
                    ],
                },
            },
        ]
    )
    faq.save()
    text = get_ok(client, faq.url).text
    assert "</script><script>alert(1)" not in text


def test_resources_filter_by_type_and_tag(client, site_tree):
    news = factories.NewsPageFactory(parent=site_tree.news_index, title="Notizia risorsa")
    news.tags.add("dati")
    news.save()
    factories.KitPageFactory(parent=site_tree.kit_index, title="Kit risorsa")
    factories.WebinarPageFactory(parent=site_tree.webinar_index, title="Webinar risorsa")
    url = site_tree.resources.url
    text = get_ok(client, url).text
    assert all(t in text for t in ("Notizia risorsa", "Kit risorsa", "Webinar risorsa"))
    text = get_ok(client, url, type="kit").text
    assert "Kit risorsa" in text and "Notizia risorsa" not in text
    text = get_ok(client, url, tag="dati").text
    assert "Notizia risorsa" in text and "Kit risorsa" not in text


def test_standard_and_community_pages_render(client, site_tree):
    page = factories.StandardPageFactory(parent=site_tree.home, title="Note legali")
    assert "Note legali" in get_ok(client, page.url).text
    community = factories.CommunityPageFactory(parent=site_tree.communities, title="Cybersicurezza")
    assert "Cybersicurezza" in get_ok(client, community.url).text
    assert "Cybersicurezza" in get_ok(client, site_tree.communities.url).text


def test_sign_in_and_search_pages_render(client, site_tree):
    assert get_ok(client, "/accedi/").status_code == 200
    assert get_ok(client, "/cerca/", q="").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "a" * 5000,
        "AND OR NOT",
        '"unterminated',
        "*?:()[]{}^~",
        "%00\x00",
        "<script>alert(1)</script>",
        "città'; DROP",
    ],
)
def test_search_never_fails_on_odd_input(client, site_tree, query):
    response = client.get("/cerca/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_english_home_when_translated(client, site_tree):
    from wagtail.models import Locale

    english = Locale.objects.create(language_code="en")
    home_en = site_tree.home.copy_for_translation(english)
    home_en.title = "Digital Municipalities Community"
    home_en.save_revision().publish()
    response = get_ok(client, "/en/")
    assert 'lang="en"' in response.text
    assert "Digital Municipalities Community" in response.text


def test_unknown_page_is_a_404_page(client, site_tree):
    response = client.get("/non-esiste/")
    assert response.status_code == 404


# --- Query-count budgets: listings must not grow with the number of items. -----------------

# Measured (anonymous, page cache off): home 8, indexes 9, resources 13, communities 7; the
# page chrome's shared data comes from cms/snapshots.py.
LISTINGS = {
    "home": (lambda t: t.home.url, 11),
    "news_index": (lambda t: t.news_index.url, 12),
    "kit_index": (lambda t: t.kit_index.url, 12),
    "webinar_index": (lambda t: t.webinar_index.url, 12),
    "resources": (lambda t: t.resources.url, 16),
    "communities": (lambda t: t.communities.url, 10),
}


def add_items(tree, n, start):
    for i in range(start, start + n):
        news = factories.NewsPageFactory(
            parent=tree.news_index, title=f"N{i}", image=factories.ImageFactory()
        )
        news.tags.add(f"tag{i % 3}")
        news.save()
        kit = factories.KitPageFactory(parent=tree.kit_index, title=f"K{i}")
        factories.KitDocumentFactory(page=kit)
        kit.tags.add(f"tag{i % 3}")
        kit.save()
        factories.WebinarPageFactory(parent=tree.webinar_index, title=f"W{i}")
        factories.WebinarPageFactory(
            parent=tree.webinar_index,
            title=f"WP{i}",
            start=timezone.now() - datetime.timedelta(days=i + 1),
        )
        factories.CommunityPageFactory(parent=tree.communities, title=f"C{i}")


def test_listing_query_count_is_flat(client, site_tree, django_assert_max_num_queries):
    """Every listing, measured on one set of items (building 60 pages with images once, not once
    per listing): the same queries with 2 items as with 12, within the listing's budget."""
    urls = {name: url_of(site_tree) for name, (url_of, _budget) in LISTINGS.items()}
    add_items(site_tree, 2, 0)
    few = {}
    for name, url in urls.items():
        get_ok(client, url)  # warm caches (site root, renditions)
        few[name] = count_queries(client, url)
    add_items(site_tree, 10, 2)
    for name, url in urls.items():
        get_ok(client, url)  # first render creates the new image renditions
        many = count_queries(client, url)
        assert many == few[name], f"{name}: {few[name]} queries with 2 items, {many} with 12"
        with django_assert_max_num_queries(LISTINGS[name][1]):
            get_ok(client, url)
