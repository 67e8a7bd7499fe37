"""Wagtail API v2 at /api/v2/: pages, images and documents.

Pages are filtered by the portal's access policy, so a restricted page is served only to a
client whose session may read it, and never to an anonymous client.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from communities import access


class PortalPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        return access.visible_pages(self.request.user, super().get_base_queryset())


class PortalImagesAPIViewSet(ImagesAPIViewSet):
    def get_queryset(self):
        return access.visible_images(self.request.user, super().get_queryset())


class PortalDocumentsAPIViewSet(DocumentsAPIViewSet):
    def get_queryset(self):
        return access.visible_documents(self.request.user, super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", PortalDocumentsAPIViewSet)
