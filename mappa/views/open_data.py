"""The open data of a Mappa campaign: the dashboard's aggregates (``mappa.dashboard``) by region,
population class and kind of Ente — number of Enti, mean and median score per area and in total,
participation of the Comuni — as CSV and JSON, for anyone, under CC BY 4.0.

Only what the dashboard shows: a group of fewer than 5 Enti (and the groups hidden with it) has
no figures, only the note "data not available". Both files name the source, the licence, the date
of the figures and, when demo responses are among them, that the data are synthetic. The CSV
starts with these as ``#`` lines (``pandas.read_csv(..., comment="#")``) and every cell goes
through ``cms.spreadsheets.escape_formula``. An unknown campaign, a campaign whose questionnaire
is not live, or one that is not a Mappa is a 404.
"""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.spreadsheets import escape_formula

from .. import dashboard
from ..models import Campaign
from ..report import TOTAL
from .compile import get_campaign

#: Browsers and proxies may keep a file this long (the figures are cached on the server too).
MAX_AGE = 300


def _campaign(slug) -> Campaign:
    campaign = get_campaign(slug)
    if campaign.kind != Campaign.Kind.MAPPA:
        raise Http404
    return campaign


def _column(key: str) -> str:
    return "total" if key == TOTAL else key


def metadata(campaign: Campaign, data: dict) -> dict:
    out = {
        "title": _("%(campaign)s: aggregate results") % {"campaign": campaign.title},
        "campaign": campaign.slug,
        "source": dashboard.SOURCE,
        "licence": dashboard.LICENCE,
        "licence_url": dashboard.LICENCE_URL,
        "date": data["computed_at"],
        "demo": data["demo"],
        "min_group": data["min_group"],
        "notes": [
            _(
                "Groups of fewer than %(n)s Enti (and the groups hidden so that they cannot be "
                "computed back) have no figures."
            )
            % {"n": data["min_group"]},
            _(
                "Regions and population classes: the Comuni; kinds of Ente: every Ente that "
                "responded. Scores from 0 to 100."
            ),
        ],
    }
    if data["demo"]:
        out["notes"].insert(
            0, _("Demo data (dati dimostrativi): synthetic responses, not real Comuni's.")
        )
    return out


def _records(data: dict) -> list[dict]:
    """One record per group of each breakdown, then the totals."""
    records = []
    for dimension in dashboard.DIMENSIONS:
        for row in data[dimension]:
            records.append(_record(dimension, row["key"], row, data))
    records.append(_record("comuni", "", data["comuni"], data))
    records.append(_record("all", "", data["all"], data))
    return records


def _record(breakdown: str, key: str, row: dict, data: dict) -> dict:
    if breakdown in dashboard.DIMENSIONS:
        label = dashboard.group_label(breakdown, key)
    elif breakdown == "comuni":
        label = _("All the Comuni")
    else:
        label = _("All the Enti")
    record = {
        "breakdown": breakdown,
        "group": key,
        "label": label,
        "enti": row["n"],
        "comuni_in_registry": row["in_registry"],
        "participation_percent": row["participation"],
        "mean": {},
        "median": {},
        "note": "" if row["available"] else dashboard.not_available_text(),
    }
    for key_, cell in row["cells"].items():
        record["mean"][_column(key_)] = cell["mean"]
        record["median"][_column(key_)] = cell["median"]
    return record


def _response(response, campaign, extension):
    response["Content-Disposition"] = f'attachment; filename="mappa-{campaign.slug}.{extension}"'
    response["Link"] = f'<{dashboard.LICENCE_URL}>; rel="license"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_GET
def open_data_json(request, slug):
    campaign = _campaign(slug)
    data = dashboard.figures(campaign)
    body = {
        "metadata": metadata(campaign, data),
        "areas": [{"key": key, "label": label} for key, label in data["areas"]],
        "records": _records(data),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    return _response(response, campaign, "json")


@require_GET
def open_data_csv(request, slug):
    campaign = _campaign(slug)
    data = dashboard.figures(campaign)
    meta = metadata(campaign, data)
    columns = [_column(key) for key in data["area_keys"]]
    out = io.StringIO()
    out.write(f"# {meta['title']}\n")
    out.write(f"# {_('Source')}: {meta['source']}\n")
    out.write(f"# {_('Licence')}: {meta['licence']} ({meta['licence_url']})\n")
    out.write(f"# {_('Date')}: {meta['date']}\n")
    for note in meta["notes"]:
        out.write(f"# {note}\n")
    writer = csv.writer(out, lineterminator="\n")
    header = ["breakdown", "group", "label", "enti", "comuni_in_registry"]
    header += ["participation_percent"]
    header += [f"{column}_{what}" for column in columns for what in ("mean", "median")]
    writer.writerow([*header, "note"])
    for record in _records(data):
        cells = [record[name] for name in header[:6]]
        for column in columns:
            cells += [record["mean"].get(column), record["median"].get(column)]
        writer.writerow([escape_formula(cell) for cell in [*cells, record["note"]]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return _response(response, campaign, "csv")
