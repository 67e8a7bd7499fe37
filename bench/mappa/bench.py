"""Mappa benchmark: every Comune of the registry with a synthetic Mappa response.

    bench.py seed      # the Mappa page, its campaigns and one response per Comune (≥ 7,000)
    bench.py measure   # the public dashboard and an Ente's report PDF; RESULT last

Run through ``bench/mappa/run.sh`` (``make bench-mappa``), which creates the PostgreSQL database
and loads the registry (``manage.py load_enti``). The responses are built by
``demo.mappa.load_synthetic``, the function ``load_demo`` uses: engine ``Response``/``Answer``
rows, result cells recounted in SQL, ``Submission`` and ``AreaScore`` rows (``is_demo``).

What is timed:

- **dashboard**: ``BENCH_MAPPA_DASHBOARD_URL`` if set, else the Mappa page (the public
  dashboards), as an anonymous visitor. While the page has no dashboard yet (it does not
  render), a *proxy* is timed instead: the aggregates a dashboard needs (participation by
  region, area means by region, population class and kind of Ente with the 5-Enti threshold,
  national medians), straight from the ORM.
- **report PDF**: ``BENCH_MAPPA_REPORT_PDF_URL`` (``{submission}``, ``{ente}``, ``{campaign}``
  are filled in) if set, else ``mappa:report_pdf`` (the campaign's report PDF, with
  ``?ente=`` for staff), as staff, cycling over 20 Enti. While there is no such view, a
  *proxy*: the report's figures (the Ente's scores, the medians of its region and class, its
  national percentile per area) and an HTML report with a radar chart turned into PDF by
  WeasyPrint.

The RESULT line says ``source=views`` or which part is a proxy.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Avg, Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
PDF_REQUESTS = int(os.environ.get("BENCH_PDF_REQUESTS", "20"))
WARMUPS = 3
SEED = 20260417
STAFF_USERNAME = "bench-staff"
MIN_GROUP = 5


def seed():
    from demo import mappa as demo_mappa
    from mappa.models import MappaPage, Submission
    from tests.communities.factories import StaffUserFactory
    from tests.conftest import build_site

    started = time.perf_counter()
    with transaction.atomic():
        tree = build_site()
        page = MappaPage(title="Mappa dei Comuni Digitali", slug="mappa-dei-comuni-digitali")
        tree.home.add_child(instance=page)
        page.save_revision().publish()
        campaigns = demo_mappa.build_campaigns(page)
        StaffUserFactory(username=STAFF_USERNAME)
    enti = demo_mappa.synthetic_enti(100)
    print(f"seed: site and campaigns {time.perf_counter() - started:.1f} s; {len(enti)} Comuni")
    started_rows = time.perf_counter()
    created = demo_mappa.load_synthetic(campaigns["mappa"], enti, SEED, log=print)
    elapsed = time.perf_counter() - started_rows
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    variants = dict(
        Submission.objects.values_list("variant").annotate(n=Count("id")).order_by("variant")
    )
    print(
        f"seed: {created} submissions ({variants}) in {elapsed:.1f} s "
        f"({created / max(elapsed, 0.001):.0f} per second), then VACUUM ANALYZE; "
        f"total {time.perf_counter() - started:.1f} s"
    )


# --- proxies (until the dashboard and the report PDF views exist) ------------------------------


def proxy_dashboard(campaign):
    from mappa.models import AreaScore, Submission
    from membership.models import Ente

    scores = AreaScore.objects.filter(campaign=campaign)
    figures = {
        "participation": list(
            Submission.objects.filter(campaign=campaign)
            .values("region")
            .annotate(n=Count("id"))
            .order_by("region")
        ),
        "comuni": list(
            Ente.objects.filter(kind=Ente.Kind.COMUNE)
            .values("region")
            .annotate(n=Count("id"))
            .order_by("region")
        ),
    }
    for dimension in ("region", "population_class", "ente_kind"):
        figures[dimension] = list(
            scores.values(dimension, "area")
            .annotate(n=Count("id"), mean=Avg("score"))
            .filter(n__gte=MIN_GROUP)
            .order_by(dimension, "area")
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY score) "
            "FROM mappa_areascore WHERE campaign_id = %s GROUP BY area",
            [campaign.pk],
        )
        figures["medians"] = cursor.fetchall()
    return figures


def _medians(campaign, **where):
    column, value = next(iter(where.items()))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY score) "  # noqa: S608
            f"FROM mappa_areascore WHERE campaign_id = %s AND {column} = %s GROUP BY area",
            [campaign.pk, value],
        )
        return {area: median for area, n, median in cursor.fetchall() if n >= MIN_GROUP}


def _radar(scores: dict[str, float]) -> str:
    size, centre = 240, 120
    points = []
    for index, value in enumerate(scores.values()):
        angle = 2 * math.pi * index / len(scores) - math.pi / 2
        radius = value / 100 * 100
        points.append(
            f"{centre + radius * math.cos(angle):.1f},{centre + radius * math.sin(angle):.1f}"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}">'
        f'<circle cx="{centre}" cy="{centre}" r="100" fill="none" stroke="#999"/>'
        f'<polygon points="{" ".join(points)}" fill="#06c" fill-opacity="0.4" stroke="#06c"/>'
        "</svg>"
    )


def proxy_report_pdf(submission) -> bytes:
    from weasyprint import HTML

    from mappa.models import AreaScore

    campaign = submission.campaign
    scores = {s.area: s.score for s in submission.scores.order_by("area")}
    region = _medians(campaign, region=submission.region)
    klass = _medians(campaign, population_class=submission.population_class)
    rows = []
    for area, value in scores.items():
        same = AreaScore.objects.filter(campaign=campaign, area=area)
        below = same.filter(score__lt=value).count()
        equal = same.filter(score=value).count()
        percentile = (below + equal / 2) / max(same.count(), 1) * 100
        rows.append(
            f"<tr><th>{area}</th><td>{value:.0f}</td><td>{region.get(area, '–')}</td>"
            f"<td>{klass.get(area, '–')}</td><td>{percentile:.0f}</td></tr>"
        )
    html = (
        "<html><head><style>body{font-family:sans-serif} td,th{padding:4px}</style></head>"
        f"<body><h1>{submission.ente}</h1><h2>{campaign}</h2>{_radar(scores)}"
        "<table><tr><th>Area</th><th>Punteggio</th><th>Regione</th><th>Classe</th>"
        f"<th>Percentile</th></tr>{''.join(rows)}</table></body></html>"
    )
    return HTML(string=html).write_pdf()


# --- measuring ----------------------------------------------------------------------------------


def _p95(values):
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _time(call, count):
    for _ in range(WARMUPS):
        call()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _dashboard(page, campaign):
    """``(call, label)``: the dashboard view if it renders, else the proxy."""
    client = Client()
    url = os.environ.get("BENCH_MAPPA_DASHBOARD_URL") or page.url
    try:
        response = client.get(url)
        ok = response.status_code == 200
    except Exception as error:  # noqa: BLE001 (the page has no template yet)
        print(f"dashboard {url}: {type(error).__name__}: {str(error)[:120]}")
        ok = False
    if ok:

        def call():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return call, f"view {url}"
    return (lambda: proxy_dashboard(campaign)), "proxy (aggregates only)"


def _report_url(submission) -> str | None:
    template = os.environ.get("BENCH_MAPPA_REPORT_PDF_URL")
    if template:
        return template.format(
            submission=submission.pk,
            ente=submission.ente_id,
            campaign=submission.campaign.slug,
        )
    try:
        url = reverse("mappa:report_pdf", args=[submission.campaign.slug])
    except NoReverseMatch:
        return None
    # Staff open any Ente's report with ?ente=.
    return f"{url}?ente={submission.ente_id}"


def _report(submissions, staff):
    """``(call, label)``: the report PDF view if there is one, else the proxy."""
    client = Client()
    client.force_login(staff)
    cycle = iter(submissions * (PDF_REQUESTS + WARMUPS + 1))
    url = _report_url(submissions[0])
    ok = False
    if url is not None:
        try:
            response = client.get(url)
            ok = response.status_code == 200 and response.content.startswith(b"%PDF")
        except Exception as error:  # noqa: BLE001
            print(f"report {url}: {type(error).__name__}: {str(error)[:120]}")
    if ok:

        def call():
            response = client.get(_report_url(next(cycle)))
            assert response.status_code == 200 and response.content.startswith(b"%PDF")

        return call, f"view {url}"
    return (lambda: proxy_report_pdf(next(cycle))), "proxy (figures + WeasyPrint)"


def measure():
    from django.contrib.auth import get_user_model

    from mappa.models import Campaign, MappaPage, Submission

    rng = random.Random(SEED)
    page = MappaPage.objects.get()
    campaign = Campaign.objects.get(kind=Campaign.Kind.MAPPA)
    enti = Submission.objects.filter(campaign=campaign).count()
    staff = get_user_model().objects.get(username=STAFF_USERNAME)
    ids = list(Submission.objects.filter(campaign=campaign).values_list("pk", flat=True))
    picked = Submission.objects.filter(pk__in=rng.sample(ids, min(PDF_REQUESTS, len(ids))))
    submissions = list(picked.select_related("campaign", "ente"))

    dashboard_call, dashboard_label = _dashboard(page, campaign)
    dashboard = _time(dashboard_call, REQUESTS)
    report_call, report_label = _report(submissions, staff)
    report = _time(report_call, PDF_REQUESTS)
    print(
        f"dashboard [{dashboard_label}]: n={len(dashboard)} "
        f"p50={statistics.median(dashboard):.1f} ms p95={_p95(dashboard):.1f} ms"
    )
    print(
        f"report PDF [{report_label}]: n={len(report)} p50={statistics.median(report):.1f} ms "
        f"p95={_p95(report):.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )
    proxies = [
        name
        for name, label in (("dashboard", dashboard_label), ("report_pdf", report_label))
        if label.startswith("proxy")
    ]
    source = "proxy:" + "+".join(proxies) if proxies else "views"
    print(
        f"RESULT enti={enti} dashboard_p95_ms={_p95(dashboard):.0f} "
        f"report_pdf_p95_ms={_p95(report):.0f} source={source}"
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "seed":
        seed()
    elif command == "measure":
        measure()
    else:
        sys.exit(__doc__)
