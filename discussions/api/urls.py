"""URLs of the discussions API, included by ``communities/api/urls.py`` at ``discussions/`` (so
under ``/api/community/v1/discussions/``, in the "community_api" namespace and schema)."""

from django.urls import path

from . import polls as poll_api
from . import views as api

urlpatterns = [
    path(
        "spaces/<int:space_id>/topics/",
        api.SpaceTopics.as_view(),
        name="discussion_topics",
    ),
    path("topics/<int:pk>/", api.TopicDetail.as_view(), name="discussion_topic"),
    path("topics/<int:pk>/flag/", api.TopicFlag.as_view(), name="discussion_topic_flag"),
    path("topics/<int:pk>/hide/", api.TopicHide.as_view(), name="discussion_topic_hide"),
    path("topics/<int:pk>/unhide/", api.TopicUnhide.as_view(), name="discussion_topic_unhide"),
    path(
        "topics/<int:pk>/replies/",
        api.TopicReplies.as_view(),
        name="discussion_replies",
    ),
    path("topics/<int:pk>/poll/", poll_api.TopicPoll.as_view(), name="discussion_poll"),
    path(
        "topics/<int:pk>/poll/vote/", poll_api.TopicPollVote.as_view(), name="discussion_poll_vote"
    ),
    path("replies/<int:pk>/", api.ReplyDetail.as_view(), name="discussion_reply"),
    path("replies/<int:pk>/flag/", api.ReplyFlag.as_view(), name="discussion_flag"),
    path("replies/<int:pk>/hide/", api.ReplyHide.as_view(), name="discussion_reply_hide"),
    path("replies/<int:pk>/unhide/", api.ReplyUnhide.as_view(), name="discussion_reply_unhide"),
]
