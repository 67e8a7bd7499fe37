"""The member's events in La mia area (``/la-mia-area/eventi/``), mounted by ``cms/urls.py``."""

from django.urls import path

from .views import member

app_name = "events_member"

urlpatterns = [
    path("la-mia-area/eventi/", member.my_events, name="my_events"),
    path("la-mia-area/eventi/calendario-privato/", member.feed_token, name="feed_token"),
]
