"""Completion imports: the e-learning platform's export (CSV or XLSX) of who completed which
course, read, checked in a dry run and applied by staff.

1. ``read_rows(filename, data)`` reads the file: CSV (UTF-8, ``;`` or ``,``) or XLSX (openpyxl,
   read-only), at most ``MAX_BYTES`` and ``MAX_ROWS`` data rows, with a header naming the
   columns (case-insensitive, the platform's Italian names): ``codice_fiscale`` or ``email``
   (one of them at least), ``codice_corso`` (``CoursePage.code``) and ``data_completamento``
   (dd/mm/yyyy or yyyy-mm-dd; a date cell in XLSX). A file that cannot be read at all (wrong
   type, too large, no header, a required column missing) raises ``Invalid`` and nothing else
   happens. Rows are plain strings (``Row``), so the admin keeps them in the session between
   the dry run and the confirmation.
2. ``plan(actor, rows)`` is the dry run: each row will complete a member's live enrolment in the
   course, or is already completed (unchanged), or is refused with its line number and the
   reason (unknown person, person not enrolled in the course, unknown course code, bad or
   future date, duplicate of an earlier row, missing value). It changes nothing.
3. ``apply(actor, plan, filename, sha256)`` records a ``CompletionImport`` and completes the
   valid rows through ``services.complete`` (which issues the badges), all in one transaction;
   refused rows are never applied.

Staff only (``manage_academy``), every step.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from cms.errors import Conflict, Invalid

from . import services
from .models import CompletionImport, CoursePage, Enrolment

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: An XLSX is a zip: what it may hold once unpacked (a few MB of 5000 rows; no zip bombs).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
#: Columns read from an XLSX sheet (a header wider than this is cut).
MAX_COLUMNS = 50

FISCAL_CODE = "codice_fiscale"
EMAIL = "email"
COURSE_CODE = "codice_corso"
DATE = "data_completamento"

#: The columns of the file the admin offers as a template.
TEMPLATE_COLUMNS = (FISCAL_CODE, EMAIL, COURSE_CODE, DATE)

#: Other spellings of the columns' names found in exports (normalised: lower case, ``_``).
ALIASES = {
    "cf": FISCAL_CODE,
    "codicefiscale": FISCAL_CODE,
    "fiscal_code": FISCAL_CODE,
    "e_mail": EMAIL,
    "mail": EMAIL,
    "indirizzo_email": EMAIL,
    "codice": COURSE_CODE,
    "corso": COURSE_CODE,
    "course_code": COURSE_CODE,
    "data": DATE,
    "data_di_completamento": DATE,
    "completion_date": DATE,
}

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Row:
    """One data row of the file, as text (``completed_on`` is ISO for an XLSX date cell)."""

    line: int
    fiscal_code: str = ""
    email: str = ""
    course_code: str = ""
    completed_on: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Row:
        return cls(
            line=int(data["line"]),
            **{
                key: str(data.get(key) or "")
                for key in ("fiscal_code", "email", "course_code", "completed_on")
            },
        )


# --- Reading the file --------------------------------------------------------------------------


def _column_name(value) -> str:
    name = re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())
    return ALIASES.get(name, name)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_lines(data: bytes):
    if data.startswith(XLSX_MAGIC):
        raise Invalid(_("This file is a spreadsheet (XLSX), not a CSV file: rename it .xlsx."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid(
            _("The file is not a UTF-8 text (CSV) file. Save it as “CSV UTF-8” and try again.")
        ) from error
    if "\x00" in text:
        raise Invalid(_("The file is not a text (CSV) file."))
    # The delimiter is sniffed on the header line (column names hold neither ``;`` nor ``,``).
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise Invalid(
            _("The CSV file cannot be read near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    if not data.startswith(XLSX_MAGIC):
        raise Invalid(_("The file is not an Excel spreadsheet (XLSX)."))
    unreadable = _("The spreadsheet cannot be read: save it again as XLSX.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Invalid(unreadable) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise Invalid(_("The spreadsheet is too large once unpacked."), code="too_large")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # BadZipFile, KeyError, openpyxl's InvalidFileException...
        raise Invalid(unreadable) from error
    try:
        rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as error:  # a malformed sheet, found while reading it
                raise Invalid(unreadable) from error
            number += 1
            yield number, values
    finally:
        workbook.close()


def read_rows(filename: str, data: bytes) -> list[Row]:
    """The data rows of the uploaded file ``filename`` (see the module's docstring)."""
    name = (filename or "").lower()
    if len(data) > MAX_BYTES:
        raise Invalid(_("The file is too large (at most 2 MB)."), code="too_large")
    if not data:
        raise Invalid(_("The file is empty."), code="empty")
    if name.endswith(".csv"):
        lines = _csv_lines(data)
    elif name.endswith(".xlsx"):
        lines = _xlsx_lines(data)
    else:
        raise Invalid(_("Upload a CSV or XLSX file."), code="file_type")
    columns = None
    rows = []
    for number, values in lines:
        cells = [_cell_text(value) for value in values or ()]
        if not any(cells):
            continue
        if columns is None:
            columns = _header(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise Invalid(
                _("The file has too many rows (at most %(n)d).") % {"n": MAX_ROWS},
                code="too_many_rows",
            )
        rows.append(_row(number, columns, cells))
    if columns is None:
        raise Invalid(_("The file is empty."), code="empty")
    if not rows:
        raise Invalid(_("The file has a header but no rows."), code="empty")
    return rows


def _row(number, columns, cells) -> Row:
    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    return Row(
        line=number,
        fiscal_code=cell(FISCAL_CODE),
        email=cell(EMAIL),
        course_code=cell(COURSE_CODE),
        completed_on=cell(DATE),
    )


def _header(cells) -> dict:
    columns = {}
    for index, cell in enumerate(cells):
        name = _column_name(cell)
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in (COURSE_CODE, DATE) if name not in columns]
    if FISCAL_CODE not in columns and EMAIL not in columns:
        missing.insert(0, f"{FISCAL_CODE} / {EMAIL}")
    if missing:
        raise Invalid(
            _(
                "The first row must name the columns; missing: %(missing)s. Expected columns: "
                "codice_fiscale or email, codice_corso, data_completamento."
            )
            % {"missing": ", ".join(missing)},
            code="missing_column",
        )
    return columns


# --- The dry run -------------------------------------------------------------------------------


class Outcome:
    COMPLETE = "complete"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass
class PlannedRow:
    row: Row
    outcome: str
    #: Why a row is refused or unchanged: ``missing_value``, ``unknown_person``,
    #: ``ambiguous_email``, ``unknown_course``, ``bad_date``, ``future_date``, ``duplicate``,
    #: ``not_enrolled``; ``completed`` (unchanged).
    code: str = ""
    reason: str = ""
    user: object = None
    course: CoursePage | None = None
    enrolment: Enrolment | None = None
    completed_on: datetime.date | None = None

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def person(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.row.fiscal_code or self.row.email

    @property
    def identifier(self) -> str:
        return self.row.fiscal_code or self.row.email


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)

    def _with(self, outcome):
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def to_complete(self) -> list[PlannedRow]:
        return self._with(Outcome.COMPLETE)

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self._with(Outcome.UNCHANGED)

    @property
    def refused(self) -> list[PlannedRow]:
        return self._with(Outcome.REFUSED)

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_complete)


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> datetime.date | None:
    """A completion date as the platforms write it: dd/mm/yyyy or yyyy-mm-dd (an XLSX date
    cell arrives as yyyy-mm-dd); a time after the date is ignored. ``None`` if unreadable."""
    text = (text or "").strip().split(" ")[0].split("T")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


