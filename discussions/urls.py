"""The discussions' pages, under /discussioni/ (English under /en/discussioni/).

Moderation (discussions/moderation_urls.py) and follows/notifications
(discussions/notification_urls.py) are included here, in the same "discussions" namespace.
"""

from django.urls import include, path

from . import views

app_name = "discussions"

urlpatterns = [
    path("", views.latest_topics, name="latest"),
    path("s/<int:space_id>/", views.topic_list, name="topic_list"),
    path("s/<int:space_id>/nuovo/", views.topic_new, name="topic_new"),
    path("<int:pk>-<slug:slug>/", views.topic_detail, name="topic"),
    path("<int:pk>/", views.topic_detail, name="topic_short"),
    path("<int:pk>/modifica/", views.topic_edit, name="topic_edit"),
    path("<int:pk>/elimina/", views.topic_delete, name="topic_delete"),
    path("<int:pk>/rispondi/", views.reply_create, name="reply"),
    path("<int:pk>/r/<int:reply_id>/modifica/", views.reply_edit, name="reply_edit"),
    path("<int:pk>/r/<int:reply_id>/elimina/", views.reply_delete, name="reply_delete"),
    path("<int:pk>/r/<int:reply_id>/reazione/", views.reply_react, name="reply_react"),
    path("", include("discussions.moderation_urls")),
    path("", include("discussions.notification_urls")),
]
