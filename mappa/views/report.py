"""The Ente's report after its response was sent: the score per area and in total, compared with
the Comuni of the same region, of the same population class and nationally (``mappa.report``),
a radar chart with its table (``mappa.charts``) and the agenda digitale; and the same report as a
tagged PDF (WeasyPrint).

Only who may ``view_ente_report`` sees it (the Ente's compilers, its designated participants,
staff): anyone else, an unknown campaign or Ente, an Ente that has not sent, is a 404. Staff open
another Ente's report with ``?ente=<id>``.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import access
from cms.cache import mark_private

from .. import charts
from .. import report as report_module
from ..models import Submission
from ..permissions import Action
from .compile import get_campaign, variant_text

#: The origin the PDF's template is rendered against; only its static files are served.
PDF_BASE_URL = "https://portal.invalid/"
#: ``pdf/ua-1``: tagged, with the document's language and title (PDF/UA), fonts embedded.
PDF_VARIANT = "pdf/ua-1"


def submission_or_404(request, campaign) -> Submission:
    """The submission whose report the user asks for: their Ente's, or (``?ente=``) another
    one's; 404 unless they may see it (nothing disclosed about forged ids)."""
    user = request.user
    ente_id = request.GET.get("ente") or user.ente_id
    try:
        ente_id = int(ente_id)
    except (TypeError, ValueError):
        raise Http404 from None
    submission = (
        Submission.objects.select_related("ente", "submitted_by", "campaign")
        .filter(campaign=campaign, ente_id=ente_id)
        .first()
    )
    if submission is None or not access.can(user, Action.VIEW_ENTE_REPORT, submission):
        raise Http404
    submission.campaign = campaign
    return submission


def report_context(request, campaign, submission, *, ident="mappa-chart") -> dict:
    from ..report import NATIONAL, REGION

    data = report_module.build(submission)
    rows = data["rows"]
    labels = [row.label for row in rows]
    ente = submission.ente
    series = [(str(ente), [row.score for row in rows])]
    national = [row.comparison(NATIONAL) for row in rows]
    if rows and all(c.available for c in national):
        series.append((_("National median"), [c.median for c in national]))
    regional = [row.comparison(REGION) for row in rows]
    if rows and all(c.available for c in regional):
        series.append(
            (
                _("Median of %(region)s") % {"region": submission.region},
                [c.median for c in regional],
            )
        )
    chart = None
    if rows:
        chart = charts.chart(
            labels,
            series,
            ident=ident,
            title=_("Scores of %(ente)s by area") % {"ente": ente},
            desc=_(
                "Scores from 0 to 100 of %(ente)s in each area (%(areas)s), compared with the "
                "medians; the same figures are in the table."
            )
            % {"ente": ente, "areas": ", ".join(labels)},
        )
    return {
        "page_title": _("Report of %(ente)s") % {"ente": ente},
        "campaign": campaign,
        "submission": submission,
        "ente": ente,
        "rows": rows,
        "total": data["total"],
        "agenda": data["agenda"],
        "groups": data["groups"],
        "chart": chart,
        "series_names": [name for name, _values in series],
        "min_group": report_module.MIN_GROUP,
        "variant_text": variant_text(campaign, ente, submission.variant, False),
        "ente_query": f"?ente={ente.pk}" if request.GET.get("ente") else "",
    }


@login_required
@require_GET
def report(request, slug):
    campaign = get_campaign(slug)
    submission = submission_or_404(request, campaign)
    mark_private(request)
    context = report_context(request, campaign, submission)
    return render(request, "mappa/report.html", context)


# --- PDF --------------------------------------------------------------------------------------


def _collected(relative: str) -> str | None:
    """The collected static file (``STATIC_ROOT``, hashed names in production), if any."""
    import os

    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        path = staticfiles_storage.path(relative)
    except NotImplementedError:  # a remote storage: nothing on disk
        return None
    return path if os.path.isfile(path) else None


def _local_fetcher():
    """A WeasyPrint URL fetcher that never goes to the network: it serves the site's static
    files (fonts) from disk and ``data:`` URIs, and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            prefix = urlsplit(PDF_BASE_URL)
            static = settings.STATIC_URL
            if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc) or not (
                parts.path.startswith(static)
            ):
                raise ValueError(f"not a local static file: {url}")
            relative = unquote(parts.path[len(static) :])
            if ".." in relative.split("/"):
                raise ValueError(f"not a local static file: {url}")
            path = finders.find(relative) or _collected(relative)
            if not path:
                raise ValueError(f"no such static file: {url}")
            with open(path, "rb") as handle:
                body = handle.read()
            return URLFetcherResponse(url, body)

    return LocalFetcher(allowed_protocols={"https", "data"})


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_local_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


@login_required
@require_GET
def report_pdf(request, slug):
    campaign = get_campaign(slug)
    submission = submission_or_404(request, campaign)
    mark_private(request)
    context = report_context(request, campaign, submission, ident="mappa-pdf-chart")
    context["lang"] = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    context["site_url"] = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    html = render_to_string("mappa/report_pdf.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    filename = f"report-{slugify(campaign.slug)}-{slugify(submission.ente.name)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
