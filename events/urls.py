"""The events' site URLs, mounted at ``/calendario/`` by ``cms/urls.py`` (inside the language
prefix); names in the ``events`` namespace."""

from django.urls import path

from .views import actions, calendars, organiser

app_name = "events"

urlpatterns = [
    path("", calendars.portal, name="portal"),
    path("portale.ics", calendars.portal_feed, name="portal_feed"),
    path("comunita/<int:pk>/", calendars.community, name="community"),
    path("comunita/<int:pk>/eventi.ics", calendars.community_feed, name="community_feed"),
    path("privato/<str:key>.ics", calendars.private_feed, name="private_feed"),
    path("eventi/<int:pk>/iscrizione/", actions.register, name="register"),
    path("eventi/<int:pk>/annullamento/", actions.cancel, name="cancel"),
    path("eventi/<int:pk>/evento.ics", actions.download_ics, name="ics"),
    path("eventi/<int:pk>/gestione/", organiser.manage, name="manage"),
    path("eventi/<int:pk>/presenze/", organiser.import_attendance, name="import_attendance"),
    path("eventi/<int:pk>/iscritti.csv", organiser.export_registrants, name="export"),
]
