"""Reads of the Accademia for its pages: the catalogue with its facets, a course's box (its
editions with the member's status, the prerequisites, the live sessions) and the home page's
lists of courses.

The catalogue reads the facts of every course the user may see in one query (a catalogue has
tens of courses, not thousands), counts the facets in Python and then loads only the page of
courses shown: the number of queries does not grow with the courses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cms import access
from cms.models import paginate

from .models import CourseEdition, CoursePage, CourseSessionPage, CourseTarget, Enrolment
from .models.pages import Area, CourseState, Delivery, Level
from .permissions import Action

Status = Enrolment.Status

#: The catalogue's facets: GET parameter, legend and choices (``target`` reads the snippets).
FACETS = (
    ("level", _("Level"), Level.choices),
    ("area", _("Area"), Area.choices),
    ("target", _("Addressed to"), None),
    ("mode", _("Delivery mode"), Delivery.choices),
    ("state", _("State"), CourseState.choices),
)
MAX_QUERY_LENGTH = 200


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    legend: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


def course_state(open_now: bool, upcoming_edition: bool, coming_soon: bool) -> str:
    """The state ``CoursePage.state`` computes, from the facts ``with_state`` annotates."""
    if open_now:
        return CourseState.OPEN
    if upcoming_edition or coming_soon:
        return CourseState.UPCOMING
    return CourseState.CLOSED


def _selection(request, choices: dict[str, set[str]]) -> dict[str, set[str]]:
    """The facet values asked for in the query string; unknown values are ignored."""
    return {
        name: {value for value in request.GET.getlist(name) if value in allowed}
        for name, allowed in choices.items()
    }


def _text_filter(queryset, text: str):
    for word in text.split()[:12]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(code__icontains=word)
            | Q(questions__icontains=word)
            | Q(competences__icontains=word)
        )
    return queryset


def catalogue(request, page) -> dict:
    """The catalogue of ``page`` (an ``AcademyPage``) for the request: the live courses the user
    may see, filtered by the facets in the query string (``level``, ``area``, ``target``,
    ``mode``, ``state``, each repeatable: any of the values) and by the words of ``q``; each facet
    counts the courses its values would give with the other facets applied. Five queries."""
    user = request.user
    courses = access.visible_pages(user, CoursePage.objects.child_of(page).live()).with_state()
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    if text:
        courses = _text_filter(courses, text)
    rows = list(
        courses.values_list(
            "pk",
            "title",
            "level",
            "area",
            "delivery",
            "open_now",
            "upcoming_edition",
            "coming_soon",
        )
    )
    pks = [row[0] for row in rows]
    targets = list(CourseTarget.objects.order_by("name"))
    target_pairs = CoursePage.targets.through.objects.filter(coursepage_id__in=pks).values_list(
        "coursepage_id", "coursetarget__slug"
    )
    targets_of: dict[int, set[str]] = {}
    for course_id, slug in target_pairs:
        targets_of.setdefault(course_id, set()).add(slug)

    facts = [
        {
            "pk": pk,
            "title": title,
            "level": {level},
            "area": {area},
            "mode": {delivery},
            "state": {course_state(open_now, upcoming, soon)},
            "target": targets_of.get(pk, set()),
        }
        for pk, title, level, area, delivery, open_now, upcoming, soon in rows
    ]
    choices = {
        name: dict(options) if options is not None else {t.slug: t.name for t in targets}
        for name, _legend, options in FACETS
    }
    selected = _selection(request, {name: set(options) for name, options in choices.items()})

    def matches(course, skip=None):
        return all(
            course[name] & values for name, values in selected.items() if values and name != skip
        )

    facets = []
    for name, legend, _options in FACETS:
        counts: dict[str, int] = {}
        for course in facts:
            if matches(course, skip=name):
                for value in course[name]:
                    counts[value] = counts.get(value, 0) + 1
        facets.append(
            Facet(
                name=name,
                legend=legend,
                options=[
                    FacetOption(value, label, counts.get(value, 0), value in selected[name])
                    for value, label in choices[name].items()
                ],
            )
        )

    found = sorted((course for course in facts if matches(course)), key=lambda c: c["title"])
    results = paginate(request, [course["pk"] for course in found])
    shown = {
        course.pk: course
        for course in CoursePage.objects.filter(pk__in=list(results.object_list))
        .with_state()
        .prefetch_related("targets")
    }
    results.object_list = [shown[pk] for pk in results.object_list if pk in shown]
    return {
        "courses": results,
        "facets": facets,
        "filtered": bool(text) or any(selected.values()),
        "search_text": text,
    }


def course_box(request, course) -> dict:
    """What a course page shows about its editions (``academy/includes/edition_box.html``):
    each edition not cancelled with its places left, its state, the member's enrolment status
    (``enrolled``, ``waiting`` with its ``position``, ``completed`` or ``None``) and whether they
    may enrol in it now;
    the prerequisite courses (ticked when completed) and the live sessions. At most seven
    queries for a member, whatever the number of editions and sessions."""
    user = request.user
    taken = Q(enrolments__status__in=[Status.ENROLLED, Status.COMPLETED])
    editions = list(
        CourseEdition.objects.for_course(course)
        .filter(cancelled=False)
        .annotate(
            taken=Count("enrolments", filter=taken),
            waiting_count=Count("enrolments", filter=Q(enrolments__status=Status.WAITING)),
        )
        .order_by("starts_on", "pk")
    )
    mine: dict[int, str] = {}
    position = None
    completed_keys: set = set()
    can_enrol = False
    if user.is_authenticated:
        for edition_id, status, created_at, pk in (
            Enrolment.objects.live()
            .filter(user=user, edition__course__translation_key=course.translation_key)
            .values_list("edition_id", "status", "created_at", "pk")
        ):
            mine[edition_id] = status
            if status == Status.WAITING:
                position = (
                    Enrolment.objects.waiting()
                    .filter(edition_id=edition_id)
                    .filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
                    .count()
                    + 1
                )
        can_enrol = access.can(user, Action.ENROL_COURSE, course)
    enrolled_in_course = bool(mine)
    # The course's state from the editions just read (``CoursePage.state`` reads these).
    course.open_now = any(e.state == CourseEdition.State.OPEN for e in editions)
    course.upcoming_edition = any(e.state == CourseEdition.State.UPCOMING for e in editions)
    target_names = [target.name for target in course.targets.all()]
    items = []
    for edition in editions:
        places_left = None
        if edition.capacity is not None:
            places_left = max(edition.capacity - edition.taken, 0)
        state = edition.state
        status = mine.get(edition.pk)
        items.append(
            {
                "edition": edition,
                "state": state,
                "state_label": edition.get_state_display(),
                "places_left": places_left,
                "full": places_left == 0,
                "waiting": edition.waiting_count,
                "status": status,
                "position": position if status == Status.WAITING else None,
                "may_enrol": bool(
                    can_enrol
                    and not enrolled_in_course
                    and state == CourseEdition.State.OPEN
                    and (places_left != 0 or edition.waiting_list)
                ),
                "may_cancel": status in (Status.ENROLLED, Status.WAITING),
            }
        )
    prerequisites = list(
        access.visible_pages(user, course.prerequisite_courses.all()).order_by("title")
    )
    if prerequisites and user.is_authenticated:
        completed_keys = set(
            Enrolment.objects.completed()
            .filter(
                user=user,
                edition__course__translation_key__in=[p.translation_key for p in prerequisites],
            )
            .values_list("edition__course__translation_key", flat=True)
        )
    sessions = list(
        access.visible_pages(user, CourseSessionPage.objects.child_of(course))
        .select_related("edition")
        .order_by("start", "pk")
    )
    return {
        "course_json_ld": course_json_ld(
            request, course, [item["edition"] for item in items], target_names
        ),
        "target_names": target_names,
        "editions": items,
        "can_enrol": can_enrol,
        "signed_in": user.is_authenticated,
        "enrolled_in_course": enrolled_in_course,
        "prerequisite_items": [
            {"course": p, "completed": p.translation_key in completed_keys} for p in prerequisites
        ],
        "sessions": sessions,
    }


COURSE_MODES = {
    Delivery.ASYNCHRONOUS: "online",
    Delivery.SYNCHRONOUS: "online",
    Delivery.BLENDED: "blended",
}


def course_json_ld(request, course, editions, target_names) -> str:
    """schema.org ``Course`` (with its editions as ``CourseInstance``), as JSON safe inside a
    ``<script>`` element."""
    import json

    from django.conf import settings
    from django.utils.safestring import mark_safe

    provider = {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "url": course.get_full_url(request),
        "courseCode": course.code,
        "inLanguage": course.locale.language_code,
        "educationalLevel": str(course.get_level_display()),
        "about": str(course.get_area_display()),
        "timeRequired": f"PT{Decimal(str(course.hours)).normalize():f}H",
        "teaches": course.competence_list,
        "isAccessibleForFree": True,
        "provider": provider,
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": "EUR", "category": "Free"},
    }
    if course.summary:
        data["description"] = course.summary
    if target_names:
        data["audience"] = [{"@type": "Audience", "audienceType": name} for name in target_names]
    if course.prerequisites:
        data["coursePrerequisites"] = course.prerequisites
    if editions:
        data["hasCourseInstance"] = [
            {
                "@type": "CourseInstance",
                "name": edition.name,
                "courseMode": COURSE_MODES.get(course.delivery, "online"),
                "startDate": edition.starts_on.isoformat(),
                "endDate": edition.ends_on.isoformat(),
            }
            for edition in editions
        ]
    # Escape "<" so that no text can close the script element.
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return mark_safe(text)  # noqa: S308 - JSON with "<" escaped


def home_courses(visible, limit: int = 3) -> dict:
    """The home page's courses: open for enrolment and coming soon, the first ``limit`` of each
    by title (``visible(model)`` is the home page's queryset of the visible live pages of a
    model in its language). Two queries: the Accademia's page, and the courses open or coming
    soon together (a catalogue has tens of courses); one when there is no Accademia."""
    from .models import AcademyPage

    academy_page = visible(AcademyPage).order_by("path").first()
    if academy_page is None:
        return {"academy_page": None, "open_courses": [], "upcoming_courses": []}
    courses = (
        visible(CoursePage)
        .with_state()
        .filter(Q(open_now=True) | Q(upcoming_edition=True) | Q(coming_soon=True))
        .order_by("title")
    )
    open_courses, upcoming_courses = [], []
    for course in courses:
        target = open_courses if course.open_now else upcoming_courses
        if len(target) < limit:
            target.append(course)
    return {
        "academy_page": academy_page,
        "open_courses": open_courses,
        "upcoming_courses": upcoming_courses,
    }
