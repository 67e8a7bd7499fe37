"""The member's side of the Accademia: enrolling in an edition and withdrawing (POST, from the
box of a course's editions), La mia area > Accademia (my courses, hours and badges), the download
of a badge's credential and the choice of showing my name on its public page.

The rules are the services' (``academy.services``, which ask ``cms.access``). A visitor is sent
to sign in; an edition of a course the user may not see is a 404 (nothing is disclosed); a
refusal renders the portal's refusal page with the service's message and a way back to the
course (403, or 409 for the state: already enrolled, closed, full...). A badge is its owner's:
anyone else gets a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms import access
from cms.cache import mark_private
from cms.errors import ServiceError, http_status, message_of
from cms.refusals import render_refusal

from .. import credentials, services
from ..forms import BadgeSharingForm
from ..models import CourseEdition, Enrolment, IssuedBadge
from ..record import learning_record, waiting_position


def _edition(pk) -> CourseEdition | None:
    return CourseEdition.objects.select_related("course").filter(pk=pk).first()


def course_url(request, course) -> str:
    """The course's page in the current language (its source page otherwise)."""
    page = course.localized
    return page.get_url(request) or course.get_url(request) or "/"


def _visible_edition_or_404(request, pk) -> CourseEdition:
    edition = _edition(pk)
    if (
        edition is None
        or not edition.course.live
        or not access.can_view_page(request.user, edition.course)
    ):
        raise Http404
    return edition


def _to_login(request, pk):
    """A visitor signs in and comes back to the course's page (a POST cannot be replayed)."""
    edition = _edition(pk)
    if edition is None or not edition.course.live:
        raise Http404
    return redirect_to_login(course_url(request, edition.course), settings.LOGIN_URL)


def _refuse(request, error, edition):
    status = http_status(error)
    if status == 404:
        raise Http404
    links = [{"url": course_url(request, edition.course), "label": _("Back to the course")}]
    title = _("Not possible") if status == 409 else None
    return render_refusal(request, message_of(error), status=status, title=title, links=links)


@require_POST
def enrol(request, pk):
    if not request.user.is_authenticated:
        return _to_login(request, pk)
    edition = _visible_edition_or_404(request, pk)
    try:
        enrolment = services.enrol(request.user, edition)
    except ServiceError as error:
        return _refuse(request, error, edition)
    values = {"course": edition.course.title, "edition": edition.name}
    if enrolment.status == Enrolment.Status.WAITING:
        values["position"] = waiting_position(enrolment)
        messages.info(
            request,
            _(
                "The edition “%(edition)s” is full: you are on the waiting list (position "
                "%(position)s). We will write to you when a place becomes free."
            )
            % values,
        )
    else:
        messages.success(
            request,
            _(
                "You are enrolled in “%(course)s” (edition “%(edition)s”). We sent you a "
                "confirmation by email."
            )
            % values,
        )
    return redirect(course_url(request, edition.course))


@require_POST
def cancel(request, pk):
    if not request.user.is_authenticated:
        return _to_login(request, pk)
    edition = _visible_edition_or_404(request, pk)
    try:
        enrolment = services.cancel(request.user, edition)
    except ServiceError as error:
        return _refuse(request, error, edition)
    messages.success(
        request,
        _("You have withdrawn from “%(course)s” (edition “%(edition)s”).")
        % {"course": enrolment.edition.course.title, "edition": edition.name},
    )
    return redirect(course_url(request, edition.course))


@login_required
@require_GET
def my_academy(request):
    mark_private(request)
    context = {"page_title": _("Academy"), **learning_record(request.user)}
    for badge in context["badges"]:
        badge.public_url = credentials.badge_url(badge)
        badge.sharing_form = BadgeSharingForm(
            initial={"show_name": badge.show_name}, prefix=f"b{badge.pk}"
        )
        badge.sharing_form.fields["show_name"].widget.attrs["id"] = f"show-name-{badge.uuid}"
    for enrolment in context["completed"] + context["enrolled"] + context["waiting"]:
        enrolment.course_url = enrolment.edition.course.get_url(request)
    return render(request, "academy/my_academy.html", context)


def _own_badge_or_404(request, uuid) -> IssuedBadge:
    badge = IssuedBadge.objects.filter(uuid=uuid, user_id=request.user.pk).first()
    if badge is None:
        raise Http404
    return badge


@login_required
@require_GET
def download_credential(request, uuid):
    """The signed credential, exactly as issued (an Open Badges 3.0 JSON document)."""
    mark_private(request)
    badge = _own_badge_or_404(request, uuid)
    if not badge.credential:
        raise Http404
    response = JsonResponse(
        badge.credential, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    filename = f"open-badge-{badge.course_code or 'accademia'}-{str(badge.uuid)[:8]}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename.lower()}"'
    return response


@login_required
@require_POST
def badge_sharing(request, uuid):
    mark_private(request)
    badge = _own_badge_or_404(request, uuid)
    form = BadgeSharingForm(request.POST, prefix=f"b{badge.pk}")
    form.is_valid()  # a single optional checkbox: always valid
    show = bool(form.cleaned_data.get("show_name"))
    services.set_badge_sharing(request.user, badge, show)
    if show:
        messages.success(
            request, _("The public page of “%(badge)s” shows your name.") % {"badge": badge.name}
        )
    else:
        messages.success(
            request,
            _("The public page of “%(badge)s” does not show your name.") % {"badge": badge.name},
        )
    return redirect(reverse("academy_member:record") + f"#badge-{badge.uuid}")
