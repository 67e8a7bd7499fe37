"""Wagtail API v2's endpoints (mounted at /api/v2/ by ``cms/api/urls.py``): pages, images and
documents.

Pages are filtered by the portal's access policy, so a restricted page is served only to a
client whose session may read it, and never to an anonymous client.
"""

from django.conf import settings
from django.http import Http404
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page, Site

from .. import access, locales


class PortalPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        return access.visible_pages(self.request.user, super().get_base_queryset())

    def find_object(self, queryset, request):
        """``find/?html_path=`` for every language: English pages live under ``/en/``
        (``i18n_patterns``), below the English translation of the site's home page, which
        Wagtail's own lookup (from the Italian home page) never reaches."""
        path = request.GET.get("html_path")
        site = Site.find_for_request(request)
        if path is None or site is None:
            return super().find_object(queryset, request)
        components = [component for component in path.split("/") if component]
        root = site.root_page
        language = components[0] if components else None
        if language in _prefixed_languages():
            components = components[1:]
            try:
                root = root.get_translation(locales.get_for_language(language))
            except (Page.DoesNotExist, Locale.DoesNotExist, LookupError):
                return None
        try:
            page, _args, _kwargs = root.specific.route(request, components)
        except Http404:
            return None
        return page if queryset.filter(id=page.id).exists() else None


def _prefixed_languages() -> set[str]:
    """The languages whose URLs carry a prefix: all but the default one."""
    return {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}


class PortalImagesAPIViewSet(ImagesAPIViewSet):
    def get_queryset(self):
        return access.visible_images(self.request.user, super().get_queryset())


class PortalDocumentsAPIViewSet(DocumentsAPIViewSet):
    def get_queryset(self):
        return access.visible_documents(self.request.user, super().get_queryset())
