"""The Accademia's machine documents, outside ``i18n_patterns`` (stable, language-independent
addresses the signed credentials point to, ``academy.credentials``): the issuer's DID document
(``DID_PATH``), the revocation status list (``STATUS_LIST_PATH``) and the badge classes
(``ACHIEVEMENT_PATH``: an HTML page, or the ``Achievement`` JSON; ``ACHIEVEMENT_IMAGE_PATH``).
Namespace ``academy_public``."""

from django.urls import path

from .views import badges

app_name = "academy_public"

urlpatterns = [
    path(".well-known/did.json", badges.did_document, name="did"),
    path("accademia/badge/stato/revoca/", badges.status_list, name="status_list"),
    path("accademia/badge/classi/<str:code>/", badges.badge_class, name="badge_class"),
    path(
        "accademia/badge/classi/<str:code>/immagine.svg",
        badges.badge_class_image,
        name="badge_class_image",
    ),
]
