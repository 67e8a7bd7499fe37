"""Spreadsheet exports that no spreadsheet will run: the portal's one formula escaper.

Text that members type (an authority's name they proposed, a name, a note) ends up in CSV and
XLSX exports that staff and coordinators open in Excel or LibreOffice. A cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula there (OWASP, "CSV
injection": ``=HYPERLINK("http://x","y")`` becomes a link, worse formulas run). ``escape_formula``
prefixes such a cell with an apostrophe, which spreadsheets show as text and never evaluate.

Every export uses it:

- the site's own CSV files (e.g. the members of a community,
  ``communities/views/manage_members.py``) call ``escape_formula`` on every cell;
- Wagtail admin listings export through ``SpreadsheetExportMixin``: the portal's viewsets use
  ``SafeExportIndexView`` (or ``SafeSpreadsheetExportMixin`` on another view), which escapes
  every value in the documented ``preprocess_field_value`` step, for CSV and XLSX alike
  (Wagtail already stores XLSX formulas as text; the apostrophe keeps both formats equal);
- Wagtail's own reports (Site history, page reports...) are views we cannot subclass into
  their URLs: ``cms/overrides.py`` (installed once from ``CmsConfig.ready``) wraps the same
  ``preprocess_field_value`` step of ``SpreadsheetExportMixin`` itself with ``escape_formula``.
  It is the one override of a Wagtail internal for this, and tests/cms/test_spreadsheets.py and
  tests/cms/test_overrides.py fail if upstream changes the step under it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.encoding import force_str
from wagtail.admin.views.generic import IndexView

__all__ = [
    "FORMULA_PREFIXES",
    "SafeExportIndexView",
    "SafeSpreadsheetExportMixin",
    "escape_formula",
]

#: What spreadsheets read as the start of a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """``value`` safe for a spreadsheet cell: text starting like a formula gets a leading
    apostrophe; ``None`` becomes ``""``; numbers, dates and booleans are returned unchanged
    (they are typed cells, never formulas)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if not isinstance(value, str):
        if hasattr(value, "isoformat"):  # dates and times
            return value
        value = force_str(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """For a view built on Wagtail's ``SpreadsheetExportMixin``: every exported value goes
    through ``escape_formula`` after Wagtail's own preprocessing (CSV and XLSX)."""

    def preprocess_field_value(self, field, value, export_format):
        return escape_formula(super().preprocess_field_value(field, value, export_format))


class SafeExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """Wagtail's model listing whose CSV/XLSX export escapes formulas: the ``index_view_class``
    of every portal ``ModelViewSet`` with ``list_export``."""
