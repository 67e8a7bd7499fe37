"""The Mappa's public dashboard (the MappaPage) and its open data: anonymous access, the map of
Italy (every region of the package maps to the registry's), the tables under the charts, the
threshold of 5 Enti (and the complementary hiding that keeps a single Comune from being computed
back), the CSV and JSON (licence, source, demo, formula-safe), the number of queries, and the
cache that changes with a new submission."""

import csv
import html
import io
import json
import re
from itertools import count

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mappa import dashboard, italy
from mappa.models import AreaScore, Submission
from membership.enti import population_class
from membership.forms import REGIONS
from membership.models import Ente
from surveys import services as survey_services
from surveys.models import Response, Segment


def shown(msgid, **parts):
    """A regular expression of ``msgid`` as the (Italian) page shows it: ``parts`` are regular
    expressions put in place of its placeholders."""
    tokens = {name: f"\x00{name}\x00" for name in parts}
    text = re.escape(_(msgid) % tokens)
    for name, fragment in parts.items():
        text = text.replace(re.escape(tokens[name]), fragment)
    return text


NOT_AVAILABLE = str(dashboard.NOT_AVAILABLE % {"n": 5})
PARTICIPATION = "%(region)s: %(value)s%% of the Comuni responded (%(n)s of %(of)s)"
SCORE = "%(region)s: %(value)s out of 100 (%(n)s Comuni)"


pytestmark = pytest.mark.django_db

_serial = count(1)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def bulk_peers(m, specs, *, demo=False):
    """Submissions with their scores, in bulk: ``specs`` is ``[(region, population, kind,
    {area: score})]`` (a Comune of ``region`` with ``population`` inhabitants...)."""
    version = survey_services.version_for_answering(m.full)
    enti = []
    for region, population, kind, _scores in specs:
        serial = next(_serial)
        enti.append(
            Ente(
                name=f"Ente {serial}",
                istat_code=f"9{serial:07d}",
                kind=kind,
                region=region,
                population=population,
                population_class=population_class(population),
            )
        )
    enti = Ente.objects.bulk_create(enti)
    segments = {}
    responses, submissions = [], []
    for ente, (region, _population, kind, _scores) in zip(enti, specs, strict=True):
        key = (region, kind, ente.population_class)
        if key not in segments:
            segments[key], _ = Segment.objects.get_or_create(
                region=region, ente_kind=kind, population_class=ente.population_class, position=""
            )
        responses.append(
            Response(
                survey=m.full,
                version=version,
                ente=ente,
                segment=segments[key],
                submitted_at=timezone.now(),
            )
        )
    Response.objects.bulk_create(responses)
    for ente, response, (region, _population, kind, scores) in zip(
        enti, responses, specs, strict=True
    ):
        submissions.append(
            Submission(
                campaign=m.campaign,
                ente=ente,
                response=response,
                variant="full",
                region=region,
                population_class=ente.population_class,
                ente_kind=kind,
                is_demo=demo,
                total_score=round(sum(scores.values()) / len(scores), 1) if scores else None,
            )
        )
    submissions = Submission.objects.bulk_create(submissions)
    AreaScore.objects.bulk_create(
        AreaScore(
            submission=submission,
            campaign=m.campaign,
            area=area,
            score=score,
            region=submission.region,
            population_class=submission.population_class,
            ente_kind=submission.ente_kind,
        )
        for submission, (*_rest, scores) in zip(submissions, specs, strict=True)
        for area, score in scores.items()
    )
    return submissions


def comuni(region, n, *, population=3000, servizi=60.0, sicurezza=40.0, kind="comune"):
    return [
        (region, population, kind, {"servizi": servizi + i, "sicurezza": sicurezza})
        for i in range(n)
    ]


def world(m, **kwargs):
    """Lazio 12 Comuni, Umbria 6, Toscana 5, Valle d'Aosta 1 (a lone Comune)."""
    specs = (
        comuni("Lazio", 12, population=30000)
        + comuni("Umbria", 6)
        + comuni("Toscana", 5, population=8000)
        + [("Valle d'Aosta/Vallée d'Aoste", 900, "comune", {"servizi": 13.0, "sicurezza": 97.0})]
    )
    return bulk_peers(m, specs, **kwargs)


def page_get(client, m, query=""):
    return client.get(m.page.url + query)


