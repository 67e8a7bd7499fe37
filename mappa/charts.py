"""The report's charts as inline SVG (no JavaScript, no external file: the same markup serves the
page and the PDF). Each chart is an image for assistive technologies (``role="img"``, a
``<title>`` and a ``<desc>`` it is labelled by) and the page shows the same figures in a table.

- ``radar``: one axis per area (0 at the centre, 100 at the rim), one polygon per series (the
  Ente's scores, the medians); for fewer than three areas a radar means nothing, ``bars`` is used.
- ``bars``: one horizontal bar per area (the Ente's score) with a mark for each other series.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Colours with enough contrast on white (Bootstrap Italia's primary, and a dark grey).
SERIES_STYLES = (
    {"stroke": "#0066CC", "fill": "#0066CC", "fill_opacity": "0.18", "dash": ""},
    {"stroke": "#5C6F82", "fill": "none", "fill_opacity": "0", "dash": "6 4"},
    {"stroke": "#995C00", "fill": "none", "fill_opacity": "0", "dash": "2 3"},
)
TEXT = "#1A1A1A"
GRID = "#C5C7C9"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(width, height, ident, title, desc, view_box=None) -> str:
    box = view_box or f"0 0 {width} {height}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'class="portal-chart" font-family="Titillium Web, DejaVu Sans, sans-serif">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )


def _legend(series, x, y) -> list[str]:
    parts = []
    for index, (name, _values) in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        yy = y + index * 20
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<line x1="{x}" y1="{yy}" x2="{x + 24}" y2="{yy}" stroke="{style["stroke"]}" '
            f'stroke-width="3"{dash}/>'
            f'<text x="{x + 30}" y="{yy + 4}" font-size="12" fill="{TEXT}">{escape(name)}</text>'
        )
    return parts


def radar(
    axes: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    ident: str,
    title: str,
    desc: str,
    size: int = 480,
) -> SafeString:
    """A radar of ``series`` (``[(name, [value per axis, 0–100 or None])]``) over ``axes``."""
    count = len(axes)
    radius = 130
    cx, cy = size / 2, 60 + radius
    legend_top = cy + radius + 55
    height = legend_top + 20 * len(series)
    parts = [_open(size, int(height), ident, title, desc)]

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(100.0, value)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts.append('<g aria-hidden="true">')
    for level in (25, 50, 75, 100):
        ring = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, level) for i in range(count)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1"/>')
        if level < 100:
            x, y = point(0, level)
            parts.append(
                f'<text x="{_n(x + 4)}" y="{_n(y + 11)}" font-size="10" '
                f'fill="{TEXT}">{level}</text>'
            )
    for index, label in enumerate(axes):
        x, y = point(index, 100)
        parts.append(
            f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        lx, ly = point(index, 110)
        anchor = "middle"
        if lx > cx + 5:
            anchor = "start"
        elif lx < cx - 5:
            anchor = "end"
        words = _wrap(label, 16)
        if ly < cy - radius * 0.5:  # above: the last line ends at the point
            first = ly - 14 * (len(words) - 1)
        elif ly > cy + radius * 0.5:  # below: the first line starts under the point
            first = ly + 10
        else:
            first = ly - 7 * (len(words) - 1) + 4
        lines = "".join(
            f'<tspan x="{_n(lx)}" y="{_n(first + 14 * i)}">{escape(word)}</tspan>'
            for i, word in enumerate(words)
        )
        parts.append(f'<text font-size="12" fill="{TEXT}" text-anchor="{anchor}">{lines}</text>')
    for index, (_name, values) in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        points = [point(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) < count:
            continue  # a series without every figure is only in the table
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        parts.append(
            f'<polygon points="{coords}" fill="{style["fill"]}" '
            f'fill-opacity="{style["fill_opacity"]}" stroke="{style["stroke"]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        if index == 0:
            for x, y in points:
                parts.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{style["stroke"]}"/>'
                )
    parts += _legend(series, 20, legend_top)
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def bars(
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    ident: str,
    title: str,
    desc: str,
    width: int = 560,
) -> SafeString:
    """Horizontal bars: the first series as bars, the others as marks on them."""
    label_width, right = 200, 40
    plot = width - label_width - right
    row_height = 34
    legend_height = 20 * len(series) + 10
    height = 30 + row_height * len(labels) + legend_height
    parts = [_open(width, height, ident, title, desc), '<g aria-hidden="true">']
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        parts.append(
            f'<line x1="{_n(x)}" y1="16" x2="{_n(x)}" y2="{20 + row_height * len(labels)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="12" font-size="10" fill="{TEXT}" '
            f'text-anchor="middle">{tick}</text>'
        )
    for row, label in enumerate(labels):
        y = 22 + row_height * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" font-size="12" fill="{TEXT}" '
            f'text-anchor="end">{escape(_short(label, 30))}</text>'
        )
        for index, (_name, values) in enumerate(series):
            value = values[row]
            if value is None:
                continue
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            x = label_width + plot * max(0.0, min(100.0, value)) / 100
            if index == 0:
                parts.append(
                    f'<rect x="{label_width}" y="{y + 4}" width="{_n(x - label_width)}" '
                    f'height="18" fill="{style["fill"]}" fill-opacity="0.85"/>'
                    f'<text x="{_n(x + 4)}" y="{y + 17}" font-size="11" '
                    f'fill="{TEXT}">{_n(value)}</text>'
                )
            else:
                dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
                parts.append(
                    f'<line x1="{_n(x)}" y1="{y}" x2="{_n(x)}" y2="{y + 26}" '
                    f'stroke="{style["stroke"]}" stroke-width="3"{dash}/>'
                )
    parts += _legend(series, 20, 30 + row_height * len(labels) + 8)
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def chart(labels, series, *, ident: str, title: str, desc: str) -> SafeString:
    """A radar for three areas or more, bars otherwise."""
    if len(labels) >= 3:
        return radar(labels, series, ident=ident, title=title, desc=desc)
    return bars(labels, series, ident=ident, title=title, desc=desc)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _wrap(text: str, length: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > length:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines[:3] or [""]
