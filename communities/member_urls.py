"""The member-facing pages of the communities, inside the language prefix (Italian at /,
English at /en/): "La mia area" and what a member does to their memberships.

Mounted in ``cms/urls.py`` under ``i18n_patterns``; names in the ``participation`` namespace.
"""

from django.urls import path

from .views import member, participation, support

app_name = "participation"

urlpatterns = [
    path("la-mia-area/", member.dashboard, name="dashboard"),
    path("la-mia-area/comunita/<int:pk>/aderisci/", participation.join, name="join"),
    path("la-mia-area/comunita/<int:pk>/lascia/", participation.leave, name="leave"),
    path("la-mia-area/comunita/<int:pk>/ruolo/", participation.switch_role, name="switch_role"),
    path(
        "la-mia-area/comunita/<int:pk>/atto-di-nomina/", participation.upload_act, name="upload_act"
    ),
    path("la-mia-area/comunita/<int:pk>/membri/", member.directory, name="directory"),
    path(
        "la-mia-area/comunita/<int:pk>/team-di-supporto/",
        support.apply,
        name="apply_support",
    ),
    path(
        "la-mia-area/comunita/<int:pk>/richiesta-ai-coordinatori/",
        participation.ask_managers,
        name="ask_managers",
    ),
    path(
        "la-mia-area/gruppi/<int:pk>/invito/",
        member.answer_invitation,
        name="answer_invitation",
    ),
    path(
        "la-mia-area/gruppi/<int:pk>/richiesta/",
        member.request_to_join,
        name="request_to_join",
    ),
]