def open_json(client, m):
    response = client.get(reverse("mappa:open_data_json", args=[m.campaign.slug]))
    assert response.status_code == 200
    return json.loads(response.content)


def records(body, breakdown):
    return {r["group"]: r for r in body["records"] if r["breakdown"] == breakdown}


# --- the map ----------------------------------------------------------------------------------


def test_every_region_of_the_map_is_a_region_of_the_registry():
    view_box, shapes = italy.shapes()
    assert view_box == "0 0 610 793"
    assert len(shapes) == 20
    assert sorted(shape.region for shape in shapes) == sorted(REGIONS)
    for region in REGIONS:
        assert italy.region_key(region) is not None, region
    # Short forms of the bilingual names, and spellings without hyphens.
    assert italy.region_key("Valle d'Aosta") == "aosta-valley"
    assert italy.region_key("Trentino-Alto Adige") == "trentino-south-tyrol"
    assert italy.region_key("Friuli Venezia Giulia") == "friuli-venezia-giulia"
    assert italy.region_key("Emilia Romagna") == "emilia-romagna"
    assert italy.region_key("Atlantide") is None


def test_the_map_is_read_through_the_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find(italy.STATIC_NAME)


def test_classes():
    assert italy.nice_top(12.5) == 20
    assert italy.nice_top(None) == 100
    scale = italy.bands(100)
    assert [band.text for band in scale] == ["0–20", "20–40", "40–60", "60–80", "80–100"]
    assert italy.band_of(100, scale) is scale[-1]
    assert italy.band_of(0, scale) is scale[0]
    assert italy.band_of(None, scale) is None


# --- the page ---------------------------------------------------------------------------------


def test_anonymous_visitors_see_the_dashboard_with_the_map_and_its_table(client, mappa):
    m = mappa
    world(m)
    response = page_get(client, m)
    assert response.status_code == 200
    text = text_of(response)
    # The map: 20 regions, each a link to its row, named with its value.
    svg = re.search(r'<svg[^>]*class="portal-map".*?</svg>', text, re.S).group(0)
    assert 'role="group"' in svg and 'aria-labelledby="mappa-map-title mappa-map-desc"' in svg
    assert svg.count('class="portal-map-region"') == 20
    assert '<a href="#mappa-region-lazio" aria-label="Lazio: ' in svg
    # Participation is the default indicator.
    assert not re.search(shown(SCORE, region="Lazio", value=r"[^<]*", n="12"), svg)
    assert re.search(
        "<title>" + shown(PARTICIPATION, region="Lazio", value=r"[^<]*", n="12", of=r"\d+"),
        svg,
    )
    assert "@svg-maps/italy, CC BY 4.0" in text
    # The same figures in the table: every region has its row.
    table = re.search(r'<table[^>]*id="mappa-table-regions".*?</table>', text, re.S).group(0)
    for region in REGIONS:
        assert f'<th scope="row">{region}</th>' in table, region
    assert 'id="mappa-region-lazio"' in table
    # Charts with their tables.
    assert 'id="mappa-class-chart-title"' in text and 'id="mappa-table-classes"' in text
    assert 'id="mappa-kind-chart-title"' in text and 'id="mappa-table-kinds"' in text
    # Open data links.
    assert reverse("mappa:open_data_csv", args=[m.campaign.slug]) in text
    assert reverse("mappa:open_data_json", args=[m.campaign.slug]) in text


def test_the_indicator_colours_the_map_without_javascript(client, mappa):
    m = mappa
    world(m)
    text = text_of(page_get(client, m, "?indicatore=servizi"))
    assert '<option value="servizi" selected>' in text
    # Lazio's 12 Comuni: servizi 60..71, mean 65.5.
    assert re.search("<title>" + shown(SCORE, region="Lazio", value="65[.,]5", n="12"), text)
    # A forged indicator falls back to participation.
    text = text_of(page_get(client, m, "?indicatore=<script>"))
    assert '<option value="participation" selected>' in text
    assert "<script>" not in text.split('id="mappa-indicator"')[1].split("</select>")[0]


def test_no_campaign_yet(client, mappa):
    m = mappa
    m.campaign.delete()
    response = page_get(client, m)
    assert response.status_code == 200
    assert _("No campaign of the Mappa has been published yet.") in text_of(response)


