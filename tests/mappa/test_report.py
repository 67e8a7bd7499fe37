"""The Ente's report: the comparisons (PostgreSQL's SQL and the Python fallback agree; groups of
fewer than 5 Enti show nothing), who sees it (404 for everyone else and for forged ids), the
radar chart and its table, the agenda digitale from the portal's public pages, the number of
queries, and the PDF (tagged, attachment, private, no network)."""

import html
import re
import zlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mappa import charts, report, services
from mappa.models import AreaScore, Submission
from mappa.views.report import PDF_BASE_URL, _local_fetcher
from membership.enti import population_class
from surveys import services as survey_services
from surveys.models import Response, Segment
from tests.academy.factories import AcademyPageFactory, CoursePageFactory
from tests.communities.conftest import fresh
from tests.factories import EnteFactory, KitPageFactory, UserFactory

from .test_compile_views import accredit, answers

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def peer(m, scores: dict, *, region="Umbria", population=2000, kind="comune"):
    """Another Ente's stored response and scores (as the demo data and the dashboards see
    them)."""
    ente = EnteFactory(region=region, population=population, kind=kind)
    klass = population_class(population)
    segment, _created = Segment.objects.get_or_create(
        region=region, ente_kind=kind, population_class=klass, position=""
    )
    response = Response.objects.create(
        survey=m.full,
        version=survey_services.version_for_answering(m.full),
        ente=ente,
        segment=segment,
        submitted_at=timezone.now(),
    )
    submission = Submission.objects.create(
        campaign=m.campaign,
        ente=ente,
        response=response,
        variant="full",
        region=region,
        population_class=klass,
        ente_kind=kind,
        total_score=round(sum(scores.values()) / len(scores), 1),
    )
    AreaScore.objects.bulk_create(
        AreaScore(
            submission=submission,
            campaign=m.campaign,
            area=area,
            score=score,
            region=region,
            population_class=klass,
            ente_kind=kind,
        )
        for area, score in scores.items()
    )
    return submission


def pdf_objects(content: bytes) -> bytes:
    """The PDF's objects, its compressed streams (object streams, XMP metadata) inflated."""
    out = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


def sent(m, client=None):
    """The small Comune's response, sent through the site (servizi: 66.7)."""
    accredit(m, m.compiler)
    return services.submit(
        fresh(m.compiler),
        m.campaign,
        answers(m.simplified, pagopa=["yes"], spid=["no"], servizi_online=["Più di 5"]),
    )


def peers(m):
    # Umbria, under 5,000: 5 peers (with the Ente: 6) — available; Lazio: 3 — not in Umbria.
    for score in (20.0, 40.0, 66.7, 80.0, 100.0):
        peer(m, {"servizi": score, "sicurezza": score / 2}, region="Umbria", population=3000)
    for score in (10.0, 66.7, 90.0):
        peer(m, {"servizi": score, "sicurezza": 50.0}, region="Lazio", population=30000)
    # A Provincia is not compared with the Comuni.
    peer(m, {"servizi": 0.0}, region="Umbria", population=3000, kind="provincia")


def test_sql_and_python_agree(mappa):
    m = mappa
    submission = sent(m)
    peers(m)
    own = report._own_scores(submission)
    python = report.compare_python(submission, own)
    assert python["servizi"]["region"] == (6, pytest.approx(66.7), 2, 2)
    assert python["servizi"]["national"][0] == 9
    if connection.vendor == "postgresql":
        sql = report.compare_sql(submission, own)
        assert set(sql) == set(python)
        for area in sql:
            for group in report.GROUPS:
                n, median, below, equal = sql[area][group]
                p_n, p_median, p_below, p_equal = python[area][group]
                assert (n, below, equal) == (p_n, p_below, p_equal)
                assert (median is None) == (p_median is None)
                if median is not None:
                    assert float(median) == pytest.approx(p_median)
    built = report.build(submission, with_agenda=False)
    servizi = built["rows"][0]
    assert servizi.key == "servizi" and servizi.score == pytest.approx(66.7)
    region = servizi.comparison(report.REGION)
    assert region.available and region.median == pytest.approx(66.7)
    assert region.percentile == round((2 + 2 / 2) / 6 * 100)
    # The simplified version has no "sicurezza" score: that row is not in the report.
    assert [row.key for row in built["rows"]] == ["servizi"]


def test_small_groups_are_not_shown(mappa):
    m = mappa
    submission = sent(m)
    peer(m, {"servizi": 50.0}, region="Umbria", population=3000)
    built = report.build(submission, with_agenda=False)
    for comparison in built["rows"][0].comparisons:
        assert not comparison.available and comparison.median is None
    assert built["total"] is not None


