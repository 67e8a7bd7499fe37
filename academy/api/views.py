"""The Accademia in the community API (``/api/community/v1/``; included by
``communities/api/urls.py``), with the site's policy (``academy.permissions``) and its services.

Tag ``courses``:

- ``GET academy/courses/`` (public): the live courses the user may see, in the request's
  language (Italian where there is no translation), filtered by ``level``, ``area``,
  ``delivery``, ``state``, ``target`` (a target's slug); paginated (``page``);
- ``GET academy/courses/<id>/`` (public): a course with its editions (dates, places, places
  left, waiting list, state) and, signed in, my enrolment in each;
- ``POST academy/editions/<id>/enrolment/``: enrol (201, ``enrolled`` or ``waiting`` when the
  edition is full); ``DELETE``: withdraw (the first member waiting takes the place);
- ``GET academy/me/enrolments/``: my learning record (courses, status, hours, total hours).

Tag ``badges``:

- ``GET academy/me/badges/``: my Open Badges, each with its signed credential;
- ``GET academy/badges/<uuid>/`` (public): a badge as its verification page shows it (the
  holder's name only if they chose to show it; the credential only to its holder);
- ``POST academy/badges/verify/`` (public): verify a credential (the JSON document as the body):
  ``valid``, ``revoked`` or ``invalid`` (altered, not signed by the portal, unknown);
- ``POST academy/badges/<uuid>/revoke/``: revoke a badge (staff; a ``reason`` is required);
- ``GET academy/badges/``: every badge issued (staff), filtered and paginated.

Errors: **401** not signed in (the endpoints that are not public); **403** refused with the
reason (not a registered member: ``registration_required``; not staff); **404** what the user
may not see (a course or edition of an unpublished or restricted course, an unknown badge);
**400** bad input by field (a filter, a reason, a body that is not JSON); **409** the state, with
its code: ``already_enrolled``, ``completed``, ``closed``, ``full``, ``not_open``,
``not_enrolled``, ``revoked``.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from wagtail.rich_text import expand_db_html

from cms import access, locales
from cms.api_errors import run

from .. import credentials, services
from ..models import CourseEdition, CoursePage, Enrolment, IssuedBadge
from ..permissions import Action
from . import serializers as s
from .support import AcademyAPIView, PublicAcademyAPIView, endpoint, filters
from .support import error as _error

COURSES_TAG = "courses"
BADGES_TAG = "badges"
COURSES_PER_PAGE = 20
BADGES_PER_PAGE = 50

Status = Enrolment.Status


ENROL_CONFLICT = {
    409: _error(
        gettext_lazy(
            "Already enrolled in the course (already_enrolled), already completed it "
            "(completed), enrolment closed (closed) or not open yet (not_open), the edition "
            "full without a waiting list (full)."
        )
    )
}
CANCEL_CONFLICT = {
    409: _error(
        gettext_lazy(
            "Not enrolled in the edition (not_enrolled), or already completed (completed)."
        )
    )
}


class Pages(PageNumberPagination):
    page_size = COURSES_PER_PAGE


class BadgePages(PageNumberPagination):
    page_size = BADGES_PER_PAGE


# --- Courses -----------------------------------------------------------------------------------


def _courses(user):
    """The live courses ``user`` may see, with their state."""
    return access.visible_pages(user, CoursePage.objects.all()).with_state()


def _course_data(request, course, source=None) -> dict:
    """``course`` (in the language shown) with the facts of ``source``, its page in the default
    language (editions, state and targets hang on it)."""
    source = source or course
    return {
        "id": course.pk,
        "title": course.title,
        "code": source.code,
        "summary": course.summary,
        "url": course.get_url(request=request),
        "locale": locales.language_code(course.locale_id),
        "area": source.area,
        "area_label": source.get_area_display(),
        "level": source.level,
        "level_label": source.get_level_display(),
        "delivery": source.delivery,
        "delivery_label": source.get_delivery_display(),
        "hours": source.hours,
        "targets": [{"slug": t.slug, "name": t.name} for t in source.targets.all()],
        "state": source.state,
        "state_label": source.get_state_display(),
    }


def _translations(request, courses) -> dict:
    """``{translation key: the course in the request's language}`` for a page of ``courses``
    in the default language (none when that is the language)."""
    active = locales.get_active()
    if not courses or active.pk == courses[0].locale_id:
        return {}
    translated = _courses(request.user).filter(
        locale_id=active.pk, translation_key__in=[c.translation_key for c in courses]
    )
    return {page.translation_key: page for page in translated}


def _editions(request, source) -> list[dict]:
    editions = list(
        CourseEdition.objects.for_course(source)
        .filter(cancelled=False)
        .annotate(
            taken=Count(
                "enrolments", filter=Q(enrolments__status__in=[Status.ENROLLED, Status.COMPLETED])
            ),
            queued=Count("enrolments", filter=Q(enrolments__status=Status.WAITING)),
        )
        .order_by("starts_on", "pk")
    )
    mine = {}
    if request.user.is_authenticated and editions:
        rows = Enrolment.objects.filter(
            user=request.user, edition__in=[e.pk for e in editions]
        ).order_by("created_at", "pk")
        for enrolment in rows:
            mine[enrolment.edition_id] = enrolment  # the latest wins
    return [
        {
            "id": e.pk,
            "name": e.name,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "enrolment_opens_on": e.enrolment_opens_on,
            "enrolment_closes_on": e.enrolment_closes_on,
            "capacity": e.capacity,
            "places_left": None if e.capacity is None else max(e.capacity - e.taken, 0),
            "waiting_list": e.waiting_list,
            "waiting": e.queued,
            "state": e.state,
            "state_label": e.get_state_display(),
            "my_enrolment": _my_enrolment(mine.get(e.pk)),
        }
        for e in editions
    ]


def _my_enrolment(enrolment) -> dict | None:
    if enrolment is None:
        return None
    return {
        "id": enrolment.pk,
        "status": enrolment.status,
        "status_label": enrolment.get_status_display(),
        "enrolled_at": enrolment.created_at,
        "completed_on": enrolment.completed_on,
    }


class CourseList(PublicAcademyAPIView):
    @endpoint(
        "academy_courses_list",
        tag=COURSES_TAG,
        summary=gettext_lazy("The Academy's courses"),
        description=gettext_lazy(
            "Public. The published courses you may see, in the request's language "
            "(Accept-Language; Italian where a course has no translation), by title, with "
            "their state: open (an edition takes enrolments), upcoming, closed. Filters "
            "combine; an unknown value is a 400."
        ),
        parameters=[
            OpenApiParameter("level", str, enum=[v for v, _l in s.LEVELS]),
            OpenApiParameter("area", str, enum=[v for v, _l in s.AREAS]),
            OpenApiParameter("delivery", str, enum=[v for v, _l in s.DELIVERIES]),
            OpenApiParameter("state", str, enum=[v for v, _l in s.COURSE_STATES]),
            OpenApiParameter("target", str, description=gettext_lazy("A target's slug")),
            OpenApiParameter("page", int, description=gettext_lazy("Page number")),
        ],
        response=s.CoursePageSerializer,
        errors={400: OpenApiResponse(description=gettext_lazy("Invalid filter."))},
    )
    def get(self, request):
        wanted = filters(s.CourseFilterSerializer, request)
        courses = _courses(request.user).filter(locale_id=locales.get_default().pk)
        for field in ("level", "area", "delivery"):
            if field in wanted:
                courses = courses.filter(**{field: wanted[field]})
        if "target" in wanted:
            courses = courses.filter(targets__slug=wanted["target"])
        if "state" in wanted:
            courses = courses.in_state(wanted["state"])
        courses = courses.prefetch_related("targets").order_by("title", "pk")
        paginator = Pages()
        page = paginator.paginate_queryset(courses, request, view=self)
        shown = _translations(request, page)
        results = [
            _course_data(request, shown.get(course.translation_key, course), course)
            for course in page
        ]
        return paginator.get_paginated_response(s.CourseSerializer(results, many=True).data)


class CourseDetail(PublicAcademyAPIView):
    @endpoint(
        "academy_courses_retrieve",
        tag=COURSES_TAG,
        summary=gettext_lazy("A course with its editions"),
        description=gettext_lazy(
            "Public. A course page (any language) with what it treats, the competences it "
            "gives (the criteria of its Open Badge), its editions (dates, places left, waiting "
            "list, state) and, signed in, my enrolment in each edition."
        ),
        response=s.CourseDetailSerializer,
    )
    def get(self, request, pk):
        course = _courses(request.user).filter(pk=pk).first()
        if course is None:
            raise exceptions.NotFound()
        source = course
        default = locales.get_default()
        if course.locale_id != default.pk:
            source = (
                CoursePage.objects.with_state()
                .filter(translation_key=course.translation_key, locale_id=default.pk)
                .first()
            ) or course
        data = _course_data(request, course, source)
        prerequisites = access.visible_pages(
            request.user, source.prerequisite_courses.all()
        ).order_by("title")
        data.update(
            description=expand_db_html(course.description or ""),
            questions=course.question_list,
            competences=course.competence_list,
            prerequisites=course.prerequisites,
            prerequisite_courses=[
                {"id": p.pk, "title": p.title, "code": p.code} for p in prerequisites
            ],
            platform_url=source.platform_url,
            coming_soon=source.coming_soon,
            editions=_editions(request, source),
            may_enrol=access.can(request.user, Action.ENROL_COURSE, source),
        )
        return data


# --- Enrolment ---------------------------------------------------------------------------------


def _edition(request, pk) -> CourseEdition:
    """The edition ``pk`` of a course the user may see (404 otherwise: nothing disclosed)."""
    edition = CourseEdition.objects.select_related("course").filter(pk=pk).first()
    if edition is None or not edition.course.live:
        raise exceptions.NotFound()
    if not access.can_view_page(request.user, edition.course):
        raise exceptions.NotFound()
    return edition


def _enrolment_data(enrolment) -> dict:
    edition = enrolment.edition
    course = edition.course
    position = None
    if enrolment.status == Status.WAITING:
        ahead = edition.enrolments.waiting().filter(
            Q(created_at__lt=enrolment.created_at)
            | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
        )
        position = ahead.count() + 1
    badge = getattr(enrolment, "badge", None) if enrolment.status == Status.COMPLETED else None
    return {
        "id": enrolment.pk,
        "course": {"id": course.pk, "title": course.title, "code": course.code},
        "edition": {
            "id": edition.pk,
            "name": edition.name,
            "starts_on": edition.starts_on,
            "ends_on": edition.ends_on,
        },
        "status": enrolment.status,
        "status_label": enrolment.get_status_display(),
        "enrolled_at": enrolment.created_at,
        "waiting_position": position,
        "completed_on": enrolment.completed_on,
        "hours": enrolment.hours,
        "badge": badge.uuid if badge is not None else None,
    }


class EditionEnrolment(AcademyAPIView):
    @endpoint(
        "academy_enrolment_create",
        tag=COURSES_TAG,
        summary=gettext_lazy("Enrol in an edition"),
        description=gettext_lazy(
            "A registered member (staff accounts are not members: 403). A place, status "
            "``enrolled`` (and a registration to the edition's live sessions), or the waiting "
            "list when the edition is full (``waiting``, with my position). One live enrolment "
            "per course."
        ),
        response=s.EnrolmentSerializer,
        status=status.HTTP_201_CREATED,
        errors=ENROL_CONFLICT,
    )
    def post(self, request, pk):
        edition = _edition(request, pk)
        enrolment = run(services.enrol, request.user, edition)
        return _enrolment_data(enrolment)

    @endpoint(
        "academy_enrolment_cancel",
        tag=COURSES_TAG,
        summary=gettext_lazy("Withdraw from an edition"),
        description=gettext_lazy(
            "Enrolled or waiting: the enrolment is cancelled (status ``cancelled``) and the "
            "first member waiting takes the place freed. A completed course cannot be "
            "withdrawn from."
        ),
        response=s.EnrolmentSerializer,
        errors=CANCEL_CONFLICT,
    )
    def delete(self, request, pk):
        edition = _edition(request, pk)
        enrolment = run(services.cancel, request.user, edition)
        return _enrolment_data(enrolment)


class MyEnrolments(AcademyAPIView):
    @endpoint(
        "academy_me_enrolments",
        tag=COURSES_TAG,
        summary=gettext_lazy("My learning record"),
        description=gettext_lazy(
            "My enrolments (enrolled, waiting, completed; newest first), the hours credited "
            "for each completed course and in total, and each completion's badge."
        ),
        response=s.LearningRecordSerializer,
    )
    def get(self, request):
        user = request.user
        if not access.can(user, Action.VIEW_LEARNING_RECORD, user):
            raise exceptions.PermissionDenied()
        enrolments = list(
            Enrolment.objects.live()
            .filter(user=user)
            .select_related("edition__course", "badge")
            .order_by("-created_at", "-pk")
        )
        rows = [_enrolment_data(enrolment) for enrolment in enrolments]
        completed = [e for e in enrolments if e.status == Status.COMPLETED]
        return {
            "enrolments": rows,
            "completed": len(completed),
            "total_hours": sum((e.hours or 0 for e in completed), start=0),
        }


# --- Badges ------------------------------------------------------------------------------------


def _badge_data(badge, *, holder=False) -> dict:
    course = badge.course
    shown = (holder or badge.show_name) and badge.erased_at is None
    return {
        "uuid": badge.uuid,
        "name": badge.name,
        "course": (
            {"id": course.pk, "title": course.title, "code": course.code} if course else None
        ),
        "course_code": badge.course_code,
        "issued_at": badge.issued_at,
        "state": "revoked" if badge.is_revoked else "valid",
        "revoked_at": badge.revoked_at,
        "holder": (badge.holder_name or None) if shown else None,
        "url": credentials.badge_url(badge),
    }


def _staff_badge_data(badge) -> dict:
    return {
        **_badge_data(badge, holder=True),
        "member": badge.user_id,
        "member_name": badge.user.get_full_name() if badge.user else "",
        "revocation_reason": badge.revocation_reason,
        "revoked_by": badge.revoked_by.get_full_name() if badge.revoked_by else None,
    }


def _badge(uuid) -> IssuedBadge:
    badge = IssuedBadge.objects.select_related("course", "user", "revoked_by").filter(uuid=uuid)
    badge = badge.first()
    if badge is None:
        raise exceptions.NotFound()
    return badge


def _require_staff(request) -> None:
    if not access.can(request.user, Action.MANAGE_ACADEMY, request.user):
        raise exceptions.PermissionDenied(_("Only the Academy's staff can do this."))


class MyBadges(AcademyAPIView):
    @endpoint(
        "academy_me_badges",
        tag=BADGES_TAG,
        summary=gettext_lazy("My Open Badges"),
        description=gettext_lazy(
            "Newest first, each with its public verification page and the signed Open Badges "
            "3.0 credential to download."
        ),
        response=s.MyBadgeSerializer,
        many=True,
    )
    def get(self, request):
        badges = IssuedBadge.objects.filter(user=request.user).select_related("course")
        return [
            {
                **_badge_data(badge, holder=True),
                "show_name": badge.show_name,
                "revocation_reason": badge.revocation_reason,
                "credential": badge.credential,
            }
            for badge in badges.order_by("-issued_at", "-pk")
        ]


class BadgeDetail(PublicAcademyAPIView):
    @endpoint(
        "academy_badges_retrieve",
        tag=BADGES_TAG,
        summary=gettext_lazy("A badge, as its verification page shows it"),
        description=gettext_lazy(
            "Public. Its name, course, date and state (valid or revoked); the holder's name "
            "only if they chose to show it; the credential only to the holder."
        ),
        response=s.PublicBadgeSerializer,
    )
    def get(self, request, uuid):
        badge = _badge(uuid)
        holder = request.user.is_authenticated and badge.user_id == request.user.pk
        return {
            **_badge_data(badge, holder=holder),
            "credential": badge.credential if holder else None,
        }


class BadgeVerify(PublicAcademyAPIView):
    @endpoint(
        "academy_badges_verify",
        tag=BADGES_TAG,
        summary=gettext_lazy("Verify an Open Badge credential"),
        description=gettext_lazy(
            "Public. The body is the credential (the JSON document the holder downloaded). Its "
            "signature is checked against the portal's published keys, then its state: "
            "``valid``; ``revoked`` (authentic, revoked by the staff); ``invalid`` (altered "
            "after it was issued, not issued by this portal, or unknown). 400 when the body is "
            "not a JSON object."
        ),
        request=OpenApiTypes.OBJECT,
        response=s.VerificationSerializer,
    )
    def post(self, request):
        document = request.data
        if not isinstance(document, dict) or not document:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Send the credential: a JSON object.")]}
            )
        result = credentials.verify(document)
        return {
            "state": result.state,
            "message": result.message,
            "badge": result.badge.uuid if result.badge is not None else None,
        }


class BadgeRevoke(AcademyAPIView):
    @endpoint(
        "academy_badges_revoke",
        tag=BADGES_TAG,
        summary=gettext_lazy("Revoke a badge (staff)"),
        description=gettext_lazy(
            "With the reason (required). Verification then answers ``revoked`` and the "
            "published status list has the badge's bit set."
        ),
        request=s.RevokeSerializer,
        response=s.StaffBadgeSerializer,
        errors={409: _error(gettext_lazy("Already revoked (revoked)."))},
    )
    def post(self, request, uuid):
        badge = _badge(uuid)
        _require_staff(request)
        serializer = s.RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason", "")
        run(services.revoke_badge, request.user, badge, reason)
        return _staff_badge_data(_badge(uuid))


class BadgeList(AcademyAPIView):
    @endpoint(
        "academy_badges_list",
        tag=BADGES_TAG,
        summary=gettext_lazy("Every badge issued (staff)"),
        description=gettext_lazy(
            "Newest first, with the member and the revocation; filtered by ``state``, "
            "``course`` (its page's id), ``code`` (the course code), ``member`` (a user id)."
        ),
        parameters=[
            OpenApiParameter("state", str, enum=[v for v, _l in s.BADGE_STATES]),
            OpenApiParameter("course", int, description=gettext_lazy("The course page's id")),
            OpenApiParameter("code", str, description=gettext_lazy("The course code")),
            OpenApiParameter("member", int, description=gettext_lazy("The member's user id")),
            OpenApiParameter("page", int, description=gettext_lazy("Page number")),
        ],
        response=s.StaffBadgePageSerializer,
        errors={400: OpenApiResponse(description=gettext_lazy("Invalid filter."))},
    )
    def get(self, request):
        _require_staff(request)
        wanted = filters(s.BadgeFilterSerializer, request)
        badges = IssuedBadge.objects.select_related("course", "user", "revoked_by")
        if wanted.get("state") == "valid":
            badges = badges.valid()
        elif wanted.get("state") == "revoked":
            badges = badges.revoked()
        if "course" in wanted:
            badges = badges.filter(course_id=wanted["course"])
        if "code" in wanted:
            badges = badges.filter(course_code=wanted["code"].upper())
        if "member" in wanted:
            badges = badges.filter(user_id=wanted["member"])
        paginator = BadgePages()
        page = paginator.paginate_queryset(badges.order_by("-issued_at", "-pk"), request, self)
        results = [_staff_badge_data(badge) for badge in page]
        return paginator.get_paginated_response(s.StaffBadgeSerializer(results, many=True).data)
