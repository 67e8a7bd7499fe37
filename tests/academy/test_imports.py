"""Completion imports: reading CSV/XLSX, the dry run (shows, changes nothing), applying (completes
and issues badges, once), every kind of refused row with its line number, and the admin pages
(upload → dry run → confirm → the import's page; staff only)."""

import datetime
import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from academy import imports, services
from academy.models import CompletionImport, Enrolment, IssuedBadge
from cms.errors import Conflict, Invalid, Refused
from tests.factories import UserFactory

from .factories import CoursePageFactory, edition_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def csv_bytes(lines, delimiter=";"):
    return ("\ufeff" + "\n".join(delimiter.join(cells) for cells in lines) + "\n").encode()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dmy(day):
    return day.strftime("%d/%m/%Y")


HEADER = ["Codice_Fiscale", "codice_corso", "DATA_COMPLETAMENTO"]


def test_read_rows_csv_with_semicolons_or_commas_and_any_case():
    for delimiter in (";", ","):
        rows = imports.read_rows(
            "export.CSV",
            csv_bytes([HEADER, ["RSSMRA80A01H501U", "TST-001", "01/02/2026"]], delimiter),
        )
        assert rows == [
            imports.Row(
                line=2,
                fiscal_code="RSSMRA80A01H501U",
                course_code="TST-001",
                completed_on="01/02/2026",
            )
        ]


def test_read_rows_refuses_bad_files():
    cases = [
        ("a.csv", b"", "empty"),
        ("a.pdf", b"%PDF-1.4", "file_type"),
        ("a.csv", b"x" * (imports.MAX_BYTES + 1), "too_large"),
        ("a.csv", csv_bytes([["nome", "cognome"], ["a", "b"]]), "missing_column"),
        ("a.csv", csv_bytes([HEADER]), "empty"),
    ]
    for filename, data, code in cases:
        with pytest.raises(Invalid) as error:
            imports.read_rows(filename, data)
        assert error.value.code == code, filename
    # Not what the extension says: a CSV named .xlsx, a spreadsheet named .csv, bad bytes.
    with pytest.raises(
        Invalid, match=re.escape(gettext("The file is not an Excel spreadsheet (XLSX)."))
    ):
        imports.read_rows("a.xlsx", csv_bytes([HEADER]))
    with pytest.raises(
        Invalid,
        match=re.escape(
            gettext("This file is a spreadsheet (XLSX), not a CSV file: rename it .xlsx.")
        ),
    ):
        imports.read_rows("a.csv", xlsx_bytes([HEADER]))
    with pytest.raises(Invalid, match="UTF-8"):
        imports.read_rows("a.csv", "codice_fiscale;è".encode("latin-1"))
    with pytest.raises(
        Invalid, match=re.escape(gettext("The spreadsheet cannot be read: save it again as XLSX."))
    ):
        imports.read_rows("a.xlsx", b"PK\x03\x04 broken zip")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "not a workbook")
    with pytest.raises(Invalid):
        imports.read_rows("a.xlsx", archive.getvalue())


