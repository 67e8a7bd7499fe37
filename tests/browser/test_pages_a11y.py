"""The portal in a real browser: every page type passes axe-core (no serious or critical
violations), the header search works, and login-only pages send visitors to sign in."""

import pytest
from wagtail.models import Page, PageViewRestriction

from academy.models import AcademyPage, CoursePage, CourseSessionPage
from cms.models import HomePage, NewsIndexPage, NewsPage, ResourcesPage, StandardPage
from communities.models import CommunityIndexPage, CommunityPage
from events.models import EventPage
from faq.models import FAQIndexPage
from kits.models import KitIndexPage, KitPage
from webinars.models import WebinarIndexPage, WebinarPage

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_TYPES = [
    HomePage,
    NewsIndexPage,
    NewsPage,
    CommunityIndexPage,
    CommunityPage,
    EventPage,
    KitIndexPage,
    KitPage,
    WebinarIndexPage,
    WebinarPage,
    FAQIndexPage,
    ResourcesPage,
    StandardPage,
    AcademyPage,
    CoursePage,
    CourseSessionPage,
]


def public_url(model):
    page = model.objects.live().public().filter(locale__language_code="it").first()
    assert page is not None, f"the demo has no public {model.__name__}"
    return page.get_url()


def test_every_page_type_passes_axe(live_server, page, demo_site):
    urls = [public_url(model) for model in PAGE_TYPES]
    urls += ["/accedi/", "/calendario/", "/cerca/?q=sicurezza", "/pagina-che-non-esiste/", "/en/"]
    urls += ["/accademia/badge/verifica/"]
    report = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None
        expected = 404 if "non-esiste" in url else 200
        assert response.status == expected, url
        assert page.locator("h1").count() == 1, f"{url}: expected exactly one h1"
        found = axe_violations(page)
        if found:
            report[url] = found
    assert not report, f"axe-core serious/critical violations: {report}"


def test_header_search_finds_and_opens_a_result(live_server, page, demo_site):
    kit = KitPage.objects.live().public().filter(locale__language_code="it").first()
    page.goto(live_server.url + "/")
    box = page.get_by_role("search").get_by_role("combobox")
    box.fill(kit.title.split()[-1])
    box.press("Enter")
    page.wait_for_url("**/cerca/**")
    link = page.get_by_role("link", name=kit.title).first
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == kit.title


def test_login_only_page_sends_visitors_to_sign_in(live_server, page, demo_site):
    restricted = (
        Page.objects.filter(
            pk__in=PageViewRestriction.objects.filter(
                restriction_type=PageViewRestriction.LOGIN
            ).values("page")
        )
        .live()
        .first()
    )
    assert restricted is not None, "the demo has no login-only page"
    page.goto(live_server.url + restricted.get_url())
    assert "/accedi/" in page.url
    assert not axe_violations(page)


def test_faq_question_anchor_opens_its_answer(live_server, page, demo_site):
    faq = FAQIndexPage.objects.live().filter(locale__language_code="it").first()
    first = faq.specific.grouped_questions()[0]["questions"][0]
    page.goto(f"{live_server.url}{faq.get_url()}#{first['anchor']}")
    answer = page.locator(f"#{first['anchor']}").locator("xpath=..").locator(".accordion-body")
    assert answer.first.is_visible()