def test_the_campaign_selector(client, mappa):
    from mappa.models import Campaign

    m = mappa
    world(m)
    other = Campaign.objects.create(
        title="Mappa 2024", slug="mappa-2024", kind="mappa", full_survey=m.full, rules="test"
    )
    text = text_of(page_get(client, m))
    assert '<select id="mappa-campaign" name="campagna">' in text
    # The latest first, by default.
    assert f'<option value="{other.slug}" selected>' in text
    text = text_of(page_get(client, m, f"?campagna={m.campaign.slug}"))
    assert f'<option value="{m.campaign.slug}" selected>' in text
    assert re.search(shown(PARTICIPATION, region="Lazio", value=r"[^<]*", n="12", of=r"\d+"), text)


# --- the threshold ----------------------------------------------------------------------------


def test_groups_of_fewer_than_5_are_not_shown(client, mappa):
    m = mappa
    world(m)
    raw = page_get(client, m, "?indicatore=servizi").content.decode()
    # Valle d'Aosta's lone Comune: hatched on the map, named "not available".
    region = re.search(r'<a href="#mappa-region-valle-daosta-vallee-daoste".*?</a>', raw, re.S)
    assert region, "Valle d'Aosta is on the map"
    assert html.escape(NOT_AVAILABLE) in region.group(0) or NOT_AVAILABLE in region.group(0)
    assert 'fill="url(#mappa-map-portal-map-missing)"' in region.group(0)
    # Nor in the table: its row has no figure.
    row = re.search(
        r"<tr id=\"mappa-region-valle-daosta-vallee-daoste\">.*?</tr>", html.unescape(raw), re.S
    ).group(0)
    assert NOT_AVAILABLE in row
    assert "13" not in row and "97" not in row


def test_no_single_comune_can_be_computed_back(client, mappa):
    """The lone Comune of Valle d'Aosta is hidden, and so is the smallest shown region
    (Toscana, 5), or the national mean minus the regions shown would give it back; the same for
    every column and every breakdown of the open data."""
    m = mappa
    world(m)
    # A lone Provincia: the kinds' breakdown hides it, and the all-Enti total with it (the
    # Comuni's total is shown, their difference would be the Provincia).
    bulk_peers(m, [("Lazio", 500000, "provincia", {"servizi": 7.0, "sicurezza": 3.0})])
    body = open_json(client, m)
    regions = records(body, "region")
    assert regions["Valle d'Aosta/Vallée d'Aoste"]["enti"] is None
    assert regions["Toscana"]["enti"] is None  # complementary
    assert regions["Toscana"]["mean"]["servizi"] is None
    assert regions["Lazio"]["enti"] == 12 and regions["Umbria"]["enti"] == 6
    kinds = records(body, "ente_kind")
    assert kinds["provincia"]["enti"] is None
    assert kinds["comune"]["enti"] == 24
    assert records(body, "all")[""]["enti"] is None
    assert records(body, "comuni")[""]["enti"] == 24

    # For every breakdown and column: the hidden groups hold 0 or at least 5 Enti, or the
    # breakdown's total is hidden too.
    for breakdown, total in (
        ("region", "comuni"),
        ("population_class", "comuni"),
        ("ente_kind", "all"),
    ):
        rows = records(body, breakdown)
        total_row = records(body, total)[""]
        for column in ("servizi", "sicurezza", "total"):
            if total_row["mean"][column] is None:
                continue
            hidden = [group for group, row in rows.items() if row["mean"][column] is None]
            submissions = Submission.objects.filter(**{f"{breakdown}__in": hidden})
            if total == "comuni":
                submissions = submissions.filter(ente_kind="comune")
            residue = submissions.count()
            assert residue == 0 or residue >= 5, (breakdown, column, hidden, residue)
    # Nowhere in the files is the lone Comune's score.
    assert "97" not in json.dumps(body["records"])
    assert "13.0" not in json.dumps(body["records"])


def test_protect():
    assert dashboard.protect({"a": 10, "b": 6, "c": 0}) == ({"c"}, False)
    assert dashboard.protect({"a": 10, "b": 6, "c": 1}) == ({"b", "c"}, False)
    assert dashboard.protect({"a": 10, "b": 3, "c": 3}) == ({"b", "c"}, False)
    assert dashboard.protect({"comune": 20, "provincia": 1}, fixed={"comune"}) == (
        {"provincia"},
        True,
    )


