"""The figures' pages, mounted under ``/cdp/`` by ``cms/urls.py``."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("gestione/<int:pk>/partecipazione/", views.community_figures, name="community"),
    path(
        "gestione/<int:pk>/partecipazione/<slug:slug>.csv",
        views.community_figures_csv,
        name="community_csv",
    ),
    path("partecipazione/", views.portal_figures, name="portal"),
    path("partecipazione/<slug:slug>.csv", views.portal_figures_csv, name="portal_csv"),
]
