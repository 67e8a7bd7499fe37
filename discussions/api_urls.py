"""URLs of the discussions API, included by ``communities/api.py`` at ``discussions/`` (so
under ``/api/community/v1/discussions/``, in the "community_api" namespace and schema)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "spaces/<int:space_id>/topics/",
        api.SpaceTopics.as_view(),
        name="discussion_topics",
    ),
    path("topics/<int:pk>/", api.TopicDetail.as_view(), name="discussion_topic"),
    path(
        "topics/<int:pk>/replies/",
        api.TopicReplies.as_view(),
        name="discussion_replies",
    ),
    path("replies/<int:pk>/flag/", api.ReplyFlag.as_view(), name="discussion_flag"),
]