def test_read_rows_limits_the_rows(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    lines = [HEADER] + [["X", "Y", "01/01/2026"]] * 4
    with pytest.raises(Invalid) as error:
        imports.read_rows("a.csv", csv_bytes(lines))
    assert error.value.code == "too_many_rows"


def test_dry_run_shows_what_will_change_and_changes_nothing(academy):
    enrolment = services.enrol(academy.member, academy.edition)
    day = TODAY() - datetime.timedelta(days=2)
    rows = imports.read_rows(
        "export.csv",
        csv_bytes([HEADER, [academy.member.fiscal_number, academy.course.code.lower(), dmy(day)]]),
    )
    plan = imports.plan(academy.staff, rows)
    (item,) = plan.rows
    assert item.outcome == imports.Outcome.COMPLETE
    assert item.user == academy.member and item.course == academy.course
    assert item.enrolment == enrolment and item.completed_on == day
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert not IssuedBadge.objects.exists() and not CompletionImport.objects.exists()


def test_apply_completes_issues_badges_once(academy, django_capture_on_commit_callbacks):
    enrolment = services.enrol(academy.member, academy.edition)
    day = TODAY() - datetime.timedelta(days=1)
    data = csv_bytes([HEADER, [academy.member.fiscal_number, academy.course.code, dmy(day)]])
    plan = imports.plan(academy.staff, imports.read_rows("export.csv", data))
    with django_capture_on_commit_callbacks(execute=True):
        record = imports.apply(academy.staff, plan, "export.csv", "ab" * 32)
    assert (record.rows, record.completed, record.unchanged) == (1, 1, 0)
    assert record.actor == academy.staff
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_on == day
    assert enrolment.completion_source == Enrolment.Source.IMPORT
    assert enrolment.completion_import == record
    badge = IssuedBadge.objects.get(enrolment=enrolment)
    assert badge.user == academy.member and badge.course_code == academy.course.code
    # The same file again: already completed, nothing to import.
    again = imports.plan(academy.staff, imports.read_rows("export.csv", data))
    assert [(item.outcome, item.code) for item in again.rows] == [("unchanged", "completed")]
    with pytest.raises(Conflict) as error:
        imports.apply(academy.staff, again, "export.csv", "ab" * 32)
    assert error.value.code == "nothing_to_import"
    assert CompletionImport.objects.count() == 1 and IssuedBadge.objects.count() == 1


def test_each_bad_row_is_refused_with_its_line_number(academy):
    services.enrol(academy.member, academy.edition)
    second_course = CoursePageFactory(parent=academy.page)
    edition_for(second_course)
    yesterday = dmy(TODAY() - datetime.timedelta(days=1))
    tomorrow = dmy(TODAY() + datetime.timedelta(days=1))
    cf, code = academy.member.fiscal_number, academy.course.code
    lines = [
        HEADER,
        [cf, code, yesterday],  # 2: will complete
        ["ZZZZZZ00Z00Z000Z", code, yesterday],  # 3: unknown person
        [academy.other.fiscal_number, code, yesterday],  # 4: not enrolled
        [cf, "NOPE-999", yesterday],  # 5: unknown course
        [cf, second_course.code, "31/02/2026"],  # 6: bad date
        [cf, code, tomorrow],  # 7: future date
        [cf, code, yesterday],  # 8: duplicate of line 2
        [cf, "", yesterday],  # 9: missing value
    ]
    plan = imports.plan(academy.staff, imports.read_rows("export.csv", csv_bytes(lines)))
    assert [(item.line, item.outcome) for item in plan.to_complete] == [(2, "complete")]
    assert [(item.line, item.code) for item in plan.refused] == [
        (3, "unknown_person"),
        (4, "not_enrolled"),
        (5, "unknown_course"),
        (6, "bad_date"),
        (7, "future_date"),
        (8, "duplicate"),
        (9, "missing_value"),
    ]
    reasons = {item.line: item.reason for item in plan.refused}
    assert "ZZZZZZ00Z00Z000Z" in reasons[3] and "NOPE-999" in reasons[5]
    assert "31/02/2026" in reasons[6] and " 2" in reasons[8] and "codice_corso" in reasons[9]
    # Applying skips the refused rows.
    record = imports.apply(academy.staff, plan, "export.csv", "cd" * 32)
    assert (record.rows, record.completed) == (8, 1)
    assert Enrolment.objects.completed().count() == 1


def test_people_by_email_and_an_ambiguous_email(academy):
    services.enrol(academy.member, academy.edition)
    twin_a = UserFactory(email="uffici@comune.example.it")
    UserFactory(email="UFFICI@comune.example.it")
    yesterday = dmy(TODAY() - datetime.timedelta(days=1))
    lines = [
        ["E-mail", "codice_corso", "data_completamento"],
        [academy.member.email.upper(), academy.course.code, yesterday],
        [twin_a.email, academy.course.code, yesterday],
    ]
    plan = imports.plan(academy.staff, imports.read_rows("export.csv", csv_bytes(lines)))
    first, second = plan.rows
    assert first.outcome == imports.Outcome.COMPLETE and first.user == academy.member
    # A fiscal code in lower case or with SPID's prefix is the same person.
    rows = [
        imports.Row(
            line=2,
            fiscal_code=f"tinit-{academy.member.fiscal_number.lower()}",
            course_code=academy.course.code,
            completed_on=yesterday,
        )
    ]
    assert imports.plan(academy.staff, rows).rows[0].user == academy.member
    assert first.outcome == imports.Outcome.COMPLETE and first.user == academy.member
    assert second.outcome == imports.Outcome.REFUSED and second.code == "ambiguous_email"


def test_xlsx_with_a_date_cell(academy):
    enrolment = services.enrol(academy.member, academy.edition)
    day = TODAY() - datetime.timedelta(days=3)
    cell = datetime.datetime.combine(day, datetime.time())  # openpyxl writes a date cell
    data = xlsx_bytes(
        [
            ["codice_fiscale", "codice_corso", "data_completamento"],
            [None, None, None],
            [academy.member.fiscal_number, academy.course.code, cell],
        ]
    )
    rows = imports.read_rows("Export.xlsx", data)
    assert [row.line for row in rows] == [3]
    plan = imports.plan(academy.staff, rows)
    assert plan.rows[0].completed_on == day and plan.rows[0].enrolment == enrolment


def test_only_staff_plan_and_apply(academy):
    rows = [imports.Row(line=2, fiscal_code="X", course_code="Y", completed_on="01/01/2026")]
    with pytest.raises(Refused):
        imports.plan(academy.member, rows)
    with pytest.raises(Refused):
        imports.apply(academy.member, imports.ImportPlan(), "a.csv", "0" * 64)


# --- The admin pages ---------------------------------------------------------------------------


def admin_staff(academy):
    academy.staff.is_superuser = True  # the admin's own access; the Academy's rule is staff's
    academy.staff.save()
    return academy.staff


def test_upload_dry_run_confirm_and_history(client, academy, django_capture_on_commit_callbacks):
    enrolment = services.enrol(academy.member, academy.edition)
    client.force_login(admin_staff(academy))
    assert client.get(reverse("academy_admin:import")).status_code == 200
    yesterday = dmy(TODAY() - datetime.timedelta(days=1))
    data = csv_bytes(
        [
            HEADER,
            [academy.member.fiscal_number, academy.course.code, yesterday],
            ["ZZZZZZ00Z00Z000Z", academy.course.code, yesterday],
        ]
    )
    response = client.post(
        reverse("academy_admin:import"), {"file": SimpleUploadedFile("completamenti.csv", data)}
    )
    assert response.status_code == 302
    preview = response["Location"]
    page = client.get(preview)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert academy.member.get_full_name() in html and academy.course.title in html
    assert 'data-line="3" data-code="unknown_person"' in html and 'id="confirm-import"' in html
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED  # the dry run changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview)
    assert response.status_code == 302
    record = CompletionImport.objects.get()
    detail_url = reverse("academy_admin:import_detail", args=[record.pk])
    assert response["Location"] == f"{detail_url}?recorded=1"
    assert record.filename == "completamenti.csv" and record.completed == 1
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    # A second click on "Confirm" shows the import done, and does nothing more.
    assert client.post(preview)["Location"] == detail_url
    assert CompletionImport.objects.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert academy.member.get_full_name() in detail
    history = client.get(reverse("academy_admin:imports")).content.decode()
    assert "completamenti.csv" in history


def test_the_template_file_reads_back(client, academy):
    client.force_login(admin_staff(academy))
    response = client.get(reverse("academy_admin:import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    filled = response.content + b"RSSMRA80A01H501U;;TST-001;01/02/2026\r\n"
    (row,) = imports.read_rows("completamenti-accademia.csv", filled)
    assert (row.line, row.fiscal_code, row.course_code) == (2, "RSSMRA80A01H501U", "TST-001")


def test_a_bad_upload_says_why_with_a_400(client, academy):
    client.force_login(admin_staff(academy))
    response = client.post(
        reverse("academy_admin:import"),
        {"file": SimpleUploadedFile("elenco.csv", csv_bytes([["nome"], ["x"]]))},
    )
    assert response.status_code == 400
    assert "codice_corso" in response.content.decode()
    response = client.post(reverse("academy_admin:import"), {})
    assert response.status_code == 400
    # An expired or unknown dry run sends back to the upload.
    response = client.get(reverse("academy_admin:import_preview", args=["f" * 64]))
    assert response.status_code == 302
    assert response["Location"] == reverse("academy_admin:import")


def test_record_a_completion_by_hand(client, academy):
    enrolment = services.enrol(academy.member, academy.edition)
    client.force_login(admin_staff(academy))
    url = reverse("academy_admin:complete")
    assert client.get(url).status_code == 200
    day = TODAY() - datetime.timedelta(days=1)
    form = {
        "person": academy.other.fiscal_number,
        "course_code": academy.course.code,
        "completed_on": day.isoformat(),
    }
    response = client.post(url, form)
    assert response.status_code == 409
    assert academy.other.fiscal_number in response.content.decode()  # the input is kept
    response = client.post(url, {**form, "person": academy.member.email})
    assert response.status_code == 302
    assert 'id="completion-recorded"' in client.get(response["Location"]).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completion_source == Enrolment.Source.STAFF
    assert enrolment.completion_recorded_by == academy.staff
    response = client.post(url, {**form, "person": academy.member.email})
    assert response.status_code == 409  # already completed
    response = client.post(url, {**form, "person": "NESSUNO@example.it"})
    assert response.status_code == 404  # unknown person
    response = client.post(url, {**form, "completed_on": "domani"})
    assert response.status_code == 400


def test_not_staff_cannot_use_the_pages(client, academy):
    """Members are sent to sign in to the admin; someone who may enter the admin but is not the
    Academy's staff is refused (Wagtail's refusal: back to the admin's home with a message)."""
    urls = [
        reverse("academy_admin:import"),
        reverse("academy_admin:imports"),
        reverse("academy_admin:complete"),
        reverse("academy_admin:report"),
        reverse("academy_admin:report_csv", args=["area"]),
        reverse("academy_admin:import_template"),
    ]
    client.force_login(academy.member)  # a member: not even the admin
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    # A member who may enter the admin (e.g. a community's coordinator) but is not staff.
    academy.other.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    # Wagtail answers the refusal (PermissionDenied) with its message on the admin's home.
    client.force_login(academy.other)
    home = reverse("wagtailadmin_home")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == home, url
    response = client.post(
        reverse("academy_admin:import"),
        {"file": SimpleUploadedFile("a.csv", csv_bytes([HEADER, ["X", "Y", "01/01/2026"]]))},
    )
    assert response.status_code == 302 and response["Location"] == home
    assert not CompletionImport.objects.exists()


# --- Any bytes: rows or a clear refusal, never a crash ------------------------------------------

PROPERTIES = settings(max_examples=150, derandomize=True, deadline=None, database=None)

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@PROPERTIES
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(cells, max_size=4), max_size=6).map(
            lambda lines: csv_bytes([HEADER, *lines], ";")
        ),
    ),
    st.sampled_from(["a.csv", "a.xlsx"]),
)
def test_read_rows_returns_rows_or_refuses_with_invalid(data, filename):
    try:
        rows = imports.read_rows(filename, data)
    except Invalid as error:
        assert error.user_message
    else:
        assert rows and all(isinstance(row, imports.Row) and row.line >= 2 for row in rows)


