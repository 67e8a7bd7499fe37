"""The public dashboard of a Mappa campaign (the ``MappaPage``) and its open data: participation
and the indicators (mean and median score per area, and in total) by region, by population class
and by kind of Ente.

Who is counted
    The region and population-class breakdowns are about the **Comuni** (the Mappa's subject, and
    what an Ente's report compares it with); their participation is the Comuni that responded out
    of the Comuni in the registry of authorities. The breakdown by kind covers every Ente that
    responded; its "Comune" row is the Comuni's national figure.

The threshold (``MIN_GROUP`` = 5)
    No figure of fewer than 5 Enti is shown, in the page, the map, the tables or the open data:

    - *primary*: a group (row) of fewer than 5 respondents shows nothing but "not available", and
      so does a cell (an area) that fewer than 5 of a shown group's Enti have a score for (the
      simplified questionnaire has fewer areas);
    - *complementary*: a breakdown's groups add up to its total, which is shown; when the hidden
      groups of a column hold between 1 and 4 Enti, the next smallest groups are hidden as well
      until they hold at least 5 (otherwise the total minus the shown groups would give them
      back). In the breakdown by kind the Comuni's row is the Comuni's total shown elsewhere: it
      is never hidden in their place, the total of all Enti is hidden instead.

    Groups without a value (no region, no population) are groups like the others. Breakdowns are
    never crossed (region × class), so no two published figures differ by a few Enti.

Speed
    Everything comes from two grouped queries (PostgreSQL: ``GROUPING SETS``, medians with
    ``percentile_cont``; elsewhere the same figures in Python) and two counts of the registry,
    kept in the cache under a key made of the campaign's number of submissions and latest
    submission id (one small query per page view): a new response changes the key. Scores
    computed again for an existing submission show after ``CACHE_SECONDS``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership.enti import POPULATION_CLASSES
from membership.models import Ente

from . import scoring
from .models import AreaScore, Campaign, Submission
from .report import MIN_GROUP, TOTAL

CACHE_SECONDS = 600
CACHE_VERSION = 1
COMUNE = Ente.Kind.COMUNE.value

REGION, POPULATION, KIND = "region", "population_class", "ente_kind"
DIMENSIONS = (REGION, POPULATION, KIND)
#: The breakdowns about the Comuni only (the others cover every kind of Ente).
COMUNI_ONLY = (REGION, POPULATION)

SOURCE = "Community dei Comuni Digitali"
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
NOT_AVAILABLE = gettext_lazy("data not available: fewer than %(n)s Comuni")


# --- the campaigns ----------------------------------------------------------------------------


def campaigns():
    """The Mappa campaigns shown on the dashboard (their questionnaire is live), latest first."""
    return list(
        Campaign.objects.filter(kind=Campaign.Kind.MAPPA, full_survey__live=True).select_related(
            "full_survey"
        )
    )


def areas_of(campaign: Campaign) -> list[tuple[str, str]]:
    """``[(key, label)]`` of the campaign's scored areas (none without rules)."""
    if not campaign.rules:
        return []
    try:
        rules = scoring.load(campaign.rules)
    except scoring.RulesError:
        return []
    return [(area.key, area.label) for area in rules.areas]


# --- raw figures ------------------------------------------------------------------------------


def _empty_raw():
    return {
        "counts": {dimension: {} for dimension in DIMENSIONS},
        "national": {"all": 0, "comuni": 0},
        "demo": False,
        # {dimension or "national_all"/"national_comuni": {group: {area: (n, mean, median)}}}
        "stats": defaultdict(lambda: defaultdict(dict)),
    }


def _sets_of(grouping: int) -> str | None:
    """The grouping set of a row by ``GROUPING(region, population_class, ente_kind)``."""
    return {3: REGION, 5: POPULATION, 6: KIND, 7: "national"}.get(grouping)


