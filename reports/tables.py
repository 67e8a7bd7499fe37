"""The figures as tables (the page's accessible tables, the CSV files) and their charts: one
definition of each table, so the chart, the table and the CSV always say the same."""

from __future__ import annotations

import csv
import datetime

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.spreadsheets import escape_formula

from . import charts
from .charts import value_text

#: The tables, by the slug of their CSV file (``.../partecipazione/<slug>.csv``).
SLUGS = ("membri", "ruoli", "regioni", "enti", "attivita")


def month_label(key: str) -> str:
    """``"2026-03"`` as the portal shows a month ("Mar 2026" in Italian)."""
    year, month = (int(part) for part in key.split("-"))
    return date_format(datetime.date(year, month, 1), "M Y")


def _members_table(data):
    rows = data["members_by_month"]
    return {
        "slug": "membri",
        "caption": _("Members by month"),
        "headers": [
            _("Month"),
            _("Joinings"),
            _("Departures"),
            _("Members at the end of the month"),
        ],
        "rows": [(row["month"], [row["joined"], row["left"], row["members"]]) for row in rows],
        "month_rows": True,
        "chart": lambda: charts.columns(
            "chart-membri",
            _("Members at the end of each month"),
            _(
                "Column chart: members at the end of each month of the period. The same figures, "
                "with joinings and departures, are in the table that follows."
            ),
            [month_label(row["month"]) for row in rows],
            [(_("Members at the end of the month"), [row["members"] for row in rows])],
        ),
    }


def _breakdown_table(slug, caption, header, rows, desc):
    return {
        "slug": slug,
        "caption": caption,
        "headers": [header, _("Members")],
        "rows": [(row["label"], [row["count"]]) for row in rows],
        "month_rows": False,
        "chart": lambda: charts.bars(
            f"chart-{slug}", caption, desc, [(row["label"], row["count"]) for row in rows]
        ),
    }


def _activity_table(data):
    rows = data["activity_by_month"]
    attendance = data["attendance_available"]
    headers = [_("Month"), _("Topics opened"), _("Replies posted")]
    if attendance:
        headers.append(_("Event attendances"))

    def cells(row):
        values = [row["topics"], row["replies"]]
        return values + [row["attendances"]] if attendance else values

    return {
        "slug": "attivita",
        "caption": _("Activity by month"),
        "headers": headers,
        "rows": [(row["month"], cells(row)) for row in rows],
        "month_rows": True,
        "chart": lambda: charts.columns(
            "chart-attivita",
            _("Topics opened and replies posted each month"),
            _(
                "Column chart, two series per month: topics opened (plain bars) and replies "
                "posted (hatched bars). The same figures are in the table that follows."
            ),
            [month_label(row["month"]) for row in rows],
            [
                (_("Topics opened"), [row["topics"] for row in rows]),
                (_("Replies posted"), [row["replies"] for row in rows]),
            ],
        ),
    }


def tables(data) -> list[dict]:
    """Every table of the figures ``data`` (``reports.figures.figures``), in page order."""
    masked_note = _("Groups of fewer than %(n)d people are shown as “< %(n)d”.") % {
        "n": data["threshold"]
    }
    return [
        _members_table(data),
        _breakdown_table(
            "ruoli",
            _("Members by role"),
            _("Role"),
            data["members_by_role"],
            _("Bar chart: members by role at the end of the period."),
        ),
        _breakdown_table(
            "regioni",
            _("Members by region of their authority"),
            _("Region"),
            data["members_by_region"],
            _("Bar chart: members by region of their authority at the end of the period. ")
            + masked_note,
        ),
        _breakdown_table(
            "enti",
            _("Members by kind of authority"),
            _("Kind of authority"),
            data["members_by_ente_kind"],
            _("Bar chart: members by kind of authority at the end of the period. ") + masked_note,
        ),
        _activity_table(data),
    ]


def for_page(data) -> list[dict]:
    """The tables with their charts drawn and their cells as text (months as labels)."""
    result = []
    for table in tables(data):
        rows = [
            (month_label(head) if table["month_rows"] else head, [value_text(v) for v in values])
            for head, values in table["rows"]
        ]
        result.append({**table, "rows": rows, "chart": table["chart"]()})
    return result


def csv_response(data, slug, scope_name) -> HttpResponse:
    """One table as a CSV file (UTF-8 with a BOM for Excel; every cell formula-safe)."""
    (table,) = [table for table in tables(data) if table["slug"] == slug]
    period = data["period"]
    filename = f"partecipazione-{slugify(scope_name)}-{slug}-{period['from']}-{period['to']}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([escape_formula(header) for header in table["headers"]])
    for head, values in table["rows"]:
        writer.writerow(
            [escape_formula(head)]
            + [escape_formula(value if value is not None else value_text(None)) for value in values]
        )
    return response
