"""The Accademia's pages outside Wagtail's page tree, under ``/accademia/`` inside
``i18n_patterns`` (namespace ``academy``): enrolling in and withdrawing from an edition, a
badge's public verification page (the credential's ``id``, ``credentials.BADGE_PATH``) and the
verifier where anyone pastes or uploads a credential.

The machine documents the credentials point to are in ``academy.public_urls``
(``public_urlpatterns``), outside ``i18n_patterns``.
"""

from django.urls import path

from .public_urls import urlpatterns as public_urlpatterns
from .views import badges, member

app_name = "academy"

urlpatterns = [
    path("edizioni/<int:pk>/iscriviti/", member.enrol, name="enrol"),
    path("edizioni/<int:pk>/ritirati/", member.cancel, name="cancel"),
    path("badge/verifica/", badges.verify, name="verify"),
    path("badge/<uuid:uuid>/", badges.badge_detail, name="badge"),
]

__all__ = ["public_urlpatterns", "urlpatterns"]
