"""The member-facing pages of the communities, inside the language prefix (Italian at /,
English at /en/): "La mia area" and what a member does to their memberships.

Mounted in ``cms/urls.py`` under ``i18n_patterns``; names in the ``participation`` namespace.
"""

from django.urls import path

from . import member_views

app_name = "participation"

urlpatterns = [
    path("la-mia-area/", member_views.dashboard, name="dashboard"),
    path("la-mia-area/comunita/<int:pk>/aderisci/", member_views.join, name="join"),
    path("la-mia-area/comunita/<int:pk>/lascia/", member_views.leave, name="leave"),
    path("la-mia-area/comunita/<int:pk>/ruolo/", member_views.switch_role, name="switch_role"),
    path(
        "la-mia-area/comunita/<int:pk>/atto-di-nomina/", member_views.upload_act, name="upload_act"
    ),
    path("la-mia-area/comunita/<int:pk>/membri/", member_views.directory, name="directory"),
    path(
        "la-mia-area/comunita/<int:pk>/richiesta-ai-coordinatori/",
        member_views.ask_managers,
        name="ask_managers",
    ),
    path(
        "la-mia-area/gruppi/<int:pk>/invito/",
        member_views.answer_invitation,
        name="answer_invitation",
    ),
    path(
        "la-mia-area/gruppi/<int:pk>/richiesta/",
        member_views.request_to_join,
        name="request_to_join",
    ),
]
