"""The competence-centre survey's territorial view (``mappa.territory``): the territories a member
may see (their Ente's province and unions; every answered one for staff), and for a province or
a union of Comuni who needs what and who offers what by topic, each Comune's needs, offers and
IT resources, the matching list "Comuni che possono aiutarti su …" for one Ente of the territory
(the member's own by default), and the same data as CSV.

Only a competence campaign has territories. Who may see a territory is ``view_territory``
(staff, the registered members of its Enti); anyone else, a forged province code or union id,
a Mappa campaign, is a 404: a territory is not disclosed. Anonymous visitors sign in first.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import access
from cms.cache import mark_private
from cms.refusals import render_refusal
from cms.spreadsheets import escape_formula
from membership import registration

from .. import territory as territory_module
from ..models import Campaign
from ..permissions import Action
from .compile import get_campaign, no_ente_refusal


def _competence_campaign(slug) -> Campaign:
    campaign = get_campaign(slug)
    if campaign.kind != Campaign.Kind.COMPETENCE:
        raise Http404
    return campaign


def _is_staff(user) -> bool:
    return user.is_superuser or access.is_staff(user)


def _territory_or_404(request, kind, code):
    found = (
        territory_module.province(code)
        if kind == territory_module.PROVINCE
        else territory_module.union(code)
    )
    if found is None or not access.can(request.user, Action.VIEW_TERRITORY, found):
        raise Http404
    return found


def _chosen_ente_id(request, view):
    """The Ente whose matches are shown: ``?ente=<id>`` (an Ente of the territory that answered),
    otherwise the member's own."""
    raw = request.GET.get("ente")
    if raw:
        try:
            ente_id = int(raw)
        except ValueError:
            return None
        return ente_id if view.entry(ente_id) is not None else None
    return request.user.ente_id


@login_required
@require_GET
def territories(request, slug):
    """The territories the member may see, with how many of their Enti answered."""
    campaign = _competence_campaign(slug)
    user = request.user
    staff = _is_staff(user)
    if not staff:
        if not registration.is_registered(user):
            return render_refusal(
                request,
                _("Complete your registration to the Community to see your territory."),
                title=_("Registration not completed"),
                links=[
                    {"url": reverse("membership:onboarding"), "label": _("Complete registration")}
                ],
            )
        if user.ente_id is None:
            return no_ente_refusal(request)
    mark_private(request)
    rows = (
        territory_module.all_territories(campaign)
        if staff
        else territory_module.territories_of(campaign, user.ente)
    )
    return render(
        request,
        "mappa/territories.html",
        {
            "page_title": _("Territories: %(campaign)s") % {"campaign": campaign.title},
            "campaign": campaign,
            "rows": [
                {
                    "territory": row.territory,
                    "answered": row.answered,
                    "url": row.territory.url(campaign),
                }
                for row in rows
            ],
            "is_staff": staff,
        },
    )


def _territory_page(request, slug, kind, code):
    campaign = _competence_campaign(slug)
    found = _territory_or_404(request, kind, code)
    mark_private(request)
    view = territory_module.build(campaign, found)
    ente_id = _chosen_ente_id(request, view)
    chosen = view.entry(ente_id) if ente_id else None
    # A member passed ``view_territory``: their Ente is in the territory (staff: no own Ente).
    own_in_territory = not _is_staff(request.user) and request.user.ente_id is not None
    rules = view.rules
    return render(
        request,
        "mappa/territory.html",
        {
            "page_title": found.label,
            "campaign": campaign,
            "territory": found,
            "view": view,
            "entries": view.entries,
            "topics": view.topics,
            "needs_labels": [q.label for q in rules.needs],
            "offers_labels": [q.label for q in rules.offers],
            "details": rules.details,
            "ente_rows": [
                {
                    "entry": entry,
                    "needs": [row.topic for row in view.topics if row.topic in entry.needs],
                    "offers": [row.topic for row in view.topics if row.topic in entry.offers],
                    "details": [entry.details.get(q.code, "") for q in rules.details],
                }
                for entry in view.entries
            ],
            "any_demo": any(entry.is_demo for entry in view.entries),
            "chosen": chosen,
            "is_own": chosen is not None and chosen.ente_id == request.user.ente_id,
            "matches": territory_module.matches(view, chosen.ente_id) if chosen else None,
            "own_in_territory": own_in_territory,
            "own_answered": view.entry(request.user.ente_id) is not None,
            "csv_url": found.csv_url(campaign),
            "territories_url": reverse("mappa:territories", args=[campaign.slug]),
        },
    )


def _cell(value):
    return escape_formula("" if value is None else str(value))


def _territory_csv(request, slug, kind, code):
    """One row per Ente and topic it needs or offers (with the questions that named it), then
    the Ente's details: a long table that a spreadsheet pivots either way."""
    campaign = _competence_campaign(slug)
    found = _territory_or_404(request, kind, code)
    mark_private(request)
    view = territory_module.build(campaign, found)
    rules = view.rules
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"territorio-{slugify(campaign.slug)}-{slugify(found.label) or found.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Authority"),
            _("ISTAT code"),
            _("Province"),
            _("Region"),
            _("Population"),
            _("Topic"),
            _("Needs"),
            _("Offers"),
            *[q.label for q in rules.details],
            _("Demo data"),
        ]
    )
    topics = [row.topic for row in view.topics]
    for entry in view.entries:
        details = [_cell(entry.details.get(q.code, "")) for q in rules.details]
        for topic in topics:
            if topic not in entry.needs and topic not in entry.offers:
                continue
            writer.writerow(
                [
                    _cell(entry.name),
                    _cell(entry.istat_code),
                    _cell(entry.province_code),
                    _cell(entry.region),
                    entry.population if entry.population is not None else "",
                    _cell(topic),
                    _cell("; ".join(entry.needs.get(topic, []))),
                    _cell("; ".join(entry.offers.get(topic, []))),
                    *details,
                    _("yes") if entry.is_demo else _("no"),
                ]
            )
    return response


@login_required
@require_GET
def province_page(request, slug, code):
    return _territory_page(request, slug, territory_module.PROVINCE, code)


@login_required
@require_GET
def province_csv(request, slug, code):
    return _territory_csv(request, slug, territory_module.PROVINCE, code)


@login_required
@require_GET
def union_page(request, slug, pk):
    return _territory_page(request, slug, territory_module.UNION, pk)


@login_required
@require_GET
def union_csv(request, slug, pk):
    return _territory_csv(request, slug, territory_module.UNION, pk)
