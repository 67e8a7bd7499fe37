"""The Accademia's staff pages in the Wagtail admin (menu "Academy"), registered by
``academy.wagtail_hooks``:

- **Import completions**: upload the e-learning platform's export (CSV/XLSX) → the dry run
  (``academy.imports.plan``: what will change, the refused rows with their line numbers and
  reasons) → "Confirm the import" → the import's page. Between the two steps the parsed rows
  (plain text, never the file) stay in the staff member's session under the file's SHA-256, and
  the dry run is computed again on confirmation, so what is applied is what the state allows
  at that moment; a refreshed or repeated confirmation finds nothing left to do (409).
- **Imports**: the history of ``CompletionImport`` with what each one recorded.
- **Record a completion**: staff record one member's completion by hand (the same checks as a
  one-row import; ``source=staff``).
- **Reports**: ``academy.reports``, each breakdown with its charts, table and CSV.

Every page asks ``manage_academy`` (403 otherwise; Wagtail itself sends whoever may not enter
the admin to its sign-in page). Writes go through ``academy.imports`` / ``academy.services``;
their errors become the page's message with the right status, nothing is lost.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms import access
from cms.errors import ServiceError, http_status

from . import imports, reports, services
from .models import CompletionImport, Enrolment
from .permissions import Action

SESSION_KEY = "academy:completion-import"


def can_manage(user) -> bool:
    return access.can(user, Action.MANAGE_ACADEMY, user)


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage(request.user):
            raise PermissionDenied(_("Only the Academy's staff can do this."))
        response = super().dispatch(request, *args, **kwargs)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    def get_breadcrumbs_items(self):
        return []


# --- Import --------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export of the e-learning platform (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Header row with the columns codice_fiscale or email, codice_corso, "
            "data_completamento (dd/mm/yyyy or yyyy-mm-dd). At most 2 MB and 5000 rows."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ImportUploadView(StaffView):
    template_name = "academy/admin/import_upload.html"
    page_title = gettext_lazy("Import completions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["recent"] = CompletionImport.objects.select_related("actor")[:5]
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", _("The file is too large (at most 2 MB)."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = upload.read()
        try:
            rows = imports.read_rows(upload.name, data)
        except ServiceError as error:
            form.add_error("file", error.user_message)
            return self.render_to_response(
                self.get_context_data(form=form), status=http_status(error)
            )
        sha256 = hashlib.sha256(data).hexdigest()
        request.session[SESSION_KEY] = {
            "sha256": sha256,
            "filename": upload.name[:255],
            "rows": [row.as_dict() for row in rows],
        }
        return redirect("academy_admin:import_preview", sha256=sha256)


class ImportPreviewView(StaffView):
    """The dry run (GET) and the confirmation (POST) of the uploaded file."""

    template_name = "academy/admin/import_preview.html"
    page_title = gettext_lazy("Import completions: check before confirming")

    def pending(self):
        pending = self.request.session.get(SESSION_KEY)
        if not pending or pending.get("sha256") != self.kwargs["sha256"]:
            return None
        return pending

    def get(self, request, *args, **kwargs):
        pending = self.pending()
        if pending is None:
            messages.warning(
                request,
                _("This import is no longer waiting for confirmation: upload the file again."),
            )
            return redirect("academy_admin:import")
        return self.render_to_response(self.context(pending))

    def context(self, pending, import_plan=None, error=None):
        if import_plan is None:
            rows = [imports.Row.from_dict(row) for row in pending["rows"]]
            import_plan = imports.plan(self.request.user, rows)
        return self.get_context_data(
            plan=import_plan, filename=pending["filename"], sha256=pending["sha256"], error=error
        )

    def post(self, request, *args, **kwargs):
        pending = self.pending()
        if pending is None:
            record = CompletionImport.objects.filter(sha256=self.kwargs["sha256"]).first()
            if record is not None:  # confirmed twice (e.g. a second click): show what was done
                return redirect("academy_admin:import_detail", pk=record.pk)
            messages.warning(
                request,
                _("This import is no longer waiting for confirmation: upload the file again."),
            )
            return redirect("academy_admin:import")
        rows = [imports.Row.from_dict(row) for row in pending["rows"]]
        import_plan = imports.plan(request.user, rows)
        try:
            record = imports.apply(
                request.user, import_plan, pending["filename"], pending["sha256"]
            )
        except ServiceError as error:
            return self.render_to_response(
                self.context(pending, import_plan, error.user_message), status=http_status(error)
            )
        request.session.pop(SESSION_KEY, None)
        url = reverse("academy_admin:import_detail", args=[record.pk])
        return redirect(f"{url}?recorded=1")


class ImportListView(StaffView):
    template_name = "academy/admin/import_list.html"
    page_title = gettext_lazy("Completion imports")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(CompletionImport.objects.select_related("actor"), 50)
        context["page_obj"] = paginator.get_page(self.request.GET.get("p"))
        return context


class ImportDetailView(StaffView):
    template_name = "academy/admin/import_detail.html"
    page_title = gettext_lazy("Completion import")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = get_object_or_404(
            CompletionImport.objects.select_related("actor"), pk=self.kwargs["pk"]
        )
        context["record"] = record
        context["just_recorded"] = self.request.GET.get("recorded") == "1"
        context["enrolments"] = record.enrolments.select_related(
            "user", "edition__course", "badge"
        ).order_by("user__last_name", "user__first_name", "pk")
        return context


# --- One completion by hand ---------------------------------------------------------------------


class CompletionForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("Member's fiscal code or email"), max_length=254, strip=True
    )
    course_code = forms.CharField(label=gettext_lazy("Course code"), max_length=24, strip=True)
    completed_on = forms.DateField(
        label=gettext_lazy("Completed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


#: The HTTP status of a refused completion, by the dry run's code.
REFUSAL_STATUS = {
    "unknown_person": 404,
    "unknown_course": 404,
    "not_enrolled": 409,
    "completed": 409,
}


class RecordCompletionView(StaffView):
    template_name = "academy/admin/record_completion.html"
    page_title = gettext_lazy("Record a completion")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CompletionForm())
        recorded = self.request.GET.get("recorded", "")
        if recorded.isdigit() and self.request.method == "GET":
            context["recorded"] = (
                Enrolment.objects.completed()
                .select_related("user", "edition__course")
                .filter(pk=int(recorded))
                .first()
            )
        return context

    def post(self, request, *args, **kwargs):
        form = CompletionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        person = form.cleaned_data["person"]
        row = imports.Row(
            line=1,
            fiscal_code="" if "@" in person else person,
            email=person if "@" in person else "",
            course_code=form.cleaned_data["course_code"],
            completed_on=form.cleaned_data["completed_on"].isoformat(),
        )
        (item,) = imports.plan(request.user, [row]).rows
        if item.outcome != imports.Outcome.COMPLETE:
            form.add_error(None, item.reason)
            status = REFUSAL_STATUS.get(item.code, 400)
        else:
            try:
                services.complete(
                    request.user,
                    item.enrolment,
                    item.completed_on,
                    source=Enrolment.Source.STAFF,
                )
            except ServiceError as error:
                form.add_error(None, error.user_message)
                status = http_status(error)
            else:
                url = reverse("academy_admin:complete")
                return redirect(f"{url}?recorded={item.enrolment.pk}")
        return self.render_to_response(self.get_context_data(form=form), status=status)


# --- Reports -------------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    dal = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    al = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("dal"), data.get("al")
        if first and last and first > last:
            raise forms.ValidationError(_("The period must end on or after its start."))
        return data


class ReportView(StaffView):
    template_name = "academy/admin/report.html"
    page_title = gettext_lazy("Academy reports")

    def get(self, request, *args, **kwargs):
        form = PeriodForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = reports.figures(form.cleaned_data.get("dal"), form.cleaned_data.get("al"))
        return self.render_to_response(
            self.get_context_data(
                form=form,
                data=data,
                total_hours=reports.hours_display(data["total"]["hours"]),
                tables=reports.for_page(data),
                query=request.GET.urlencode(),
            )
        )


def report_csv(request, slug):
    if not can_manage(request.user):
        raise PermissionDenied(_("Only the Academy's staff can do this."))
    if slug not in reports.SLUGS:
        raise Http404
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.errors.get("__all__", [])) or _("Bad period."))
    data = reports.figures(form.cleaned_data.get("dal"), form.cleaned_data.get("al"))
    response = reports.csv_response(data, slug)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def import_template(request):
    """An empty file with the columns the import reads (CSV, ``;`` as Italian Excel writes)."""
    if not can_manage(request.user):
        raise PermissionDenied(_("Only the Academy's staff can do this."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="completamenti-accademia.csv"'
    response.write("\ufeff" + ";".join(imports.TEMPLATE_COLUMNS) + "\r\n")
    return response


def urls():
    return [
        path("import/", ImportUploadView.as_view(), name="import"),
        path("import/modello.csv", import_template, name="import_template"),
        path("import/<str:sha256>/", ImportPreviewView.as_view(), name="import_preview"),
        path("imports/", ImportListView.as_view(), name="imports"),
        path("imports/<int:pk>/", ImportDetailView.as_view(), name="import_detail"),
        path("complete/", RecordCompletionView.as_view(), name="complete"),
        path("report/", ReportView.as_view(), name="report"),
        path("report/<slug:slug>.csv", report_csv, name="report_csv"),
    ]
