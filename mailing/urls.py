from django.urls import path

from . import views

app_name = "mailing"

urlpatterns = [
    path("la-mia-area/comunicazioni/", views.preferences, name="preferences"),
    path("la-mia-area/comunicazioni/feed/rinnova/", views.renew_feed, name="renew_feed"),
    path("la-mia-area/avvisi/", views.notices, name="notices"),
    path("la-mia-area/annunci/<int:pk>/consegne/", views.deliveries, name="deliveries"),
    path("comunicazioni/disiscrizione/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comunicazioni/feed/<str:token>/", views.feed, name="feed"),
]