def raw_sql(campaign: Campaign) -> dict:
    """The figures of ``campaign`` in two PostgreSQL queries."""
    raw = _empty_raw()
    submissions, scores = Submission._meta.db_table, AreaScore._meta.db_table
    with connection.cursor() as cursor:
        counts_sql = (
            "SELECT GROUPING(region, population_class, ente_kind), region, population_class, "  # noqa: S608 - tables
            "ente_kind, count(*), count(*) FILTER (WHERE ente_kind = %s), bool_or(is_demo) "
            f"FROM {submissions} WHERE campaign_id = %s "
            "GROUP BY GROUPING SETS ((region), (population_class), (ente_kind), ())"
        )
        cursor.execute(counts_sql, [COMUNE, campaign.pk])
        for grouping, region, klass, kind, n, n_comuni, demo in cursor.fetchall():
            which = _sets_of(grouping)
            if which == "national":
                raw["national"] = {"all": n, "comuni": n_comuni}
                raw["demo"] = bool(demo)
            elif which == KIND:
                raw["counts"][KIND][kind] = n
            elif which is not None and n_comuni:
                raw["counts"][which][region if which == REGION else klass] = n_comuni
        median = "percentile_cont(0.5) WITHIN GROUP (ORDER BY score)"
        comuni = "FILTER (WHERE ente_kind = %s)"
        scores_sql = (
            "SELECT GROUPING(region, population_class, ente_kind), region, population_class, "  # noqa: S608
            f"ente_kind, area, count(*), avg(score), {median}, count(*) {comuni}, "
            f"avg(score) {comuni}, {median} {comuni} FROM ("
            f"SELECT area, score, region, population_class, ente_kind FROM {scores} "
            "WHERE campaign_id = %s UNION ALL "
            "SELECT %s::varchar, total_score, region, population_class, ente_kind "
            f"FROM {submissions} WHERE campaign_id = %s AND total_score IS NOT NULL) s "
            "GROUP BY GROUPING SETS ((area, region), (area, population_class), "
            "(area, ente_kind), (area))"
        )
        # Only the models' table names are formatted in; every value is a parameter.
        cursor.execute(scores_sql, [COMUNE, COMUNE, COMUNE, campaign.pk, TOTAL, campaign.pk])
        for row in cursor.fetchall():
            grouping, region, klass, kind, area, n, mean, med, c_n, c_mean, c_med = row
            which = _sets_of(grouping)
            if which == "national":
                raw["stats"]["national_all"][""][area] = (n, mean, med)
                raw["stats"]["national_comuni"][""][area] = (c_n, c_mean, c_med)
            elif which == KIND:
                raw["stats"][KIND][kind][area] = (n, mean, med)
            elif which is not None and c_n:
                key = region if which == REGION else klass
                raw["stats"][which][key][area] = (c_n, c_mean, c_med)
    return raw


def raw_python(campaign: Campaign) -> dict:
    """The same as ``raw_sql``, computed in Python (any database)."""
    raw = _empty_raw()
    values: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    rows = Submission.objects.filter(campaign=campaign).values_list(
        "region", "population_class", "ente_kind", "is_demo", "total_score"
    )
    for region, klass, kind, demo, total in rows:
        raw["national"]["all"] += 1
        raw["demo"] = raw["demo"] or demo
        counts = raw["counts"]
        counts[KIND][kind] = counts[KIND].get(kind, 0) + 1
        if kind == COMUNE:
            raw["national"]["comuni"] += 1
            counts[REGION][region] = counts[REGION].get(region, 0) + 1
            counts[POPULATION][klass] = counts[POPULATION].get(klass, 0) + 1
        if total is not None:
            _collect(values, TOTAL, total, region, klass, kind)
    for area, score, region, klass, kind in AreaScore.objects.filter(campaign=campaign).values_list(
        "area", "score", "region", "population_class", "ente_kind"
    ):
        _collect(values, area, score, region, klass, kind)
    for which, groups in values.items():
        for key, by_area in groups.items():
            for area, scores in by_area.items():
                raw["stats"][which][key][area] = (
                    len(scores),
                    sum(scores) / len(scores),
                    statistics.median(scores),
                )
    return raw


def _collect(values, area, score, region, klass, kind):
    values["national_all"][""][area].append(score)
    values[KIND][kind][area].append(score)
    if kind == COMUNE:
        values["national_comuni"][""][area].append(score)
        values[REGION][region][area].append(score)
        values[POPULATION][klass][area].append(score)


