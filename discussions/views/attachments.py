"""The files attached to topics and replies, served after asking the access policy
(``view_attachment``, ``discussions.permissions``): whoever may not download one gets a 404,
whatever the reason (nothing about the discussion is disclosed). The file comes as a download
with the name the member gave, never rendered by the browser (``nosniff``), never cached by a
shared cache (``mark_private``)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_http_methods

from cms import access
from cms.cache import mark_private

from ..models import Attachment
from .common import Action


@require_http_methods(["GET", "HEAD"])
def download(request, pk):
    mark_private(request)
    attachment = (
        Attachment.objects.select_related(
            "topic__community",
            "topic__space",
            "reply__topic__community",
            "reply__topic__space",
        )
        .filter(pk=pk)
        .first()
    )
    if attachment is None or not access.can(request.user, Action.VIEW_ATTACHMENT, attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
