"""The Accademia dei Comuni Digitali in the demo (``demo/data/academy.toml``, issue 18): its page
and some 40 courses across the seed's three levels and five areas (400 hours in all), their
editions relative to today (closed past ones, open ones, one full with a waiting list, upcoming
ones; the courses "di prossima pubblicazione" have none), the live sessions of a few synchronous
and blended courses, and the demo members' enrolments, completions and Open Badges.

- ``academy_pages`` runs with the page tree (``demo.pages``): the pages are published and
  translated into English with the others (the English courses share the Italian editions).
- ``load_academy`` runs once the members exist: editions and sessions are created directly;
  enrolments in open editions go through ``academy.services.enrol`` (the waiting list, the
  sessions' registrations), those in past editions are written as they were then; completions
  go through ``academy.services.complete`` (real signed badges) and the revocation through
  ``academy.services.revoke_badge``. Demo content emails nobody (``_emails_nobody``).

Idempotent: targets are looked up by slug, pages by slug under their parent, editions by course
and name, sessions by slug under their course, enrolments by member and edition; whatever exists
is left as it is.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from academy import services
from academy.models import (
    AcademyPage,
    CourseEdition,
    CoursePage,
    CourseSessionPage,
    CourseTarget,
    Enrolment,
)
from events.models import Registration

from . import support
from .content import load
from .discussions import _users
from .support import emails_nobody

STAFF_USERNAME = "redazione-accademia"

#: The on-commit callbacks of ``academy.services`` that would email the demo members.
EMAILING_CALLBACKS = {("academy.services", "_notify.<locals>.<lambda>")}

#: Live sessions: weekly from the edition's start, 10:00-12:00 (Europe/Rome), online.
SESSION_HOURS = ((10, 0), (12, 0))


def course_key(code: str) -> str:
    """The page key (``builder.pages``, ``english.toml``) of the course ``code``."""
    return f"course-{code}"


def _emails_nobody():
    return emails_nobody(EMAILING_CALLBACKS, "academy")


def _lines(items) -> str:
    return "\n".join(items)


def _targets() -> dict[str, CourseTarget]:
    targets = {}
    for spec in load("academy")["targets"]:
        target = CourseTarget.objects.filter(slug=spec["slug"]).first()
        if target is None:
            target = CourseTarget.objects.create(name=spec["name"], slug=spec["slug"])
        targets[spec["slug"]] = target
    return targets


# --- Pages (with the page tree) ------------------------------------------------------------------


def academy_pages(builder, home) -> AcademyPage:
    """The AcademyPage under ``home`` and its courses (unpublished until the tree is)."""
    data = load("academy")
    spec = data["page"]
    targets = _targets()
    page = builder.page(
        spec["key"],
        home,
        AcademyPage,
        spec["slug"],
        lambda: {
            "title": spec["title"],
            "summary": " ".join(spec["summary"].split()),
            "intro": spec["intro"],
            "platform_url": spec["platform_url"],
            "first_published_at": builder.launch,
        },
    )
    for course in data["courses"]:
        builder.page(
            course_key(course["code"]),
            page,
            CoursePage,
            course["slug"],
            lambda course=course: _course_fields(builder, course),
            lambda course=course: {
                "targets": [targets[slug] for slug in course.get("targets", [])],
                "prerequisite_courses": [
                    builder.pages[course_key(code)]
                    for code in course.get("prerequisite_courses", [])
                ],
            },
        )
    return page


def _course_fields(builder, spec) -> dict:
    platform = load("academy")["page"]["platform_url"]
    return {
        "title": spec["title"],
        "code": spec["code"],
        "area": spec["area"],
        "level": spec["level"],
        "delivery": spec["delivery"],
        "hours": Decimal(spec["hours"]),
        "summary": " ".join(spec["summary"].split()),
        "questions": _lines(spec["questions"]),
        "competences": _lines(spec["competences"]),
        "prerequisites": spec.get("prerequisites", ""),
        "coming_soon": spec.get("coming_soon", False),
        "platform_url": "" if spec.get("coming_soon") else f"{platform}corsi/{spec['code']}/",
        "first_published_at": builder.launch,
    }


# --- Editions, sessions, enrolments, completions (once the members exist) -----------------------


def staff_account():
    """The Accademia's staff account that records the demo's completions."""
    return support.staff_account(
        STAFF_USERNAME, "Accademia dei Comuni Digitali", "accademia@comunidigitali.example"
    )


def load_academy(builder) -> int:
    """The editions, sessions, enrolments and badges that are missing; the number of enrolments
    created."""
    data = load("academy")
    courses = {
        course.code: course
        for course in CoursePage.objects.filter(
            locale=builder.it, code__in=[spec["code"] for spec in data["courses"]]
        )
    }
    editions: dict[tuple[str, str], CourseEdition] = {}
    for spec in data["courses"]:
        course = courses.get(spec["code"])
        if course is None:  # deleted by an editor: left out
            continue
        for number, edition_spec in enumerate(spec.get("editions", []), start=1):
            edition = _edition(builder, course, number, edition_spec, data["editions"])
            editions[spec["code"], edition_spec["kind"]] = edition
            for index in range(1, spec.get("sessions", 0) + 1):
                _session(builder, course, edition, number, index)
    users = _users()
    staff = staff_account()
    created = 0
    with _emails_nobody():
        for spec in data["enrolments"]:
            user = users.get(spec["who"])
            edition = editions.get((spec["course"], spec["edition"]))
            if user is None or edition is None:
                continue
            if Enrolment.objects.filter(edition=edition, user=user).exists():
                continue
            _enrolment(builder, staff, user, edition, spec)
            created += 1
    return created


def _edition(builder, course, number, spec, patterns) -> CourseEdition:
    name = f"{number}ª edizione"
    existing = CourseEdition.objects.filter(course=course, name=name).first()
    if existing is not None:
        return existing
    days = patterns[spec["kind"]]
    return CourseEdition.objects.create(
        course=course,
        name=name,
        enrolment_opens_on=builder.today + timedelta(days=days["enrolment_opens"]),
        enrolment_closes_on=builder.today + timedelta(days=days["enrolment_closes"]),
        starts_on=builder.today + timedelta(days=days["starts"]),
        ends_on=builder.today + timedelta(days=days["ends"]),
        capacity=spec.get("capacity"),
    )


def _session(builder, course, edition, number, index) -> CourseSessionPage:
    slug = f"edizione-{number}-sessione-{index}"
    existing = course.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    day = edition.starts_on + timedelta(days=7 * (index - 1))
    (start_h, start_m), (end_h, end_m) = SESSION_HOURS
    start = builder.at(day, start_h, start_m)
    session = CourseSessionPage(
        slug=slug,
        locale=builder.it,
        title=f"{course.title}: sessione {index} ({edition.name})",
        summary=f"Lezione in diretta online del corso {course.code}, {edition.name}.",
        edition=edition,
        start=start,
        end=builder.at(day, end_h, end_m),
        mode=CourseSessionPage.Mode.ONLINE,
        online_url=f"https://formazione.comunidigitali.example/aula/{course.code}-{number}-{index}/",
        first_published_at=min(start - timedelta(days=30), builder.now),
        live=False,
    )
    course.add_child(instance=session)
    session.save_revision().publish()
    return session


def _enrolment(builder, staff, user, edition, spec) -> Enrolment:
    if edition.is_open:
        # As the member would: a place, or the waiting list when the edition is full.
        return services.enrol(user, edition)
    # A past edition: the enrolment as it was made while it was open, then its completion.
    opened = edition.enrolment_opens_on or edition.starts_on
    enrolment = Enrolment.objects.create(
        edition=edition,
        user=user,
        status=Enrolment.Status.ENROLLED,
        created_at=builder.at(opened + timedelta(days=3), 11, 15),
    )
    if spec["status"] == "completed" and spec.get("source") == "attendance":
        # The live sessions' attendance, recorded by the organisers: the course completes itself.
        _attended(enrolment)
        services.complete_from_attendance(edition)
    elif spec["status"] == "completed":
        completed_on = min(edition.ends_on, builder.today)
        badge = services.complete(staff, enrolment, completed_on, source=Enrolment.Source.STAFF)
        if spec.get("revoke"):
            services.revoke_badge(staff, badge, " ".join(spec["revoke"].split()))
    return enrolment


def _attended(enrolment) -> None:
    """``enrolment``'s member registered to the edition's (past) sessions and attended them all."""
    sessions = CourseSessionPage.objects.filter(edition=enrolment.edition)
    Registration.objects.bulk_create(
        Registration(
            page=session,
            user=enrolment.user,
            status=Registration.Status.REGISTERED,
            created_at=enrolment.created_at,
            attended=True,
            attended_recorded_at=session.end,
        )
        for session in sessions
        if not Registration.objects.filter(page=session, user=enrolment.user).exists()
    )
