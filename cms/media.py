"""Media files (images, renditions, documents) served after asking the access policy."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_GET
from django.views.static import serve

from . import access
from .cache import mark_private


def _media_collection_id(path: str):
    """The collection of the image, rendition or document stored at ``path`` (or ``None``)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    if path.startswith("original_images/"):
        model = get_image_model()
        return model.objects.filter(file=path).values_list("collection_id", flat=True).first()
    if path.startswith("images/"):
        rendition_model = get_image_model().get_rendition_model()
        return (
            rendition_model.objects.filter(file=path)
            .values_list("image__collection_id", flat=True)
            .first()
        )
    if path.startswith("documents/"):
        model = get_document_model()
        return model.objects.filter(file=path).values_list("collection_id", flat=True).first()
    return None


@require_GET
def serve_media(request, path):
    """Every file under MEDIA_URL goes through here: an image (original or rendition) or a
    document in a restricted collection is served only to users its collection accepts, with
    a 404 for anyone else so that its existence is not disclosed either."""
    from wagtail.models import Collection

    path = posixpath.normpath(path).lstrip("/")
    collection_id = _media_collection_id(path)
    restricted = False
    if collection_id is not None:
        collection = Collection.objects.filter(pk=collection_id).first()
        if collection is not None and collection.get_view_restrictions().exists():
            restricted = True
            if not access.can_view_collection(request.user, collection):
                raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if restricted:
        mark_private(request)
    return response
