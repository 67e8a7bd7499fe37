"""URLs of the figures in the community API, included by ``communities/api/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "communities/<int:pk>/figures/",
        views.CommunityFigures.as_view(),
        name="community_figures",
    ),
    path("figures/", views.PortalFigures.as_view(), name="figures"),
]
