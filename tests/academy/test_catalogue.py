"""The Accademia's public side: the catalogue with its facets, the course and session pages,
the home page's courses, the site search and the pages API."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy import services
from academy.models import CourseTarget, Enrolment
from tests.conftest import restrict_to_login
from tests.factories import StaffFactory

from .factories import CoursePageFactory, CourseSessionPageFactory, edition_for

pytestmark = pytest.mark.django_db


def upcoming_edition(course, **kwargs):
    today = timezone.localdate()
    return edition_for(
        course,
        name=kwargs.pop("name", "Prossima"),
        enrolment_opens_on=today + datetime.timedelta(days=5),
        **kwargs,
    )


@pytest.fixture
def catalogue(academy):
    """Four courses: the fixture's (cybersecurity, base, open), one in depth on the platforms
    (upcoming), one specialist (closed: no edition) and one coming soon by the editors."""
    rtd = CourseTarget.objects.create(name="Responsabili per la transizione digitale", slug="rtd")
    academy.course.targets.add(rtd)
    academy.course.save()
    platforms = CoursePageFactory(
        parent=academy.page,
        title="PDND per i Comuni",
        area="piattaforme",
        level="approfondimento",
        delivery="asincrona",
    )
    upcoming_edition(platforms)
    closed = CoursePageFactory(parent=academy.page, title="Zero trust", level="specialistico")
    soon = CoursePageFactory(
        parent=academy.page, title="Appalti digitali", area="adempimenti", coming_soon=True
    )
    academy.targets = {"rtd": rtd}
    academy.courses = {
        "open": academy.course,
        "upcoming": platforms,
        "closed": closed,
        "soon": soon,
    }
    return academy


def titles(response):
    return [course.title for course in response.context["courses"]]


def facet(response, name):
    found = next(f for f in response.context["facets"] if f.name == name)
    return {option.value: option.count for option in found.options}


def test_catalogue_lists_the_courses_with_facet_counts(client, catalogue):
    response = client.get(catalogue.page.url)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(c.title for c in catalogue.courses.values())
    assert facet(response, "state") == {"open": 1, "upcoming": 2, "closed": 1}
    assert facet(response, "level")["base"] == 2
    assert facet(response, "target") == {"rtd": 1}
    html = response.content.decode()
    assert 'aria-live="polite"' in html and "<fieldset" in html and "<legend" in html
    assert "4 courses found" in html or "4 corsi" in html


def test_facets_filter_and_count_with_the_other_facets(client, catalogue):
    response = client.get(catalogue.page.url, {"state": "upcoming"})
    assert sorted(titles(response)) == ["Appalti digitali", "PDND per i Comuni"]
    # The state facet still counts every state (the other facets are not set)...
    assert facet(response, "state") == {"open": 1, "upcoming": 2, "closed": 1}
    # ...the level facet counts within the upcoming courses.
    assert facet(response, "level") == {"base": 1, "approfondimento": 1, "specialistico": 0}

    response = client.get(
        catalogue.page.url, {"level": ["base", "specialistico"], "area": "cybersicurezza"}
    )
    assert sorted(titles(response)) == sorted([catalogue.course.title, "Zero trust"])
    response = client.get(catalogue.page.url, {"target": "rtd"})
    assert titles(response) == [catalogue.course.title]
    response = client.get(catalogue.page.url, {"mode": "asincrona"})
    assert titles(response) == ["PDND per i Comuni"]
    response = client.get(catalogue.page.url, {"state": "closed"})
    assert titles(response) == ["Zero trust"]
    response = client.get(catalogue.page.url, {"q": "pdnd"})
    assert titles(response) == ["PDND per i Comuni"]
    response = client.get(catalogue.page.url, {"q": "phishing"})  # a competence
    assert len(titles(response)) == 4  # the factory's competences are the same for all


def test_bad_facet_values_are_ignored(client, catalogue):
    response = client.get(
        catalogue.page.url,
        {"level": "nonsense", "target": "nobody", "state": "<script>", "page": "x", "q": "   "},
    )
    assert response.status_code == 200
    assert len(titles(response)) == 4
    assert response.context["filtered"] is False
    assert "<script>" not in response.content.decode().split("<main", 1)[-1].replace(
        "&lt;script&gt;", ""
    )
    response = client.get(catalogue.page.url, {"page": "999"})
    assert response.status_code == 200
    response = client.get(catalogue.page.url, {"q": "x" * 5000})
    assert response.status_code == 200
    assert titles(response) == []
    assert "No course matches" in response.content.decode() or "Nessun corso" in (
        response.content.decode()
    )


def test_restricted_courses_are_not_listed_to_strangers(client, catalogue):
    restrict_to_login(catalogue.courses["closed"])
    response = client.get(catalogue.page.url)
    assert "Zero trust" not in titles(response)
    assert facet(response, "state")["closed"] == 0
    client.force_login(catalogue.member)
    assert "Zero trust" in titles(client.get(catalogue.page.url))


def test_catalogue_queries_do_not_grow_with_the_courses(client, catalogue):
    client.get(catalogue.page.url)  # warm the per-process caches (site root, restrictions)
    with CaptureQueriesContext(connection) as few:
        client.get(catalogue.page.url)
    for n in range(8):
        course = CoursePageFactory(parent=catalogue.page, title=f"Altro corso {n}")
        course.targets.add(catalogue.targets["rtd"])
        edition_for(course)
    client.get(catalogue.page.url)  # the new pages reset the per-process caches
    with CaptureQueriesContext(connection) as many:
        response = client.get(catalogue.page.url)
    assert len(titles(response)) == 12
    assert len(many) == len(few)


def test_catalogue_query_budget(client, catalogue, django_assert_max_num_queries):
    client.force_login(catalogue.member)
    client.get(catalogue.page.url)
    with django_assert_max_num_queries(16):
        client.get(catalogue.page.url, {"level": "base", "q": "corso"})


def test_catalogue_paginates_keeping_the_filters(client, catalogue):
    for n in range(13):
        CoursePageFactory(parent=catalogue.page, title=f"Base {n:02d}")
    response = client.get(catalogue.page.url, {"level": "base"})
    assert response.context["courses"].paginator.count == 15
    assert len(titles(response)) == 12
    assert "level=base&amp;page=2" in response.content.decode()
    response = client.get(catalogue.page.url, {"level": "base", "page": 2})
    assert len(titles(response)) == 3


# The course page ---------------------------------------------------------------------------


def box_item(response, edition):
    return next(i for i in response.context["editions"] if i["edition"].pk == edition.pk)


def test_course_page_for_anonymous(client, catalogue):
    course = catalogue.course
    response = client.get(course.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Minacce comuni", "Riconoscere un phishing", "Responsabili per la transizione"):
        assert text in html
    assert "<caption" in html and 'scope="col"' in html
    item = box_item(response, catalogue.edition)
    assert item["status"] is None and item["may_enrol"] is False
    assert item["places_left"] == 1
    assert f"/accedi/?next={course.url}" in html
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Course" and data["courseCode"] == course.code
    assert data["timeRequired"] == "PT8H"
    assert data["teaches"] == ["Riconoscere un phishing", "Gestire le password"]
    assert data["hasCourseInstance"][0]["startDate"] == catalogue.edition.starts_on.isoformat()


def test_course_page_json_ld_cannot_break_out(client, catalogue):
    catalogue.course.summary = "</script><script>alert(1)</script>"
    catalogue.course.save_revision().publish()
    html = client.get(catalogue.course.url).content.decode()
    assert "</script><script>alert(1)" not in html


def test_course_box_statuses_for_members(client, catalogue):
    course, edition = catalogue.course, catalogue.edition
    cancelled = edition_for(course, name="Annullata", cancelled=True)
    second = edition_for(course, name="Seconda")
    client.force_login(catalogue.member)
    response = client.get(course.url)
    assert cancelled.pk not in [i["edition"].pk for i in response.context["editions"]]
    assert response.context["can_enrol"] is True
    assert box_item(response, edition)["may_enrol"] is True

    services.enrol(catalogue.member, edition)
    response = client.get(course.url)
    assert box_item(response, edition)["status"] == "enrolled"
    assert box_item(response, edition)["may_cancel"] is True
    assert box_item(response, second)["may_enrol"] is False  # one edition per course
    assert box_item(response, edition)["places_left"] == 0

    client.force_login(catalogue.other)
    services.enrol(catalogue.other, edition)
    response = client.get(course.url)
    assert box_item(response, edition)["status"] == "waiting"
    assert box_item(response, edition)["position"] == 1
    assert "(position 1)" in response.content.decode() or "(posizione 1)" in (
        response.content.decode()
    )

    enrolment = Enrolment.objects.get(user=catalogue.member, edition=edition)
    services.complete(catalogue.staff, enrolment, timezone.localdate(), source="staff")
    client.force_login(catalogue.member)
    response = client.get(course.url)
    assert box_item(response, edition)["status"] == "completed"
    assert box_item(response, edition)["may_cancel"] is False


def test_unregistered_member_may_not_enrol(client, catalogue):
    client.force_login(StaffFactory())  # an editor's account: not a registered member
    response = client.get(catalogue.course.url)
    assert response.context["can_enrol"] is False
    assert box_item(response, catalogue.edition)["may_enrol"] is False


def test_prerequisites_are_ticked_when_completed(client, catalogue):
    advanced = catalogue.courses["closed"]
    advanced.prerequisites = "Saper usare la posta elettronica."
    advanced.prerequisite_courses.add(catalogue.course)
    advanced.save_revision().publish()
    client.force_login(catalogue.member)
    response = client.get(advanced.url)
    assert response.context["prerequisite_items"] == [
        {"course": catalogue.course, "completed": False}
    ]
    enrolment = services.enrol(catalogue.member, catalogue.edition)
    services.complete(catalogue.staff, enrolment, timezone.localdate(), source="staff")
    response = client.get(advanced.url)
    assert response.context["prerequisite_items"][0]["completed"] is True
    assert "Saper usare la posta" in response.content.decode()


def test_course_page_queries_do_not_grow_with_editions_and_sessions(client, catalogue):
    course = catalogue.course
    client.force_login(catalogue.member)
    services.enrol(catalogue.member, catalogue.edition)
    client.get(course.url)
    with CaptureQueriesContext(connection) as few:
        client.get(course.url)
    for n in range(4):
        edition = edition_for(course, name=f"Ed {n}")
        CourseSessionPageFactory(parent=course, edition=edition)
    client.get(course.url)  # the new pages reset the per-process caches
    with CaptureQueriesContext(connection) as many:
        response = client.get(course.url)
    assert len(response.context["editions"]) == 5
    assert len(response.context["sessions"]) == 4
    assert len(many) == len(few)


def test_course_page_query_budget(client, catalogue, django_assert_max_num_queries):
    course = catalogue.course
    services.enrol(catalogue.member, catalogue.edition)
    CourseSessionPageFactory(parent=course, edition=catalogue.edition)
    client.get(course.url)
    with django_assert_max_num_queries(14):
        client.get(course.url)
    client.force_login(catalogue.member)
    client.get(course.url)
    with django_assert_max_num_queries(18):
        client.get(course.url)


def test_session_page_says_registration_is_by_enrolling(client, catalogue):
    session = CourseSessionPageFactory(parent=catalogue.course, edition=catalogue.edition)
    response = client.get(session.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert catalogue.course.url in html
    assert catalogue.edition.name in html
    response = client.get(catalogue.course.url)
    assert session.title in response.content.decode()


def test_a_new_edition_refreshes_the_cached_public_pages(client, catalogue, settings):
    settings.PAGE_CACHE_ENABLED = True
    course = catalogue.courses["closed"]
    assert client.get(course.url)["X-Cache"] == "MISS"
    assert client.get(course.url)["X-Cache"] == "HIT"
    edition_for(course, name="Nuova edizione")
    response = client.get(course.url)
    assert response["X-Cache"] == "MISS"
    assert "Nuova edizione" in response.content.decode()


# Home page, search, API ---------------------------------------------------------------------


def test_home_page_lists_open_and_upcoming_courses(client, catalogue):
    response = client.get(catalogue.tree.home.url)
    assert response.status_code == 200
    assert [c.title for c in response.context["open_courses"]] == [catalogue.course.title]
    assert sorted(c.title for c in response.context["upcoming_courses"]) == [
        "Appalti digitali",
        "PDND per i Comuni",
    ]
    html = response.content.decode()
    assert 'id="home-courses-open"' in html and 'id="home-courses-upcoming"' in html
    assert catalogue.page.url in html  # the promo box and "All courses" link to the catalogue


def test_home_page_queries_do_not_grow_with_the_courses(client, catalogue):
    home = catalogue.tree.home
    client.get(home.url)
    with CaptureQueriesContext(connection) as few:
        client.get(home.url)
    for n in range(6):
        edition_for(CoursePageFactory(parent=catalogue.page, title=f"Aperto {n}"))
        CoursePageFactory(parent=catalogue.page, title=f"In arrivo {n}", coming_soon=True)
    client.get(home.url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(home.url)
    assert len(response.context["open_courses"]) == 3
    assert len(response.context["upcoming_courses"]) == 3
    assert len(many) == len(few)


def test_home_promo_box_without_an_academy_page(client, site_tree):
    home = site_tree.home
    home.academy_url = "https://formazione.example.it/"
    home.save_revision().publish()
    response = client.get(home.url)
    assert response.status_code == 200
    assert response.context["academy_page"] is None
    assert response.context["open_courses"] == []
    html = response.content.decode()
    assert "https://formazione.example.it/" in html
    assert 'id="home-courses"' not in html


def test_search_finds_courses_by_title_and_competence(client, catalogue):
    course = CoursePageFactory(
        parent=catalogue.page,
        title="Ornitorinchi digitali",
        competences="Classificare i monotremi",
    )
    for query in ("ornitorinchi", "monotremi"):
        response = client.get("/cerca/", {"q": query})
        assert response.status_code == 200
        assert course.url in {hit.url for hit in response.context["outcome"].hits}
    # Courses have their own facet in the results.
    response = client.get("/cerca/", {"q": "monotremi", "type": "course"})
    hits = response.context["outcome"].hits
    assert [hit.url for hit in hits] == [course.url]
    assert hits[0].kind == "course"
    assert ("course", 1) in {
        (key, count) for key, _label, count in response.context["outcome"].facets
    }


def test_search_hides_courses_under_a_restricted_parent(client, catalogue):
    course = CoursePageFactory(parent=catalogue.page, title="Ornitorinchi riservati")
    restrict_to_login(catalogue.page)
    response = client.get("/cerca/", {"q": "ornitorinchi"})
    assert course.url not in {hit.url for hit in response.context["outcome"].hits}
    client.force_login(catalogue.member)
    response = client.get("/cerca/", {"q": "ornitorinchi"})
    assert course.url in {hit.url for hit in response.context["outcome"].hits}


def test_pages_api_lists_courses_with_their_fields(client, catalogue):
    response = client.get(
        "/api/v2/pages/",
        {"type": "academy.CoursePage", "fields": "code,level,area,hours,state"},
    )
    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    assert set(items) == {c.code for c in catalogue.courses.values()}
    item = items[catalogue.course.code]
    assert item["level"] == "base" and item["area"] == "cybersicurezza"
    assert item["state"] == "open"
    assert items[catalogue.courses["upcoming"].code]["state"] == "upcoming"


def test_english_catalogue_shares_the_editions_of_the_italian_courses(client, catalogue):
    from wagtail.models import Locale

    english = Locale.objects.create(language_code="en")
    catalogue.tree.home.copy_for_translation(english).save_revision().publish()
    academy_en = catalogue.page.copy_for_translation(english)
    academy_en.save_revision().publish()
    course_en = catalogue.course.copy_for_translation(english)
    course_en.title = "Cybersecurity basics"
    course_en.save_revision().publish()
    course_en.refresh_from_db()
    assert course_en.state == "open"
    response = client.get(academy_en.url, {"state": "open"})
    assert response.status_code == 200
    assert titles(response) == ["Cybersecurity basics"]
    response = client.get(course_en.url)
    assert [i["edition"].pk for i in response.context["editions"]] == [catalogue.edition.pk]