def raw_figures(campaign: Campaign) -> dict:
    if connection.vendor == "postgresql":
        return raw_sql(campaign)
    return raw_python(campaign)


def registry_counts() -> dict[str, dict[str, int]]:
    """The Comuni in the registry by region and by population class (two counts)."""
    comuni = Ente.objects.filter(kind=COMUNE, status=Ente.Status.APPROVED).order_by()
    return {
        dimension: dict(comuni.values_list(dimension).annotate(n=Count("id")))
        for dimension in COMUNI_ONLY
    }


# --- the threshold ----------------------------------------------------------------------------


def protect(counts: dict, hidden=(), fixed=()) -> tuple[set, bool]:
    """The groups of a breakdown to hide: those of fewer than ``MIN_GROUP`` Enti (and
    ``hidden``), then the smallest others (never one of ``fixed``) until the hidden ones hold 0
    or at least ``MIN_GROUP`` Enti. Returns ``(hidden groups, whether the total must be hidden
    too)``: when no group is left to hide, only hiding the total protects the few."""
    hidden = set(hidden) | {key for key, n in counts.items() if n < MIN_GROUP}
    while True:
        residue = sum(counts.get(key, 0) for key in hidden)
        if residue == 0 or residue >= MIN_GROUP:
            return hidden, False
        candidates = [
            key for key, n in counts.items() if key not in hidden and key not in fixed and n > 0
        ]
        if not candidates:
            return hidden, True
        hidden.add(min(candidates, key=lambda key: (counts[key], str(key))))


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _cell(stats: dict, area: str, hidden: bool) -> dict:
    n, mean, median = stats.get(area, (0, None, None))
    if hidden or n < MIN_GROUP:
        return {"available": False, "mean": None, "median": None}
    return {"available": True, "mean": _round(mean), "median": _round(median)}


def _breakdown(raw, dimension, keys, area_keys, registry, fixed=()):
    """The rows of one breakdown after the threshold, and whether its total must be hidden."""
    counts = {key: raw["counts"][dimension].get(key, 0) for key in keys}
    hidden_rows, hide_total = protect(counts, fixed=fixed)
    stats = raw["stats"][dimension]
    hidden_cells = {}
    for area in area_keys:
        column = {key: stats.get(key, {}).get(area, (0,))[0] for key in keys}
        hidden, hide = protect(column, hidden=hidden_rows, fixed=fixed)
        hidden_cells[area] = hidden
        hide_total = hide_total or hide
    rows = []
    for key in keys:
        row_hidden = key in hidden_rows
        in_registry = registry.get(key) if registry is not None else None
        row = {
            "key": key,
            "available": not row_hidden,
            "n": None if row_hidden else counts[key],
            "in_registry": in_registry,
            "participation": None,
            "cells": {
                area: _cell(
                    stats.get(key, {}), area, area in hidden_cells and key in hidden_cells[area]
                )
                for area in area_keys
            },
        }
        if not row_hidden and in_registry:
            row["participation"] = round(counts[key] / in_registry * 100, 1)
        rows.append(row)
    return rows, hide_total


def _total_row(raw, which, area_keys, hidden, registry_total=None) -> dict:
    n = raw["national"][which]
    hidden = hidden or n < MIN_GROUP
    stats = raw["stats"][f"national_{which}"].get("", {})
    row = {
        "key": "",
        "available": not hidden,
        "n": None if hidden else n,
        "in_registry": registry_total,
        "participation": None,
        "cells": {area: _cell(stats, area, hidden) for area in area_keys},
    }
    if not hidden and registry_total:
        row["participation"] = round(n / registry_total * 100, 1)
    return row


