"""Wagtail API v2 at /api/v2/: pages, images and documents, filtered by the access policy
(``cms/api/views.py``). Included by ``cms/urls.py`` under the ``wagtailapi`` namespace, as
Wagtail's ``WagtailAPIRouter.urls`` would be."""

from wagtail.api.v2.router import WagtailAPIRouter

from .views import PortalDocumentsAPIViewSet, PortalImagesAPIViewSet, PortalPagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", PortalDocumentsAPIViewSet)

app_name = api_router.url_namespace
urlpatterns = api_router.get_urlpatterns()
