"""What the enrol/cancel box of an edition (``academy/includes/edition_actions.html``) needs to
know about the member and the edition."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.templatetags.static import static

from cms import access

from .. import services
from ..models import CourseEdition, CoursePage, Enrolment
from ..permissions import Action
from ..record import waiting_position

register = template.Library()

Status = Enrolment.Status


@register.simple_tag(takes_context=True)
def academy_edition_status(context, edition: CourseEdition) -> dict:
    """``state``, ``places_left`` (``None``: unlimited), ``full``, the member's ``enrolment`` in
    this edition (with ``position`` on the waiting list) or in ``other`` edition of the course,
    ``can_enrol`` and the ``login_url`` for a visitor."""
    request = context.get("request")
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    page = context.get("page")
    if (
        isinstance(page, CoursePage)
        and page.pk == edition.course_id
        and "course" not in edition._state.fields_cache
    ):
        edition.course = page  # the course page including the box: spare a query per edition
    course = edition.course
    if "my_enrolment" in context:
        mine = context["my_enrolment"] or None
    else:
        mine = services.live_enrolment(user, course) if authenticated else None
    box = {
        "state": edition.state,
        "authenticated": authenticated,
        "enrolment": None,
        "other": None,
        "position": None,
        "places_left": None,
        "full": False,
        "can_enrol": authenticated and access.can(user, Action.ENROL_COURSE, course),
        "sprites": static("bootstrap-italia/svg/sprites.svg"),
    }
    if mine is not None:
        if mine.edition_id == edition.pk:
            box["enrolment"] = mine
            box["position"] = waiting_position(mine)
        else:
            box["other"] = mine
    if box["state"] == CourseEdition.State.OPEN and edition.capacity is not None:
        taken = edition.enrolments.filter(status__in=[Status.ENROLLED, Status.COMPLETED]).count()
        box["places_left"] = max(edition.capacity - taken, 0)
        box["full"] = box["places_left"] == 0
    if not authenticated and request is not None:
        next_url = course.localized.get_url(request) or request.get_full_path()
        box["login_url"] = redirect_to_login(next_url, settings.LOGIN_URL)["Location"]
    return box