def _fiscal(code: str) -> str:
    """A fiscal code as the portal keeps it: upper case, without SPID's ``TINIT-`` prefix."""
    code = code.strip().upper()
    return code.removeprefix("TINIT-")


def _people(rows):
    from django.contrib.auth import get_user_model

    fiscal_codes = {_fiscal(row.fiscal_code) for row in rows if row.fiscal_code}
    emails = {row.email.lower() for row in rows if row.email and not row.fiscal_code}
    by_fiscal, by_email = {}, {}
    if not fiscal_codes and not emails:
        return by_fiscal, by_email
    users = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)
    query = Q(fiscal_number__in=fiscal_codes)
    if emails:
        users = users.annotate(email_lower=Lower("email"), contact_lower=Lower("contact_email"))
        query |= Q(email_lower__in=emails) | Q(contact_lower__in=emails)
    for user in users.filter(query).only(
        "pk", "username", "first_name", "last_name", "fiscal_number", "email", "contact_email"
    ):
        if user.fiscal_number:
            by_fiscal[user.fiscal_number.upper()] = user
        for address in {(user.email or "").lower(), (user.contact_email or "").lower()}:
            if address in emails:
                by_email.setdefault(address, set()).add(user)
    return by_fiscal, by_email


def _courses(rows) -> dict:
    codes = {row.course_code.strip().upper() for row in rows if row.course_code}
    if not codes:
        return {}
    return {
        course.code: course
        for course in CoursePage.objects.filter(code__in=codes, locale=Locale.get_default())
    }


def _enrolments(user_ids, course_ids) -> dict:
    """The live enrolment of each (member, course) pair, the latest when there are several."""
    found = {}
    queryset = (
        Enrolment.objects.live()
        .filter(user_id__in=user_ids, edition__course_id__in=course_ids)
        .select_related("edition")
        .order_by("created_at", "pk")
    )
    for enrolment in queryset:
        found[(enrolment.user_id, enrolment.edition.course_id)] = enrolment
    return found


def _refuse(row, code, reason, **kwargs) -> PlannedRow:
    return PlannedRow(row=row, outcome=Outcome.REFUSED, code=code, reason=reason, **kwargs)


