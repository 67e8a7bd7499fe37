"""Reads of the Accademia for its pages: the catalogue with its facets and a course's box."""

from __future__ import annotations

from cms import access

from .models import CoursePage


def catalogue(request, page) -> dict:
    courses = access.visible_pages(
        request.user, CoursePage.objects.child_of(page).live().with_state()
    ).order_by("title")
    return {"courses": courses}


def course_box(request, course) -> dict:
    from .models import CourseEdition

    return {"editions": list(CourseEdition.objects.for_course(course).filter(cancelled=False))}
