"""The Accademia's figures for staff: enrolments, completions, hours completed and Open Badges
(issued, revoked) by area, level, region and kind of Ente, each breakdown as a table, its bar
charts (inline SVG, drawn by ``templates/academy/admin/chart.html``) and a CSV file.

Two aggregate queries whatever the data (the enrolments grouped by area, level, region and kind
of Ente at once, the badges likewise), folded here into the four breakdowns:

- enrolments are the live ones (enrolled, on a waiting list or completed; cancelled ones are
  not counted); completions and hours are the completed enrolments and their credited hours;
- badges are counted by the course and the member they were issued for; a badge whose member's
  data were erased, or whose course page was deleted, counts under "not given";
- region and kind of Ente are the member's current ones (the portal keeps no history);
- with a period, each measure counts what happened in it: enrolments made, courses completed
  (and their hours), badges issued, badges revoked.

Only aggregates, no person. Staff only (``manage_academy``), asked by the views.
"""

from __future__ import annotations

import csv
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cms.spreadsheets import escape_formula
from membership.models import Ente

from .models import Enrolment, IssuedBadge
from .models.pages import Area, Level

NOT_GIVEN = ""

#: The breakdowns, by the slug of their CSV file: (slug, enrolment field, badge field).
DIMENSIONS = (
    ("area", "edition__course__area", "course__area"),
    ("livello", "edition__course__level", "course__level"),
    ("regione", "user__ente__region", "user__ente__region"),
    ("ente", "user__ente__kind", "user__ente__kind"),
)
SLUGS = tuple(slug for slug, _e, _b in DIMENSIONS)
MEASURES = ("enrolments", "completions", "hours", "issued", "revoked")


def _zero():
    return {"enrolments": 0, "completions": 0, "hours": Decimal(0), "issued": 0, "revoked": 0}


def _within(field, first, last) -> Q:
    """``field`` in the period (an empty ``Q``, always true, for no period)."""
    condition = Q()
    if first is not None:
        condition &= Q(**{f"{field}__gte": first})
    if last is not None:
        condition &= Q(**{f"{field}__lte": last})
    return condition


def figures(first=None, last=None) -> dict:
    """``{slug: {key: {measure: value}}}`` for every breakdown, plus ``"total"``; with a period
    (dates ``first``..``last``, either may be open), enrolments made, courses completed, badges
    issued and badges revoked in it."""
    enrolled = _within("created_at__date", first, last)
    completed = Q(status=Enrolment.Status.COMPLETED) & _within("completed_on", first, last)
    dated = first is not None or last is not None
    enrolments = Enrolment.objects.live()
    if dated:  # only the rows with something in the period (an empty Q is no condition)
        enrolments = enrolments.filter(enrolled | completed)
    enrolment_rows = (
        enrolments.order_by()
        .values_list(*(field for _s, field, _b in DIMENSIONS))
        .annotate(
            enrolments=Count("pk", filter=enrolled),
            completions=Count("pk", filter=completed),
            hours=Sum("hours", filter=completed),
        )
    )
    issued = _within("issued_at__date", first, last)
    revoked = Q(revoked_at__isnull=False) & _within("revoked_at__date", first, last)
    badges = IssuedBadge.objects.filter(issued | revoked) if dated else IssuedBadge.objects.all()
    badge_rows = (
        badges.order_by()
        .values_list(*(field for _s, _e, field in DIMENSIONS))
        .annotate(issued=Count("pk", filter=issued), revoked=Count("pk", filter=revoked))
    )
    data = {slug: {} for slug in SLUGS}
    total = _zero()
    for *keys, enrolments, completions, hours in enrolment_rows:
        values = {"enrolments": enrolments, "completions": completions, "hours": hours or 0}
        _add(data, keys, values, total)
    for *keys, issued_count, revoked_count in badge_rows:
        _add(data, keys, {"issued": issued_count, "revoked": revoked_count}, total)
    return {"breakdowns": data, "total": total, "period": (first, last)}


def _add(data, keys, values, total):
    for (slug, _e, _b), key in zip(DIMENSIONS, keys, strict=True):
        key = (key or "").strip() or NOT_GIVEN
        bucket = data[slug].setdefault(key, _zero())
        for measure, value in values.items():
            bucket[measure] += value
    for measure, value in values.items():
        total[measure] += value


def _ordered(slug, buckets) -> list[tuple[str, str, dict]]:
    """``(key, label, values)`` in the breakdown's order: the choices' order for areas, levels
    and kinds of Ente (every area and level shown, even at zero), regions alphabetically; "not
    given" last."""
    not_given = _("Not given")
    if slug in ("area", "livello"):
        choices = Area.choices if slug == "area" else Level.choices
        rows = [(key, str(label), buckets.get(key, _zero())) for key, label in choices]
        known = {key for key, _label in choices}
    elif slug == "ente":
        rows = [
            (key, str(label), buckets[key]) for key, label in Ente.Kind.choices if key in buckets
        ]
        known = {key for key, _label in Ente.Kind.choices}
    else:
        rows = [
            (key, key, values)
            for key, values in sorted(buckets.items(), key=lambda item: item[0].casefold())
            if key != NOT_GIVEN
        ]
        known = {key for key, _l, _v in rows}
    rows += [
        (key, key, values)
        for key, values in sorted(buckets.items())
        if key not in known and key != NOT_GIVEN
    ]
    if NOT_GIVEN in buckets:
        rows.append((NOT_GIVEN, not_given, buckets[NOT_GIVEN]))
    return rows


