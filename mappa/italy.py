"""The map of Italy's 20 regions for the public dashboard: an inline SVG choropleth drawn on the
server (no JavaScript, no tiles).

The regions' outlines come from the npm package ``@svg-maps/italy`` 2.0.0 by Victor Cazanave
(CC BY 4.0: the attribution "Mappa: @svg-maps/italy, CC BY 4.0" is shown next to the map). The
package's ``index.js`` (``export default {"label", "viewBox", "locations": [{"name", "id",
"path"}]}``) is a static file (``STATICFILES_DIRS`` in ``cms/settings/base.py``, under
``svg-maps/italy/``): it is read through the static files finders, or from the collected static
files after ``collectstatic``, parsed once per process and kept in memory.

The package names the regions in English (``"Aosta Valley"``, ``"Apulia"``...): ``REGIONS`` maps
its ids to the names of the registry of authorities (ISTAT's, ``Ente.region``), which
``region_key`` also recognises in their short forms ("Valle d'Aosta", "Trentino-Alto Adige",
"Friuli Venezia Giulia").

Each region is a link to its row in the table under the map (so the map can be walked with the
keyboard), named by the region, its value and its number of Enti (``aria-label`` and ``<title>``).
The svg is a ``role="group"`` named by its title and description: a ``role="img"`` may not hold
focusable elements (axe's *nested-interactive*). Colours are a sequential blue scale with a
dark outline; a region without figures (fewer than 5 Enti) is hatched, never only grey; the
values are in every region's name and in the table, never in colour alone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

#: The package's file among the static files.
STATIC_NAME = "svg-maps/italy/index.js"
ATTRIBUTION = "Mappa: @svg-maps/italy, CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE_URL = "https://github.com/VictorCazanave/svg-maps/tree/master/packages/italy"

#: The package's region ids → the registry's region names (``membership.forms.REGIONS``).
REGIONS = {
    "abruzzo": "Abruzzo",
    "aosta-valley": "Valle d'Aosta/Vallée d'Aoste",
    "apulia": "Puglia",
    "basilicata": "Basilicata",
    "calabria": "Calabria",
    "campania": "Campania",
    "emilia-romagna": "Emilia-Romagna",
    "friuli-venezia-giulia": "Friuli-Venezia Giulia",
    "lazio": "Lazio",
    "liguria": "Liguria",
    "lombardy": "Lombardia",
    "marche": "Marche",
    "molise": "Molise",
    "piedmont": "Piemonte",
    "sardinia": "Sardegna",
    "sicily": "Sicilia",
    "trentino-south-tyrol": "Trentino-Alto Adige/Südtirol",
    "tuscany": "Toscana",
    "umbria": "Umbria",
    "veneto": "Veneto",
}

#: Five classes from light to dark (Bootstrap Italia's blues); the text is never on them.
PALETTE = ("#DCE9F7", "#A8C9EC", "#5E9DDB", "#0066CC", "#003B75")
OUTLINE = "#2F475E"
#: A region without figures: white, hatched in grey ("n.d." in the legend).
MISSING_PATTERN = "portal-map-missing"


def _normal(name: str) -> str:
    """A region's name reduced for matching: its first form (before "/"), lower case, hyphens
    and apostrophes as spaces, accents kept."""
    first = name.split("/")[0].casefold()
    for char in "-'’":
        first = first.replace(char, " ")
    return " ".join(first.split())


_BY_NAME = {_normal(name): key for key, name in REGIONS.items()}
_BY_NAME.update(
    {"trentino alto adige südtirol": "trentino-south-tyrol", "valle d aosta": "aosta-valley"}
)


def region_key(name: str | None) -> str | None:
    """The package's id of a registry region name (``None``: not a region of the map)."""
    if not name:
        return None
    return _BY_NAME.get(_normal(name))


@dataclass(frozen=True)
class Shape:
    key: str
    region: str
    path: str


def _read() -> str:
    found = finders.find(STATIC_NAME)
    if found:
        with open(found, encoding="utf-8") as handle:
            return handle.read()
    with staticfiles_storage.open(STATIC_NAME) as handle:  # collected (any storage)
        return handle.read().decode("utf-8")


@lru_cache(maxsize=1)
def shapes() -> tuple[str, tuple[Shape, ...]]:
    """``(viewBox, shapes)`` of the package, read and parsed once per process."""
    text = _read().strip()
    prefix = "export default"
    if text.startswith(prefix):
        text = text[len(prefix) :].strip()
    data = json.loads(text.rstrip(";"))
    out = []
    for location in data["locations"]:
        region = REGIONS.get(location["id"])
        if region is None:
            raise ValueError(f"@svg-maps/italy: unknown region {location['id']!r}")
        out.append(Shape(key=location["id"], region=region, path=location["path"]))
    return data["viewBox"], tuple(out)


# --- classes ----------------------------------------------------------------------------------


def nice_top(value: float | None) -> float:
    """The upper bound of the scale: 100 for scores; for a share, the smallest of 5, 10, 20, 25,
    50, 100 at or above the largest value (a map of 3–12 % participation is not all one
    colour)."""
    if value is None or value <= 0:
        return 100.0
    for top in (5, 10, 20, 25, 50, 100):
        if value <= top:
            return float(top)
    return float(math.ceil(value / 100) * 100)


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    colour: str

    @property
    def text(self) -> str:
        return f"{_n(self.low)}–{_n(self.high)}"


def bands(top: float) -> list[Band]:
    step = top / len(PALETTE)
    return [
        Band(low=step * index, high=step * (index + 1), colour=colour)
        for index, colour in enumerate(PALETTE)
    ]


def band_of(value: float | None, scale: list[Band]) -> Band | None:
    if value is None:
        return None
    for band in scale:
        if value < band.high:
            return band
    return scale[-1]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- drawing ----------------------------------------------------------------------------------


def anchor(region: str) -> str:
    """The id of a region's row in the table under the map."""
    return f"mappa-region-{slugify(region.replace('/', ' '))}"


def choropleth(
    values: dict[str, dict],
    *,
    scale: list[Band],
    ident: str,
    title: str,
    desc: str,
) -> SafeString:
    """The map: ``values`` is ``{registry region name: {"value": float | None, "label": text
    naming the region and its figures}}``; a region missing from it or with ``value`` None is
    hatched."""
    view_box, regions = shapes()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" role="group" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="portal-map" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<defs><pattern id="{ident}-{MISSING_PATTERN}" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#FFFFFF"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#767676" stroke-width="2"/></pattern></defs>'
    ]
    for shape in regions:
        entry = values.get(shape.region) or {}
        band = band_of(entry.get("value"), scale)
        fill = band.colour if band else f"url(#{ident}-{MISSING_PATTERN})"
        label = entry.get("label") or shape.region
        parts.append(
            f'<a href="#{anchor(shape.region)}" aria-label="{escape(label)}" '
            f'class="portal-map-region" data-region="{shape.key}">'
            f"<title>{escape(label)}</title>"
            f'<path d="{shape.path}" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.8"/></a>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped, paths are the package's