def build(campaign: Campaign, raw: dict, registry: dict) -> dict:
    """The dashboard's figures (plain data, the same in every language), after the threshold."""
    areas = areas_of(campaign)
    area_keys = [key for key, _label in areas] + ([TOTAL] if areas else [])
    from membership.forms import REGIONS

    region_keys = list(REGIONS) + sorted(key for key in raw["counts"][REGION] if key not in REGIONS)
    class_keys = [code for _bound, code, _label in POPULATION_CLASSES]
    class_keys += sorted(key for key in raw["counts"][POPULATION] if key not in class_keys)
    kind_keys = [value for value, _label in Ente.Kind.choices if raw["counts"][KIND].get(value)]
    kind_keys += sorted(key for key in raw["counts"][KIND] if key not in kind_keys)

    regions, hide_region_total = _breakdown(raw, REGION, region_keys, area_keys, registry[REGION])
    classes, hide_class_total = _breakdown(
        raw, POPULATION, class_keys, area_keys, registry[POPULATION]
    )
    kinds, hide_all_total = _breakdown(
        raw, KIND, kind_keys, area_keys, None, fixed={COMUNE} if raw["national"]["comuni"] else ()
    )
    registry_total = sum(registry[REGION].values())
    comuni_total = _total_row(
        raw, "comuni", area_keys, hide_region_total or hide_class_total, registry_total
    )
    return {
        "campaign": campaign.pk,
        "areas": areas,
        "area_keys": area_keys,
        "demo": raw["demo"],
        "min_group": MIN_GROUP,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        REGION: regions,
        POPULATION: classes,
        KIND: kinds,
        "comuni": comuni_total,
        "all": _total_row(raw, "all", area_keys, hide_all_total),
    }


# --- cached -----------------------------------------------------------------------------------


def change_token(campaign: Campaign) -> str:
    """Changes whenever a submission is added or removed (one small query)."""
    found = Submission.objects.filter(campaign=campaign).aggregate(n=Count("id"), last=Max("id"))
    return f"{found['n']}.{found['last'] or 0}"


def figures(campaign: Campaign) -> dict:
    """The dashboard's figures of ``campaign``, from the cache while no submission changes."""
    key = f"mappa:dashboard:v{CACHE_VERSION}:{campaign.pk}:{change_token(campaign)}"
    value = cache.get(key)
    if value is None:
        value = build(campaign, raw_figures(campaign), registry_counts())
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- labels -----------------------------------------------------------------------------------


def group_label(dimension: str, key: str) -> str:
    if dimension == REGION:
        return key or _("Region not known")
    if dimension == POPULATION:
        label = next((label for _b, code, label in POPULATION_CLASSES if code == key), None)
        return str(label) if label else (key or _("Population not known"))
    labels = dict(Ente.Kind.choices)
    return str(labels.get(key, key or _("Kind not known")))


def not_available_text() -> str:
    return str(NOT_AVAILABLE) % {"n": MIN_GROUP}


# --- the page ---------------------------------------------------------------------------------

PARTICIPATION = "participation"
TOTAL_INDICATOR = "total"


def _table(data, dimension, area_keys, total_row, *, with_registry):
    rows = []
    for row in data[dimension]:
        rows.append(
            {
                **row,
                "label": group_label(dimension, row["key"]),
                "anchor": None,
                "values": [row["cells"][key] for key in area_keys],
            }
        )
    total = {**total_row, "label": _("Total"), "values": [total_row["cells"][k] for k in area_keys]}
    return {"rows": rows, "total": total, "with_registry": with_registry}


