"""The Accademia's demo content (``demo/data/academy.toml``, ``demo/academy.py``).

The data file is checked here without a database; what ``load_demo`` builds from it is checked
by ``check_academy``, which ``tests/cms/test_load_demo.py`` calls after its (single, slow) run of
the command, before the second run that must change nothing.
"""

from decimal import Decimal

from django.utils import timezone
from wagtail.models import Locale

from academy import credentials
from academy.models import (
    AcademyPage,
    CourseEdition,
    CoursePage,
    CourseSessionPage,
    CourseTarget,
    Enrolment,
    IssuedBadge,
)
from academy.models.pages import Area, CourseState, Delivery, Level
from demo.content import load
from demo_idp import identities
from events.models import Registration
from membership.models import User

#: The course the browser test (tests/browser/test_academy.py) enrols its member in.
BROWSER_COURSE = "CYB-B-02"
BROWSER_MEMBER = "iscritto"
TARGETS = {
    "Dirigenti",
    "Funzionari e istruttori",
    "Responsabili per la transizione al digitale (RTD)",
    "Amministratori e segretari comunali",
    "Personale delle società in-house",
}


def courses():
    return load("academy")["courses"]


def test_about_40_courses_across_the_levels_and_areas_adding_up_to_400_hours():
    specs = courses()
    assert 38 <= len(specs) <= 42
    assert sum(Decimal(spec["hours"]) for spec in specs) == Decimal(400)
    assert {spec["level"] for spec in specs} == set(Level.values)
    assert {spec["area"] for spec in specs} == set(Area.values)
    assert {spec["delivery"] for spec in specs} == set(Delivery.values)
    assert {target["name"] for target in load("academy")["targets"]} == TARGETS


def test_codes_slugs_prerequisites_and_editions_are_consistent():
    specs = courses()
    codes = [spec["code"] for spec in specs]
    assert len(set(codes)) == len(codes)
    assert len({spec["slug"] for spec in specs}) == len(specs)
    patterns = load("academy")["editions"]
    target_slugs = {target["slug"] for target in load("academy")["targets"]}
    for spec in specs:
        assert spec["questions"] and spec["competences"] and spec["summary"], spec["code"]
        assert set(spec.get("targets", [])) <= target_slugs, spec["code"]
        assert set(spec.get("prerequisite_courses", [])) <= set(codes) - {spec["code"]}
        if spec.get("coming_soon"):
            assert not spec.get("editions"), spec["code"]
        for edition in spec.get("editions", []):
            days = patterns[edition["kind"]]
            assert days["enrolment_opens"] <= days["enrolment_closes"] < days["starts"]
            assert days["starts"] <= days["ends"]
        if spec.get("sessions"):
            assert spec["delivery"] in (Delivery.SYNCHRONOUS, Delivery.BLENDED), spec["code"]
    # Completions are recorded on the edition's last day: only ended editions complete.
    for enrolment in load("academy")["enrolments"]:
        if enrolment["status"] == "completed":
            assert patterns[enrolment["edition"]]["ends"] < 0, enrolment


def test_the_browser_tests_member_is_not_enrolled_in_its_course():
    spec = next(spec for spec in courses() if spec["code"] == BROWSER_COURSE)
    assert (spec["level"], spec["area"]) == (Level.BASE, Area.CYBERSECURITY)
    assert "aperta" in [edition["kind"] for edition in spec["editions"]]
    assert not [
        e
        for e in load("academy")["enrolments"]
        if e["who"] == BROWSER_MEMBER and e["course"] == BROWSER_COURSE
    ]


def user_of(key):
    return User.objects.get(fiscal_number=identities.get(key).fiscal_code)


def check_academy():
    """What ``load_demo`` built (called by ``tests/cms/test_load_demo.py``)."""
    academy = AcademyPage.objects.get(locale__language_code="it")
    assert academy.live and academy.get_parent().specific_class.__name__ == "HomePage"
    english = academy.get_translation_or_none(Locale.objects.get(language_code="en"))
    assert english is not None and english.live
    assert english.title == "Digital Municipalities Academy"

    italian = CoursePage.objects.child_of(academy).live()
    assert italian.count() == len(courses())
    assert sum(course.hours for course in italian) == Decimal(400)
    assert CoursePage.objects.child_of(english).live().count() == len(courses())
    assert set(CourseTarget.objects.values_list("name", flat=True)) >= TARGETS
    assert CoursePage.targets.through.objects.count() >= len(courses())
    assert CoursePage.prerequisite_courses.through.objects.exists()

    for state in CourseState.values:
        assert italian.in_state(state).exists(), state
    coming_soon = italian.filter(coming_soon=True)
    assert coming_soon.exists()
    assert not CourseEdition.objects.filter(course__in=coming_soon).exists()
    assert {course.state for course in coming_soon} == {CourseState.UPCOMING}
    states = {edition.state for edition in CourseEdition.objects.all()}
    assert states == {
        CourseEdition.State.OPEN,
        CourseEdition.State.UPCOMING,
        CourseEdition.State.CLOSED,
    }

    # A full edition with its waiting list; the enrolled members registered to its sessions.
    waiting = Enrolment.objects.waiting().get()
    edition = waiting.edition
    assert edition.enrolments.enrolled().count() == edition.capacity
    sessions = CourseSessionPage.objects.filter(edition=edition)
    assert sessions.count() == 3 and all(session.live for session in sessions)
    for enrolment in edition.enrolments.enrolled():
        assert (
            Registration.objects.filter(
                page__in=sessions, user=enrolment.user, status=Registration.Status.REGISTERED
            ).count()
            == sessions.count()
        )
    assert not Registration.objects.filter(page__in=sessions, user=waiting.user).exists()

    # Completions through the services: one signed badge each, one revoked with a reason.
    completed = Enrolment.objects.completed()
    assert completed.count() >= 8
    assert IssuedBadge.objects.count() == completed.count()
    for badge in IssuedBadge.objects.select_related("enrolment"):
        assert badge.enrolment.completed_on <= badge.issued_at.date()
        assert badge.enrolment.hours == badge.course.hours
    revoked = IssuedBadge.objects.revoked().get()
    assert revoked.revocation_reason and revoked.revoked_by.is_staff
    assert credentials.verify(revoked.credential).state == "revoked"
    valid = IssuedBadge.objects.valid().filter(user=user_of("partecipante")).first()
    assert credentials.verify(valid.credential).state == "valid"
    assert completed.filter(user=user_of("partecipante")).count() >= 3
    # One completed by attending the live sessions of its edition.
    attended = completed.get(completion_source=Enrolment.Source.ATTENDANCE)
    assert attended.user == user_of("membro-gdl") and attended.completion_recorded_by is None
    assert IssuedBadge.objects.filter(enrolment=attended).exists()

    # The browser test's member is registered and free to enrol in its course's open edition.
    member = user_of(BROWSER_MEMBER)
    course = italian.get(code=BROWSER_COURSE)
    assert not Enrolment.objects.filter(user=member, edition__course=course).exists()
    assert CourseEdition.objects.filter(course=course).open_on(timezone.localdate()).exists()
