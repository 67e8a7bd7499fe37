"""The Mappa's pages for members, at ``/mappa/`` (namespace ``mappa``): a campaign, compiling
for one's Ente, the Ente's report and its PDF, the competence-centre survey's territories (a
province, a union of Comuni) with their CSV; and for anyone the campaign's open data (the
public dashboard is the ``MappaPage`` itself)."""

from django.urls import path

from .views import compile as compile_views
from .views import open_data
from .views import report as report_views
from .views import territory as territory_views

app_name = "mappa"

urlpatterns = [
    path("campagne/<slug:slug>/", compile_views.campaign, name="campaign"),
    path(
        "campagne/<slug:slug>/richieste/<int:pk>/decisione/",
        compile_views.decide,
        name="decide",
    ),
    path("campagne/<slug:slug>/compila/", compile_views.compile_view, name="compile"),
    path("campagne/<slug:slug>/compila/bozza/", compile_views.autosave, name="autosave"),
    path("campagne/<slug:slug>/report/", report_views.report, name="report"),
    path("campagne/<slug:slug>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("campagne/<slug:slug>/territori/", territory_views.territories, name="territories"),
    path(
        "campagne/<slug:slug>/territorio/provincia/<str:code>/",
        territory_views.province_page,
        name="territory_province",
    ),
    path(
        "campagne/<slug:slug>/territorio/provincia/<str:code>/csv/",
        territory_views.province_csv,
        name="territory_province_csv",
    ),
    path(
        "campagne/<slug:slug>/territorio/unione/<int:pk>/",
        territory_views.union_page,
        name="territory_union",
    ),
    path(
        "campagne/<slug:slug>/territorio/unione/<int:pk>/csv/",
        territory_views.union_csv,
        name="territory_union_csv",
    ),
    path("campagne/<slug:slug>/dati.csv", open_data.open_data_csv, name="open_data_csv"),
    path("campagne/<slug:slug>/dati.json", open_data.open_data_json, name="open_data_json"),
]
