"""URLs of the Mappa in the community API (tag ``mappa``), included by
``communities/api/urls.py`` (``/api/community/v1/``)."""

from django.urls import path

from . import views as api

urlpatterns = [
    path("mappa/campaigns/", api.CampaignList.as_view(), name="mappa_campaign_list"),
    path(
        "mappa/campaigns/<slug:slug>/",
        api.CampaignDetail.as_view(),
        name="mappa_campaign_detail",
    ),
    path(
        "mappa/campaigns/<slug:slug>/accreditation/",
        api.AccreditationRequest.as_view(),
        name="mappa_accreditation_request",
    ),
    path(
        "mappa/campaigns/<slug:slug>/accreditations/",
        api.AccreditationList.as_view(),
        name="mappa_accreditation_list",
    ),
    path(
        "mappa/accreditations/<int:pk>/approve/",
        api.AccreditationApprove.as_view(),
        name="mappa_accreditation_approve",
    ),
    path(
        "mappa/accreditations/<int:pk>/refuse/",
        api.AccreditationRefuse.as_view(),
        name="mappa_accreditation_refuse",
    ),
    path("mappa/campaigns/<slug:slug>/draft/", api.EnteDraftView.as_view(), name="mappa_draft"),
    path(
        "mappa/campaigns/<slug:slug>/submission/",
        api.SubmissionView.as_view(),
        name="mappa_submission",
    ),
    path("mappa/campaigns/<slug:slug>/report/", api.ReportView.as_view(), name="mappa_report"),
    path(
        "mappa/campaigns/<slug:slug>/territories/<str:kind>/<str:code>/",
        api.TerritoryView.as_view(),
        name="competence_territory",
    ),
]
