"""URLs of the events API, included by ``communities/api/urls.py`` (``/api/community/v1/``)."""

from django.urls import path

from . import views as api

urlpatterns = [
    path("events/", api.EventList.as_view(), name="event_list"),
    path("events/<int:pk>/", api.EventDetail.as_view(), name="event_detail"),
    path(
        "events/<int:pk>/registration/",
        api.EventRegistration.as_view(),
        name="event_registration",
    ),
    path("events/<int:pk>/attendance/", api.EventAttendance.as_view(), name="event_attendance"),
    path("me/event-registrations/", api.MyRegistrations.as_view(), name="my_event_registrations"),
]
