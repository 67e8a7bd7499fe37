"""The Accademia's rules, registered with ``cms.access`` (``AcademyConfig.ready``).

- ``enrol_course`` (a course or one of its editions): a registered SPID/CIE member
  (``membership.registration.is_registered``) who may see the course page. Whether the edition
  takes enrolments, is full or the member is already enrolled is the state (409), not a
  permission. Staff accounts enrol like anyone only if they are registered members.
- ``view_learning_record`` (a member): the member themself and staff. Nobody else sees whom a
  member studied with, nor their hours.
- ``manage_academy`` (the Accademia, a course, an edition, an enrolment or a badge): staff —
  the editors who may edit the course pages in Wagtail — record and import completions, revoke
  badges, read the reports. Superusers too.

A badge's public verification page needs no permission: its address is the credential's id, an
unguessable UUID the member shares; it shows the member's name only if they chose so.
"""

from __future__ import annotations

from cms import access
from membership.registration import is_registered

from .models import AcademyPage, CourseEdition, CoursePage, Enrolment, IssuedBadge


class Action:
    ENROL_COURSE = "enrol_course"
    VIEW_LEARNING_RECORD = "view_learning_record"
    MANAGE_ACADEMY = "manage_academy"
    ALL = (ENROL_COURSE, VIEW_LEARNING_RECORD, MANAGE_ACADEMY)


def _course(obj):
    if isinstance(obj, CourseEdition):
        return obj.course
    if isinstance(obj, CoursePage):
        return obj
    return None


def is_academy_staff(user) -> bool:
    """Staff who run the Accademia: superusers and the Wagtail editors (``cms.access``)."""
    return bool(user.is_authenticated and (user.is_superuser or access.is_staff(user)))


def decide(user, action: str, obj) -> bool:
    if not user.is_authenticated:
        return False
    if action == Action.ENROL_COURSE:
        course = _course(obj)
        return course is not None and access.can_view_page(user, course) and is_registered(user)
    if action == Action.VIEW_LEARNING_RECORD:
        return getattr(obj, "pk", None) == user.pk or is_academy_staff(user)
    if action == Action.MANAGE_ACADEMY:
        return is_academy_staff(user)
    return False


def install() -> None:
    from django.contrib.auth import get_user_model

    access.register(
        Action.ALL,
        decide,
        on=(AcademyPage, CoursePage, CourseEdition, Enrolment, IssuedBadge, get_user_model()),
    )
