"""Every page type declares where it may live and what it may contain."""

import pytest
from wagtail.models import Page

from academy.models import AcademyPage, CoursePage, CourseSessionPage
from cms.models import HomePage, NewsIndexPage, NewsPage, ResourcesPage, StandardPage
from communities.models import CommunityIndexPage, CommunityPage
from events.models import EventIndexPage, EventPage
from faq.models import FAQIndexPage
from kits.models import KitIndexPage, KitPage
from mappa.models import MappaPage
from materials.models import MaterialPage
from surveys.models import SurveyIndexPage, SurveyPage
from webinars.models import WebinarIndexPage, WebinarPage

EXPECTED_CHILDREN = {
    HomePage: {
        NewsIndexPage,
        CommunityIndexPage,
        KitIndexPage,
        WebinarIndexPage,
        EventIndexPage,
        FAQIndexPage,
        ResourcesPage,
        SurveyIndexPage,
        AcademyPage,
        MappaPage,
        AcademyPage,
        StandardPage,
    },
    AcademyPage: {CoursePage},
    CoursePage: {CourseSessionPage},
    CourseSessionPage: set(),
    MappaPage: {SurveyPage},
    SurveyIndexPage: {SurveyPage},
    SurveyPage: set(),
    EventIndexPage: {EventPage},
    EventPage: set(),
    NewsIndexPage: {NewsPage},
    NewsPage: set(),
    CommunityIndexPage: {CommunityPage},
    KitIndexPage: {KitPage},
    KitPage: set(),
    WebinarIndexPage: {WebinarPage},
    WebinarPage: set(),
    FAQIndexPage: set(),
    ResourcesPage: {MaterialPage},
    MaterialPage: set(),
    StandardPage: {StandardPage},
}


@pytest.mark.parametrize("model", list(EXPECTED_CHILDREN), ids=lambda m: m.__name__)
def test_subpage_types(model):
    assert set(model.allowed_subpage_models()) == EXPECTED_CHILDREN[model]


@pytest.mark.parametrize("model", list(EXPECTED_CHILDREN), ids=lambda m: m.__name__)
def test_every_page_type_declares_search_and_api_fields(model):
    assert model.search_fields, model
    assert model.api_fields, model


def test_home_only_under_root():
    assert set(HomePage.allowed_parent_page_models()) == {Page}


@pytest.mark.django_db
def test_can_create_at(site_tree):
    home = site_tree.home
    assert NewsPage.can_create_at(site_tree.news_index)
    assert not NewsPage.can_create_at(home)
    assert KitPage.can_create_at(site_tree.kit_index)
    assert not KitPage.can_create_at(site_tree.news_index)
    assert WebinarPage.can_create_at(site_tree.webinar_index)
    assert StandardPage.can_create_at(home)
    # Section indexes are singletons under the home page.
    for model in (
        NewsIndexPage,
        KitIndexPage,
        WebinarIndexPage,
        FAQIndexPage,
        ResourcesPage,
        CommunityIndexPage,
    ):
        assert not model.can_create_at(home), model
    assert not HomePage.can_create_at(home)


@pytest.mark.django_db
def test_outputs_are_never_created_by_hand(site_tree):
    """A community output lives under Risorse, but only a validation round creates it (and
    only an approved one publishes it): the admin offers no "add" for it."""
    assert MaterialPage in ResourcesPage.allowed_subpage_models()
    assert not MaterialPage.can_create_at(site_tree.resources)
    assert MaterialPage not in site_tree.resources.specific.creatable_subpage_models()


@pytest.mark.django_db
def test_academy_pages_can_be_created_where_they_belong(site_tree):
    from tests.academy.factories import AcademyPageFactory

    home = site_tree.home
    assert AcademyPage.can_create_at(home)
    academy = AcademyPageFactory(parent=home)
    assert not AcademyPage.can_create_at(home)  # one catalogue
    assert CoursePage.can_create_at(academy)
    assert not CoursePage.can_create_at(home)
    assert not CourseSessionPage.can_create_at(academy)
