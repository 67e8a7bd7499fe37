"""Mounted at /demo-idp/ by cms/urls.py, only where the demo_idp app is installed."""

from django.urls import path

from . import views

app_name = "demo_idp"

urlpatterns = [
    # SPID entity
    path("metadata/", views.metadata, {"kind": "spid"}, name="metadata"),
    path("sso/", views.sso, {"kind": "spid"}, name="sso"),
    path("slo/", views.slo, {"kind": "spid"}, name="slo"),
    # CIE entity (same keys and identities, its own entity ID)
    path("cie/metadata/", views.metadata, {"kind": "cie"}, name="cie_metadata"),
    path("cie/sso/", views.sso, {"kind": "cie"}, name="cie_sso"),
    path("cie/slo/", views.slo, {"kind": "cie"}, name="cie_slo"),
]
