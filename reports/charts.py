"""Bar charts drawn on the server as inline SVG: no JavaScript, no chart library, no CDN.

Each function returns the geometry of one chart (a dict) that ``reports/includes/chart.html``
draws as ``<svg role="img">`` with a ``<title>`` and a ``<desc>``. Every bar carries its value
as text, and the second series of a chart is hatched as well as coloured, so nothing is told by
colour alone; the same figures are always in the table next to the chart.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from .figures import THRESHOLD

#: The portal's primary blue and a darker second colour (each with a pattern of its own).
SERIES_STYLES = ("series-a", "series-b")
PLOT_HEIGHT = 160
TOP = 24
BOTTOM = 44
LEFT = 44


def nice_max(value) -> int:
    """A round upper bound of the axis (1, 2, 5 × a power of ten) at or above ``value``."""
    if not value or value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def value_text(value) -> str:
    return f"< {THRESHOLD}" if value is None else str(value)


def columns(chart_id, title, desc, labels, series) -> dict:
    """A column chart over months: ``labels`` along the bottom, ``series`` a list of
    ``(name, [values])`` (one or two) drawn side by side in each month."""
    count = max(len(labels), 1)
    per_series = 18
    slot = max(per_series * len(series) + 12, 34)
    width = LEFT + slot * count + 8
    height = TOP + PLOT_HEIGHT + BOTTOM
    top = nice_max(max((v or 0) for _name, values in series for v in values) if series else 0)
    drawn = []
    for index in range(len(labels)):
        x0 = LEFT + index * slot + (slot - per_series * len(series)) / 2
        for s_index, (_name, values) in enumerate(series):
            value = values[index] or 0
            h = round(PLOT_HEIGHT * value / top, 1)
            x = x0 + s_index * per_series
            drawn.append(
                {
                    "x": x,
                    "y": TOP + PLOT_HEIGHT - h,
                    "width": per_series - 2,
                    "height": h,
                    "style": SERIES_STYLES[s_index % 2],
                    "text": value_text(values[index]),
                    "text_x": x + (per_series - 2) / 2,
                    "text_y": TOP + PLOT_HEIGHT - h - 4,
                }
            )
    steps = (0, 1, 2) if top % 2 == 0 else (0, 2)  # a middle line only at a whole number
    ticks = [
        {"y": TOP + PLOT_HEIGHT - PLOT_HEIGHT * step / 2, "text": str(top * step // 2)}
        for step in steps
    ]
    axis_labels = []
    for index, label in enumerate(labels):  # "Gen 2025": the month, the year below it
        month, _space, year = label.partition(" ")
        axis_labels.append({"x": LEFT + index * slot + slot / 2, "month": month, "year": year})
    return {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "width": width,
        "height": height,
        "bars": drawn,
        "ticks": ticks,
        "axis_labels": axis_labels,
        "axis_y": TOP + PLOT_HEIGHT,
        "label_y": TOP + PLOT_HEIGHT + 18,
        "left": LEFT,
        "right": width - 8,
        "legend": [
            {"name": name, "style": SERIES_STYLES[i % 2]} for i, (name, _v) in enumerate(series)
        ]
        if len(series) > 1
        else [],
        "vertical": True,
    }


def bars(chart_id, title, desc, rows) -> dict:
    """A horizontal bar chart of categories: ``rows`` are ``(label, value)``, a masked value is
    ``None`` (drawn as a short stub labelled "< 3")."""
    label_width, bar_width, row_height = 210, 300, 26
    width = label_width + bar_width + 60
    height = TOP + row_height * max(len(rows), 1) + 8
    top = nice_max(max(((value or 0) for _label, value in rows), default=0))
    items = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * row_height
        length = 3 if value is None else round(bar_width * value / top, 1)
        items.append(
            {
                "label": label,
                "label_x": label_width - 8,
                "y": y + 4,
                "text_y": y + row_height / 2 + 4,
                "x": label_width,
                "width": length,
                "height": row_height - 8,
                "text": value_text(value),
                "text_x": label_width + length + 6,
                "style": SERIES_STYLES[0],
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "width": width,
        "height": height,
        "rows": items,
        "vertical": False,
        "legend": [],
        "empty": _("No members in this period.") if not rows else "",
    }
