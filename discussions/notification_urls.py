"""Follows, notifications and the unsubscribe link (included by discussions/urls.py, inside the
"discussions" namespace, under /discussioni/)."""

from django.urls import path

from . import notification_views as views

urlpatterns = [
    path("notifiche/", views.notification_list, name="notifications"),
    path("notifiche/lette/", views.mark_all_read, name="notifications_read"),
    path("notifiche/<int:pk>/", views.open_notification, name="notification_open"),
    path("notifiche/email/<int:pk>/", views.follow_email, name="follow_email"),
    path("notifiche/disiscrizione/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("segui/argomento/<int:pk>/", views.follow_topic, name="follow_topic"),
    path("segui/comunita/<int:pk>/", views.follow_community, name="follow_community"),
]