def plan(actor, rows: list[Row]) -> ImportPlan:
    """The dry run of ``rows``: what each one would do. Changes nothing."""
    services._require_staff(actor)
    by_fiscal, by_email = _people(rows)
    courses = _courses(rows)
    today = timezone.localdate()
    resolved = []
    for row in rows:
        resolved.append(_resolve(row, by_fiscal, by_email, courses, today))
    enrolments = _enrolments(
        {item.user.pk for item in resolved if item.user is not None},
        {item.course.pk for item in resolved if item.course is not None},
    )
    result = ImportPlan()
    seen = {}
    for item in resolved:
        if item.outcome == Outcome.REFUSED:
            result.rows.append(item)
            continue
        key = (item.user.pk, item.course.pk)
        if key in seen:
            item.outcome, item.code = Outcome.REFUSED, "duplicate"
            item.reason = _(
                "Duplicate row: this person and this course are already on line %(line)d."
            ) % {"line": seen[key]}
            result.rows.append(item)
            continue
        seen[key] = item.line
        enrolment = enrolments.get(key)
        if enrolment is None:
            item.outcome, item.code = Outcome.REFUSED, "not_enrolled"
            item.reason = _("This person is not enrolled in this course.")
        else:
            item.enrolment = enrolment
            if enrolment.status == Enrolment.Status.COMPLETED:
                item.outcome, item.code = Outcome.UNCHANGED, "completed"
                item.reason = _("Already completed on %(date)s.") % {
                    "date": enrolment.completed_on.strftime("%d/%m/%Y")
                }
        result.rows.append(item)
    return result


def _resolve(row, by_fiscal, by_email, courses, today) -> PlannedRow:
    """A row with its person, course and date, or refused for the first thing wrong with it."""
    missing = []
    if not (row.fiscal_code or row.email):
        missing.append(f"{FISCAL_CODE} / {EMAIL}")
    if not row.course_code:
        missing.append(COURSE_CODE)
    if not row.completed_on:
        missing.append(DATE)
    if missing:
        return _refuse(
            row,
            "missing_value",
            _("Missing value in the column(s): %(columns)s.") % {"columns": ", ".join(missing)},
        )
    if row.fiscal_code:
        user = by_fiscal.get(_fiscal(row.fiscal_code))
        if user is None:
            return _refuse(
                row,
                "unknown_person",
                _("Unknown person: no member has the fiscal code %(code)s.")
                % {"code": row.fiscal_code},
            )
    else:
        users = by_email.get(row.email.lower(), set())
        if not users:
            return _refuse(
                row,
                "unknown_person",
                _("Unknown person: no member has the email %(email)s.") % {"email": row.email},
            )
        if len(users) > 1:
            return _refuse(
                row,
                "ambiguous_email",
                _("Several members have the email %(email)s: use the fiscal code.")
                % {"email": row.email},
            )
        (user,) = users
    course = courses.get(row.course_code.strip().upper())
    if course is None:
        return _refuse(
            row,
            "unknown_course",
            _("Unknown course code %(code)s.") % {"code": row.course_code},
            user=user,
        )
    completed_on = parse_date(row.completed_on)
    if completed_on is None:
        return _refuse(
            row,
            "bad_date",
            _("Bad date “%(date)s”: write it as dd/mm/yyyy or yyyy-mm-dd.")
            % {"date": row.completed_on},
            user=user,
            course=course,
        )
    if completed_on > today:
        return _refuse(
            row,
            "future_date",
            _("The date %(date)s is in the future.") % {"date": completed_on.strftime("%d/%m/%Y")},
            user=user,
            course=course,
        )
    return PlannedRow(
        row=row, outcome=Outcome.COMPLETE, user=user, course=course, completed_on=completed_on
    )


# --- Applying ----------------------------------------------------------------------------------


def apply(actor, import_plan: ImportPlan, filename: str, sha256: str) -> CompletionImport:
    """Record the import and complete every valid row of ``import_plan`` (one transaction:
    all of them or, on an error, none). Refused rows are skipped."""
    services._require_staff(actor)
    if not import_plan.changes_anything:
        raise Conflict(
            _("Nothing to import: no row of this file records a new completion."),
            code="nothing_to_import",
        )
    with transaction.atomic():
        record = CompletionImport.objects.create(
            actor=actor,
            filename=(filename or "")[:255],
            sha256=sha256,
            rows=len(import_plan.rows),
            completed=len(import_plan.to_complete),
            unchanged=len(import_plan.unchanged),
        )
        for item in import_plan.to_complete:
            try:
                services.complete(
                    actor,
                    item.enrolment,
                    item.completed_on,
                    source=Enrolment.Source.IMPORT,
                    completion_import=record,
                )
            except Invalid as error:
                raise type(error)(
                    _("Line %(line)d: %(message)s")
                    % {"line": item.line, "message": error.user_message},
                    code=error.code,
                ) from error
    return record
