"""La mia area > Accademia: the member's courses, hours and badges, the download of a badge's
credential and the choice of showing their name on its public page."""

from django.urls import path

from .views import member

app_name = "academy_member"

urlpatterns = [
    path("la-mia-area/accademia/", member.my_academy, name="record"),
    path(
        "la-mia-area/accademia/badge/<uuid:uuid>/credenziale.json",
        member.download_credential,
        name="credential",
    ),
    path(
        "la-mia-area/accademia/badge/<uuid:uuid>/condivisione/",
        member.badge_sharing,
        name="sharing",
    ),
]