# --- open data --------------------------------------------------------------------------------


def test_open_data_json(client, mappa):
    m = mappa
    world(m, demo=True)
    body = open_json(client, m)
    meta = body["metadata"]
    assert meta["licence"] == "CC BY 4.0"
    assert meta["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["source"] == "Community dei Comuni Digitali"
    assert meta["demo"] is True
    assert any("dati dimostrativi" in note.lower() for note in meta["notes"])
    assert meta["date"]
    assert [a["key"] for a in body["areas"]] == ["servizi", "sicurezza"]
    lazio = records(body, "region")["Lazio"]
    assert lazio["enti"] == 12
    assert lazio["mean"]["servizi"] == pytest.approx(65.5)
    assert lazio["median"]["servizi"] == pytest.approx(65.5)
    assert lazio["mean"]["total"] == pytest.approx(52.8, abs=0.1)
    classes = records(body, "population_class")
    assert classes["lt5k"]["enti"] == 7  # Umbria's 6 and Valle d'Aosta's 1


def test_open_data_csv(client, mappa):
    m = mappa
    world(m, demo=True)
    # A region typed with a formula (a proposed authority) reaches the file as text.
    bulk_peers(m, comuni("=HYPERLINK(1)", 5))
    response = client.get(reverse("mappa:open_data_csv", args=[m.campaign.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="mappa-mappa-2026.csv"' in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    text = response.content.decode()
    lines = text.splitlines()
    meta = [line for line in lines if line.startswith("#")]
    assert any("CC BY 4.0" in line for line in meta)
    assert any("Community dei Comuni Digitali" in line for line in meta)
    assert any("dati dimostrativi" in line.lower() for line in meta)
    rows = list(csv.DictReader(io.StringIO("\n".join(x for x in lines if not x.startswith("#")))))
    lazio = next(r for r in rows if r["breakdown"] == "region" and r["group"] == "Lazio")
    assert lazio["enti"] == "12" and float(lazio["servizi_mean"]) == pytest.approx(65.5)
    vda = next(r for r in rows if r["group"] == "Valle d'Aosta/Vallée d'Aoste")
    assert vda["enti"] == "" and vda["servizi_mean"] == ""
    assert vda["note"] == NOT_AVAILABLE
    assert any(r["group"] == "'=HYPERLINK(1)" for r in rows)


def test_open_data_refusals(client, mappa):
    m = mappa
    assert client.get(reverse("mappa:open_data_csv", args=["nessuna"])).status_code == 404
    m.full.unpublish()
    assert client.get(reverse("mappa:open_data_json", args=[m.campaign.slug])).status_code == 404


# --- speed ------------------------------------------------------------------------------------


def test_sql_and_python_agree(mappa):
    m = mappa
    world(m)
    bulk_peers(m, [("Lazio", 500000, "provincia", {"servizi": 7.0})] * 5)
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    sql, python = dashboard.raw_sql(m.campaign), dashboard.raw_python(m.campaign)
    assert sql["counts"] == python["counts"]
    assert sql["national"] == python["national"]
    for which, groups in python["stats"].items():
        for key, by_area in groups.items():
            for area, (n, mean, median) in by_area.items():
                s_n, s_mean, s_median = sql["stats"][which][key][area]
                assert s_n == n
                assert s_mean == pytest.approx(mean)
                assert s_median == pytest.approx(median)


def test_query_count_does_not_grow_with_the_enti(client, mappa, django_assert_max_num_queries):
    from django.core.cache import cache

    m = mappa
    world(m)
    cache.clear()
    with django_assert_max_num_queries(30) as first:
        page_get(client, m)
    cold = len(first.captured_queries)
    with django_assert_max_num_queries(cold) as second:
        page_get(client, m)
    warm = len(second.captured_queries)
    assert warm <= cold - 3  # the aggregates come from the cache
    bulk_peers(m, comuni("Puglia", 40))
    cache.clear()
    with django_assert_max_num_queries(cold):
        page_get(client, m)


def test_a_new_submission_changes_the_figures(client, mappa):
    m = mappa
    world(m)
    assert records(open_json(client, m), "region")["Lazio"]["enti"] == 12
    bulk_peers(m, comuni("Lazio", 1, population=30000))
    assert records(open_json(client, m), "region")["Lazio"]["enti"] == 13