def test_who_sees_the_report(client, mappa):
    m = mappa
    submission = sent(m)
    url = reverse("mappa:report", args=[m.campaign.slug])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(m.colleague)  # same Ente, not a compiler nor designated
    assert client.get(url).status_code == 404
    client.force_login(m.large_compiler)
    assert client.get(url).status_code == 404  # their Ente sent nothing
    forged = client.get(url, {"ente": submission.ente_id})
    assert forged.status_code == 404
    assert client.get(url, {"ente": "x"}).status_code == 404
    client.force_login(m.compiler)
    assert client.get(url).status_code == 200
    assert client.get(reverse("mappa:report", args=["altra"])).status_code == 404
    staff = UserFactory(ente=None, is_staff=True)
    client.force_login(staff)
    response = client.get(url, {"ente": submission.ente_id})
    assert response.status_code == 200 and str(m.small) in text_of(response)


def test_report_page_chart_table_agenda_and_queries(client, mappa, django_assert_max_num_queries):
    m = mappa
    kit = KitPageFactory(
        parent=m.tree.kit_index, title="Kit pagoPA per i piccoli Comuni", summary="Pagamenti"
    )
    KitPageFactory(parent=m.tree.kit_index, title="Kit sulla conservazione", summary="Archivi")
    draft_kit = KitPageFactory(parent=m.tree.kit_index, title="Kit SPID in bozza", live=False)
    academy = AcademyPageFactory(parent=m.tree.home)
    course = CoursePageFactory(
        parent=academy, title="Incassi digitali", competences="Attivare i pagamenti pagoPA"
    )
    # Weak "servizi" (score 33.3 < 50): the agenda lists the kit on pagoPA.
    accredit(m, m.compiler)
    services.submit(
        fresh(m.compiler),
        m.campaign,
        answers(m.simplified, pagopa=["no"], spid=["no"], servizi_online=["Più di 5"]),
    )
    peers(m)
    client.force_login(m.compiler)
    url = reverse("mappa:report", args=[m.campaign.slug])
    client.get(url)  # warm the per-process caches (locales, site root)
    with django_assert_max_num_queries(16):  # 13 today
        response = client.get(url)
    text = text_of(response)
    assert response.status_code == 200
    assert 'role="img"' in text and "<title id=" in text and "<desc id=" in text
    assert 'id="report-table"' in text and "<caption>" in text
    assert kit.title in text and "Kit sulla conservazione" not in text
    assert course.title in text  # an Accademia course whose competences name the topic
    assert draft_kit.title not in text
    assert reverse("mappa:report_pdf", args=[m.campaign.slug]) in text


def test_radar_is_accessible_and_escapes():
    svg = charts.radar(
        ["Servizi <online>", "Sicurezza", "Cloud"],
        [("Comune di A&B", [50, 60, 70]), ("Mediana", [40, None, 30])],
        ident="x",
        title="Punteggi",
        desc="Descrizione",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
    assert "&lt;online&gt;" in svg and "A&amp;B" in svg
    assert svg.count("<polygon") == 4 + 1  # four rings, the complete series only
    bars = charts.chart(["Servizi"], [("A", [50.0])], ident="y", title="T", desc="D")
    assert "<rect" in bars and 'role="img"' in bars


def test_pdf_download(client, mappa):
    m = mappa
    sent(m)
    peers(m)
    client.force_login(m.compiler)
    response = client.get(reverse("mappa:report_pdf", args=[m.campaign.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # The PDF is tagged (PDF/UA): a structure tree and the document's language.
    objects = pdf_objects(response.content)
    assert b"/StructTreeRoot" in objects and b"/Lang" in objects and b"pdfuaid" in objects
    client.force_login(m.colleague)
    assert client.get(reverse("mappa:report_pdf", args=[m.campaign.slug])).status_code == 404


def test_pdf_text_has_the_ente_and_the_figures(client, mappa):
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from weasyprint import HTML

    from mappa.views.report import report_context

    m = mappa
    submission = sent(m)
    peers(m)
    request = RequestFactory().get("/")
    request.user = fresh(m.compiler)
    context = report_context(request, m.campaign, submission, ident="pdf")
    page = render_to_string("mappa/report_pdf.html", context)
    document = HTML(string=page, base_url=PDF_BASE_URL, url_fetcher=_local_fetcher()).render()
    assert len(document.pages) >= 1

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", []):
            yield from texts(child)

    words = " ".join(" ".join(texts(p._page_box)) for p in document.pages)
    words = re.sub(r"\s+", " ", words)
    assert "Comune di Piccolo" in words
    assert "Servizi online" in words


def test_the_pdf_fetcher_never_goes_to_the_network():
    fetcher = _local_fetcher()
    for url in (
        "https://example.com/font.ttf",
        "http://portal.invalid/static/js/portal.js",
        PDF_BASE_URL + "media/private.pdf",
        PDF_BASE_URL + "static/../cms/settings/base.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = (
        PDF_BASE_URL
        + "static/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-600.ttf"
    )
    assert len(fetcher.fetch(font).read()) > 1000