def test_the_academy_menu_lists_the_staff_pages(client, academy):
    client.force_login(admin_staff(academy))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("import", "imports", "complete", "report"):
        assert reverse(f"academy_admin:{name}") in html, name


def test_the_dry_run_and_the_history_take_a_constant_number_of_queries(client, academy):
    """The dry run reads people, courses and enrolments in one query each, whatever the rows."""
    client.force_login(admin_staff(academy))
    yesterday = dmy(TODAY() - datetime.timedelta(days=1))
    members = [academy.member, academy.other] + [UserFactory() for _ in range(4)]
    courses = [academy.course] + [CoursePageFactory(parent=academy.page) for _ in range(2)]
    for course in courses:
        edition = academy.edition if course == academy.course else edition_for(course)
        for member in members:
            Enrolment.objects.create(user=member, edition=edition, status="enrolled")

    def dry_run_queries(lines):
        data = csv_bytes([HEADER, *lines])
        upload = SimpleUploadedFile("a.csv", data)
        preview = client.post(reverse("academy_admin:import"), {"file": upload})["Location"]
        client.get(preview)  # warm the admin's caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(preview)
        assert response.status_code == 200
        return len(queries)

    one = dry_run_queries([[academy.member.fiscal_number, academy.course.code, yesterday]])
    many = dry_run_queries(
        [[m.fiscal_number, c.code, yesterday] for m in members for c in courses]
        + [["ZZZZZZ00Z00Z000Z", "NOPE", yesterday], [members[1].email, "X", "ieri"]]
    )
    assert many == one
    client.post(reverse("academy_admin:import_preview", args=[_last_sha(client)]))
    record = CompletionImport.objects.get()
    assert record.completed == len(members) * len(courses)
    url = reverse("academy_admin:import_detail", args=[record.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    CompletionImport.objects.create(actor=academy.staff, filename="b.csv", sha256="0" * 64)
    with CaptureQueriesContext(connection) as listing:
        client.get(reverse("academy_admin:imports"))
    with CaptureQueriesContext(connection) as detail_again:
        client.get(url)
    assert len(detail_again) == len(few)
    assert len(listing) <= len(few) + 2


def _last_sha(client):
    from academy.admin_views import SESSION_KEY

    return client.session[SESSION_KEY]["sha256"]


def test_an_xlsx_upload_with_only_refused_rows_cannot_be_confirmed(client, academy):
    client.force_login(admin_staff(academy))
    data = xlsx_bytes(
        [HEADER, ["ZZZZZZ00Z00Z000Z", academy.course.code, TODAY() - datetime.timedelta(days=1)]]
    )
    response = client.post(
        reverse("academy_admin:import"), {"file": SimpleUploadedFile("export.xlsx", data)}
    )
    assert response.status_code == 302
    preview = response["Location"]
    html = client.get(preview).content.decode()
    assert 'data-line="2" data-code="unknown_person"' in html
    assert 'id="confirm-import"' not in html
    response = client.post(preview)  # forced anyway: a 409, the dry run shown again
    assert response.status_code == 409
    assert 'data-code="unknown_person"' in response.content.decode()
    assert not CompletionImport.objects.exists()
