"""The base of every JSON endpoint of the portal's own APIs (the community API and the apps'
endpoints included in it): token or session authentication, JSON errors with codes
(``cms.api_errors``), the client's language from Accept-Language, ids past the database's range
answered as 404, and responses never stored by shared caches. The apps add their permission
classes (who may call) on top."""

from __future__ import annotations

from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.views import APIView

from .api_errors import api_exception_handler

#: The largest id PostgreSQL's bigint holds: a larger one in a URL is a 404, not a 500.
MAX_ID = 2**63 - 1


class PortalAPIView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return api_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        if any(isinstance(value, int) and value > MAX_ID for value in kwargs.values()):
            raise exceptions.NotFound()

    def dispatch(self, request, *args, **kwargs):
        # The portal's LocaleMiddleware gives unprefixed paths the default language (Italian);
        # API clients choose theirs with Accept-Language (or the portal's language cookie).
        with translation.override(translation.get_language_from_request(request)):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Accept-Language"])
        return response
