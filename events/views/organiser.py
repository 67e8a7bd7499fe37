"""The organiser's page of an event: registrants and waiting list, the attendance checklist,
the CSV import of attendance, the CSV export of the registrants. Organiser: ``manage_event``
(who may edit the page in Wagtail)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms import access
from cms.cache import mark_private
from cms.errors import Refused, ServiceError, message_of
from cms.spreadsheets import escape_formula

from .. import services
from ..forms import AttendanceImportForm
from ..models import Registration
from ..permissions import Action
from ..selectors import counts, places_left
from .common import event_or_404, refuse, to_login


def _organised(request, pk):
    page = event_or_404(request, pk)
    if not access.can(request.user, Action.MANAGE_EVENT, page):
        raise Refused(_("Only the organisers of this event can open this page."))
    return page


def _render(request, page, *, form=None, report=None, error=None, status=200):
    registrations = list(
        Registration.objects.open().filter(page_id=page.pk).select_related("user", "user__ente")
    )
    numbers = counts(page)
    context = {
        "page": page,
        "page_title": _("Registrations: %(title)s") % {"title": page.title},
        "registered": [r for r in registrations if r.status == Registration.Status.REGISTERED],
        "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
        "places_left": places_left(page, numbers["registered"]),
        "form": form or AttendanceImportForm(),
        "report": report,
        "error": error,
        "can_record": page.start <= timezone.now(),
    }
    return render(request, "events/manage.html", context, status=status)


@require_http_methods(["GET", "POST"])
def manage(request, pk):
    if not request.user.is_authenticated:
        return to_login(request)
    mark_private(request)
    try:
        page = _organised(request, pk)
    except ServiceError as error:
        return refuse(request, error)
    if request.method == "POST":
        try:
            changed = services.record_attendance(
                request.user, page, request.POST.getlist("attended")
            )
        except (ServiceError, ValueError) as error:
            return _render(request, page, error=message_of(error), status=400)
        messages.success(request, _("Attendance saved (%(count)s changes).") % {"count": changed})
        return redirect("events:manage", pk=page.pk)
    return _render(request, page)


@require_POST
def import_attendance(request, pk):
    if not request.user.is_authenticated:
        return to_login(request)
    mark_private(request)
    try:
        page = _organised(request, pk)
    except ServiceError as error:
        return refuse(request, error)
    form = AttendanceImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, page, form=form, status=400)
    try:
        report = services.import_attendance(request.user, page, form.cleaned_data["file"].read())
    except ServiceError as error:
        form.add_error("file", message_of(error))
        return _render(request, page, form=form, status=400)
    return _render(request, page, report=report)


@require_GET
def export_registrants(request, pk):
    if not request.user.is_authenticated:
        return to_login(request)
    mark_private(request)
    try:
        page = _organised(request, pk)
    except ServiceError as error:
        return refuse(request, error)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"iscritti-{slugify(page.slug)[:50]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Last name"),
            _("First name"),
            _("Email"),
            _("Authority"),
            _("Status"),
            _("Registered at"),
            _("Attended"),
        ]
    )
    registrations = (
        Registration.objects.open()
        .filter(page_id=page.pk)
        .select_related("user", "user__ente")
        .order_by("status", "created_at")
    )
    yes_no = {True: _("yes"), False: _("no"), None: ""}
    for registration in registrations:
        user = registration.user
        writer.writerow(
            [
                escape_formula(value)
                for value in (
                    user.last_name,
                    user.first_name,
                    getattr(user, "contact_email", "") or user.email,
                    str(user.ente) if getattr(user, "ente_id", None) else "",
                    registration.get_status_display(),
                    timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
                    yes_no[registration.attended],
                )
            ]
        )
    return response
