"""The discussions' pages, under /discussioni/ (English under /en/discussioni/): topics and
replies, moderation, follows and notifications, all in the "discussions" namespace."""

from django.urls import path

from .views import attachments, moderation, notifications, polls, replies, topics

app_name = "discussions"

urlpatterns = [
    path("", topics.latest_topics, name="latest"),
    path("s/<int:space_id>/", topics.topic_list, name="topic_list"),
    path("s/<int:space_id>/nuovo/", topics.topic_new, name="topic_new"),
    path("<int:pk>-<slug:slug>/", topics.topic_detail, name="topic"),
    path("<int:pk>/", topics.topic_detail, name="topic_short"),
    path("<int:pk>/modifica/", topics.topic_edit, name="topic_edit"),
    path("<int:pk>/elimina/", topics.topic_delete, name="topic_delete"),
    path("<int:pk>/rispondi/", replies.reply_create, name="reply"),
    path("<int:pk>/sondaggio/", polls.poll_edit, name="poll_edit"),
    path("<int:pk>/sondaggio/vota/", polls.poll_vote, name="poll_vote"),
    path("<int:pk>/sondaggio/ritira/", polls.poll_withdraw, name="poll_withdraw"),
    path("<int:pk>/r/<int:reply_id>/modifica/", replies.reply_edit, name="reply_edit"),
    path("<int:pk>/r/<int:reply_id>/elimina/", replies.reply_delete, name="reply_delete"),
    path("<int:pk>/r/<int:reply_id>/reazione/", replies.reply_react, name="reply_react"),
    path("allegati/<int:pk>/", attachments.download, name="attachment"),
    # Moderation
    path("moderazione/<int:community_id>/", moderation.queue, name="moderation_queue"),
    path("moderazione/risposta/<int:reply_id>/segnala/", moderation.flag_reply, name="flag_reply"),
    path("moderazione/risposta/<int:reply_id>/nascondi/", moderation.hide_reply, name="hide_reply"),
    path(
        "moderazione/risposta/<int:reply_id>/ripristina/",
        moderation.unhide_reply,
        name="unhide_reply",
    ),
    path(
        "moderazione/risposta/<int:reply_id>/archivia-segnalazioni/",
        moderation.dismiss_flags,
        name="dismiss_flags",
    ),
    path("moderazione/argomento/<int:topic_id>/segnala/", moderation.flag_topic, name="flag_topic"),
    path(
        "moderazione/argomento/<int:topic_id>/nascondi/", moderation.hide_topic, name="hide_topic"
    ),
    path(
        "moderazione/argomento/<int:topic_id>/ripristina/",
        moderation.unhide_topic,
        name="unhide_topic",
    ),
    path(
        "moderazione/argomento/<int:topic_id>/archivia-segnalazioni/",
        moderation.dismiss_topic_flags,
        name="dismiss_topic_flags",
    ),
    path("moderazione/argomento/<int:topic_id>/blocca/", moderation.lock_topic, name="lock_topic"),
    path("moderazione/argomento/<int:topic_id>/fissa/", moderation.pin_topic, name="pin_topic"),
    path("moderazione/argomento/<int:topic_id>/sposta/", moderation.move_topic, name="move_topic"),
    # Follows, notifications and the unsubscribe link
    path("notifiche/", notifications.notification_list, name="notifications"),
    path("notifiche/lette/", notifications.mark_all_read, name="notifications_read"),
    path("notifiche/<int:pk>/", notifications.open_notification, name="notification_open"),
    path("notifiche/email/<int:pk>/", notifications.follow_email, name="follow_email"),
    path("notifiche/disiscrizione/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("segui/argomento/<int:pk>/", notifications.follow_topic, name="follow_topic"),
    path("segui/comunita/<int:pk>/", notifications.follow_community, name="follow_community"),
]
