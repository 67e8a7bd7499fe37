"""Views that serve private files after asking the access policy."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from cms import access
from cms.cache import mark_private

from ..models import Designation
from ..permissions import Action


@require_GET
def designation_act(request, pk):
    """The appointment act of a designated participant: for them and the community managers."""
    designation = get_object_or_404(
        Designation.objects.select_related("membership__community"), pk=pk
    )
    if not designation.act_file or not access.can(
        request.user, Action.VIEW_DESIGNATION_ACT, designation
    ):
        raise Http404
    mark_private(request)
    try:
        handle = designation.act_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=True, filename="atto-di-nomina.pdf", content_type="application/pdf"
    )
