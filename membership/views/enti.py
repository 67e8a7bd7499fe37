"""``/enti/cerca/``: the authorities' autocomplete used by the onboarding and profile forms."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..enti import search_enti


def ente_as_json(ente):
    return {
        "id": ente.pk,
        "label": str(ente),
        "name": ente.name,
        "kind": ente.kind,
        "kind_label": str(ente.get_kind_display()),
        "region": ente.region,
        "province": ente.province,
        "province_code": ente.province_code,
        "istat_code": ente.istat_code or "",
        "ipa_code": ente.ipa_code,
        "status": ente.status,
    }


@require_GET
def ente_search(request):
    """``/enti/cerca/?q=…``: up to 20 authorities as JSON, for the autocomplete."""
    query = request.GET.get("q", "")
    results = [ente_as_json(e) for e in search_enti(query, request.user)]
    return JsonResponse({"query": query, "results": results})
