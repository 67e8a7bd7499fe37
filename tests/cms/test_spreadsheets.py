"""The portal's one formula escaper (cms/spreadsheets.py) and its use by every spreadsheet export,
Wagtail's own reports included."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms import audit
from cms.spreadsheets import SafeSpreadsheetExportMixin, escape_formula

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+39 06 1234", "'+39 06 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Comune di Roma", "Comune di Roma"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, 42),
        (-3, -3),
        (1.5, 1.5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (True, True),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected


def test_escape_formula_keeps_dates_and_stringifies_objects():
    day = datetime.date(2024, 5, 1)
    assert escape_formula(day) is day

    class Named:
        def __str__(self):
            return "=cmd|' /C calc'!A0"

    assert escape_formula(Named()) == "'=cmd|' /C calc'!A0"


def test_escaping_twice_changes_nothing():
    once = escape_formula(FORMULA)
    assert escape_formula(once) == once


def test_wagtail_export_step_is_wrapped():
    """CmsConfig.ready wrapped the documented preprocessing step of every export; if Wagtail
    renames or stops calling it, this test and the export tests below fail."""
    assert SpreadsheetExportMixin.preprocess_field_value._portal_escapes_formulas
    view = SpreadsheetExportMixin()
    for export_format in SpreadsheetExportMixin.FORMATS:
        assert view.preprocess_field_value("x", FORMULA, export_format) == "'" + FORMULA


def test_mixin_escapes_after_wagtail_preprocessing():
    class View(SafeSpreadsheetExportMixin, SpreadsheetExportMixin):
        pass

    assert View().preprocess_field_value("x", FORMULA, "csv") == "'" + FORMULA
    assert View().preprocess_field_value("x", 7, "xlsx") == 7


@pytest.mark.django_db
def test_site_history_export_escapes_labels(client):
    """Wagtail's own report (Reports → Site history) exports escaped cells too."""
    from membership.models import Ente
    from tests.communities.factories import StaffUserFactory

    client.force_login(StaffUserFactory(is_superuser=True))
    admin_client = client

    ente = Ente.objects.create(name=FORMULA, status=Ente.Status.PENDING)
    audit.record("wagtail.create", ente, title=FORMULA)
    response = admin_client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