def _map(data, indicator, indicator_label):
    from . import italy

    values, shown = {}, []
    for row in data[REGION]:
        if italy.region_key(row["key"]) is None:
            continue
        if indicator == PARTICIPATION:
            value = row["participation"]
        else:
            cell = row["cells"].get(TOTAL if indicator == TOTAL_INDICATOR else indicator)
            value = cell["mean"] if cell and cell["available"] else None
        if value is None:
            label = f"{row['key']}: {not_available_text()}"
        elif indicator == PARTICIPATION:
            label = _("%(region)s: %(value)s%% of the Comuni responded (%(n)s of %(of)s)") % {
                "region": row["key"],
                "value": _number(value),
                "n": row["n"],
                "of": row["in_registry"],
            }
        else:
            label = _("%(region)s: %(value)s out of 100 (%(n)s Comuni)") % {
                "region": row["key"],
                "value": _number(value),
                "n": row["n"],
            }
        values[row["key"]] = {"value": value, "label": label}
        if value is not None:
            shown.append(value)
    top = italy.nice_top(max(shown, default=None)) if indicator == PARTICIPATION else 100.0
    scale = italy.bands(top)
    unit = "%" if indicator == PARTICIPATION else ""
    svg = italy.choropleth(
        values,
        scale=scale,
        ident="mappa-map",
        title=_("Map of Italy: %(indicator)s by region") % {"indicator": indicator_label},
        desc=_(
            "Each region is coloured by its value, in %(classes)s classes from light (low) to "
            "dark (high); hatched: data not available (fewer than %(n)s Comuni). Each region "
            "links to its row in the table under the map, with the same figures."
        )
        % {"classes": len(scale), "n": MIN_GROUP},
    )
    legend = [{"colour": band.colour, "text": f"{band.text}{unit}"} for band in scale]
    return {"svg": svg, "legend": legend, "attribution": italy.ATTRIBUTION}


def _number(value) -> str:
    from django.utils.formats import number_format

    return number_format(value, decimal_pos=1 if value % 1 else 0)


def page_context(request) -> dict:
    """The dashboard's context for the ``MappaPage`` (``?campagna=<slug>``,
    ``?indicatore=participation|<area>|total``; unknown values fall back to the defaults)."""
    from django.urls import reverse

    from . import charts, italy

    available = campaigns()
    if not available:
        return {"dashboard": None}
    wanted = request.GET.get("campagna", "")
    campaign = next((c for c in available if c.slug == wanted), available[0])
    data = figures(campaign)
    area_keys = data["area_keys"]
    area_labels = dict(data["areas"]) | {TOTAL: _("Total score")}
    indicators = [(PARTICIPATION, _("Participation of the Comuni"))]
    indicators += [(key, label) for key, label in data["areas"]]
    if data["areas"]:
        indicators.append((TOTAL_INDICATOR, _("Total score")))
    indicator = request.GET.get("indicatore", PARTICIPATION)
    if indicator not in dict(indicators):
        indicator = PARTICIPATION
    indicator_label = dict(indicators)[indicator]

    regions = _table(data, REGION, area_keys, data["comuni"], with_registry=True)
    for row in regions["rows"]:
        if italy.region_key(row["key"]):
            row["anchor"] = italy.anchor(row["key"])
    classes = _table(data, POPULATION, area_keys, data["comuni"], with_registry=True)
    kinds = _table(data, KIND, area_keys, data["all"], with_registry=False)

    def bar_chart(table, ident, title):
        if TOTAL not in area_keys or not table["rows"]:
            return None
        labels = [row["label"] for row in table["rows"]]
        values = [row["cells"][TOTAL]["mean"] for row in table["rows"]]
        return charts.bars(
            labels,
            [(_("Mean total score"), values)],
            ident=ident,
            title=title,
            desc=_(
                "Mean total score, from 0 to 100, of each group; groups of fewer than %(n)s "
                "Comuni have no bar. The same figures are in the table."
            )
            % {"n": MIN_GROUP},
        )

    return {
        "dashboard": {
            "campaign": campaign,
            "campaigns": available,
            "data": data,
            "areas": [(key, area_labels[key]) for key in area_keys],
            "indicators": indicators,
            "indicator": indicator,
            "indicator_label": indicator_label,
            "map": _map(data, indicator, indicator_label),
            "regions": regions,
            "classes": classes,
            "kinds": kinds,
            "class_chart": bar_chart(
                classes, "mappa-class-chart", _("Mean total score by population class")
            ),
            "kind_chart": bar_chart(
                kinds, "mappa-kind-chart", _("Mean total score by kind of Ente")
            ),
            "not_available": not_available_text(),
            "csv_url": reverse("mappa:open_data_csv", args=[campaign.slug]),
            "json_url": reverse("mappa:open_data_json", args=[campaign.slug]),
            "campaign_url": reverse("mappa:campaign", args=[campaign.slug]),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "map_licence_url": italy.LICENCE_URL,
            "map_source_url": italy.SOURCE_URL,
        }
    }
