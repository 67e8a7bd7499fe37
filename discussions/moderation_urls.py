"""URLs of moderation (included by discussions/urls.py inside the "discussions" namespace)."""

from django.urls import path

from . import moderation_views as views

urlpatterns = [
    path("moderazione/<int:community_id>/", views.queue, name="moderation_queue"),
    path("moderazione/risposta/<int:reply_id>/segnala/", views.flag_reply, name="flag_reply"),
    path("moderazione/risposta/<int:reply_id>/nascondi/", views.hide_reply, name="hide_reply"),
    path(
        "moderazione/risposta/<int:reply_id>/ripristina/",
        views.unhide_reply,
        name="unhide_reply",
    ),
    path(
        "moderazione/risposta/<int:reply_id>/archivia-segnalazioni/",
        views.dismiss_flags,
        name="dismiss_flags",
    ),
    path("moderazione/argomento/<int:topic_id>/segnala/", views.flag_topic, name="flag_topic"),
    path("moderazione/argomento/<int:topic_id>/nascondi/", views.hide_topic, name="hide_topic"),
    path(
        "moderazione/argomento/<int:topic_id>/ripristina/",
        views.unhide_topic,
        name="unhide_topic",
    ),
    path(
        "moderazione/argomento/<int:topic_id>/archivia-segnalazioni/",
        views.dismiss_topic_flags,
        name="dismiss_topic_flags",
    ),
    path("moderazione/argomento/<int:topic_id>/blocca/", views.lock_topic, name="lock_topic"),
    path("moderazione/argomento/<int:topic_id>/fissa/", views.pin_topic, name="pin_topic"),
    path("moderazione/argomento/<int:topic_id>/sposta/", views.move_topic, name="move_topic"),
]