def _captions():
    return {
        "area": (_("By area"), _("Area")),
        "livello": (_("By level"), _("Level")),
        "regione": (_("By region of the member's authority"), _("Region")),
        "ente": (_("By kind of the member's authority"), _("Kind of authority")),
    }


def headers(first) -> list[str]:
    return [
        first,
        _("Enrolments"),
        _("Completions"),
        _("Hours completed"),
        _("Badges issued"),
        _("Badges revoked"),
    ]


def hours_text(value) -> str:
    """Hours as data (the CSV): ``8``, ``4.5``."""
    value = Decimal(value or 0)
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())


def hours_display(value) -> str:
    """Hours as the page shows them, in the user's language (``4,5`` in Italian)."""
    return number_format(Decimal(hours_text(value)))


def tables(data) -> list[dict]:
    """Every breakdown as a table (caption, headers, ``(label, [values])`` rows)."""
    result = []
    captions = _captions()
    for slug in SLUGS:
        caption, first = captions[slug]
        rows = [
            (label, [values[measure] for measure in MEASURES])
            for _key, label, values in _ordered(slug, data["breakdowns"][slug])
        ]
        result.append({"slug": slug, "caption": caption, "headers": headers(first), "rows": rows})
    return result


# --- Charts ------------------------------------------------------------------------------------

LABEL_WIDTH, BAR_WIDTH, BAR_HEIGHT, GAP, TOP = 230, 300, 14, 10, 8


def nice_max(value) -> float:
    """A round upper bound (1, 2, 5 × a power of ten) at or above ``value``."""
    value = float(value or 0)
    if value <= 0:
        return 1
    power = 1
    while power * 10 < value:
        power *= 10
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def bar_chart(chart_id, title, desc, labels, series) -> dict:
    """A horizontal bar chart: one group of bars per label, ``series`` a list of one or two
    ``(name, [values], formatter)``; the second series is hatched as well as coloured, and every
    bar carries its value as text, so nothing is told by colour alone."""
    top = nice_max(max((v for _n, values, _f in series for v in values), default=0))
    group = BAR_HEIGHT * len(series) + GAP
    groups = []
    for index, label in enumerate(labels):
        y0 = TOP + index * group
        bars = []
        for s_index, (_name, values, formatter) in enumerate(series):
            value = values[index]
            length = round(BAR_WIDTH * float(value) / top, 1)
            y = y0 + s_index * BAR_HEIGHT
            bars.append(
                {
                    "x": LABEL_WIDTH,
                    "y": y,
                    "width": max(length, 0),
                    "height": BAR_HEIGHT - 2,
                    "hatched": s_index == 1,
                    "text": formatter(value),
                    "text_x": LABEL_WIDTH + length + 6,
                    "text_y": y + BAR_HEIGHT - 4,
                }
            )
        groups.append(
            {
                "label": label,
                "label_x": LABEL_WIDTH - 8,
                "label_y": y0 + (BAR_HEIGHT * len(series)) / 2 + 4,
                "bars": bars,
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "height": TOP + group * max(len(labels), 1),
        "groups": groups,
        "legend": [
            {"name": name, "hatched": index == 1} for index, (name, _v, _f) in enumerate(series)
        ]
        if len(series) > 1
        else [],
    }


def charts(table) -> list[dict]:
    """The three charts of a breakdown: enrolments and completions, hours, badges."""
    labels = [label for label, _values in table["rows"]]
    column = {
        measure: [values[index] for _label, values in table["rows"]]
        for index, measure in enumerate(MEASURES)
    }
    slug, caption = table["slug"], table["caption"]
    same = _("The same figures are in the table of this section.")
    return [
        bar_chart(
            f"chart-{slug}-enrolments",
            _("Enrolments and completions") + " — " + caption.lower(),
            _("Bar chart, two bars per row: enrolments (plain) and completions (hatched).")
            + " "
            + same,
            labels,
            [
                (_("Enrolments"), column["enrolments"], str),
                (_("Completions"), column["completions"], str),
            ],
        ),
        bar_chart(
            f"chart-{slug}-hours",
            _("Hours completed") + " — " + caption.lower(),
            _("Bar chart: hours of the courses completed.") + " " + same,
            labels,
            [(_("Hours completed"), column["hours"], hours_display)],
        ),
        bar_chart(
            f"chart-{slug}-badges",
            _("Open Badges") + " — " + caption.lower(),
            _("Bar chart, two bars per row: badges issued (plain) and revoked (hatched).")
            + " "
            + same,
            labels,
            [
                (_("Badges issued"), column["issued"], str),
                (_("Badges revoked"), column["revoked"], str),
            ],
        ),
    ]


def for_page(data) -> list[dict]:
    """The tables with their charts and their cells as text."""
    result = []
    for table in tables(data):
        rows = [
            (
                label,
                [
                    hours_display(value) if measure == "hours" else number_format(value)
                    for measure, value in zip(MEASURES, values, strict=True)
                ],
            )
            for label, values in table["rows"]
        ]
        result.append({**table, "charts": charts(table), "text_rows": rows})
    return result


def csv_response(data, slug) -> HttpResponse:
    """One breakdown as a CSV file (UTF-8 with a BOM for Excel; every cell formula-safe)."""
    (table,) = [table for table in tables(data) if table["slug"] == slug]
    first, last = data["period"]
    period = "".join(f"-{day.isoformat()}" if day else "-" for day in (first, last))
    name = f"accademia-{slug}{period if first or last else ''}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([escape_formula(header) for header in table["headers"]])
    for label, values in table["rows"]:
        writer.writerow(
            [escape_formula(label)]
            + [
                hours_text(value) if measure == "hours" else value
                for measure, value in zip(MEASURES, values, strict=True)
            ]
        )
    return response
