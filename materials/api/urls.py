"""URLs of the materials in the community API (tags ``materials`` and ``validation``), included
by ``communities/api/urls.py`` (``/api/community/v1/``)."""

from django.urls import path

from . import views as api

urlpatterns = [
    path(
        "working-groups/<int:pk>/documents/",
        api.GroupDocuments.as_view(),
        name="material_documents",
    ),
    path(
        "working-groups/<int:pk>/author-credit/",
        api.AuthorCreditView.as_view(),
        name="material_author_credit",
    ),
    path("documents/<int:pk>/", api.DocumentDetail.as_view(), name="material_document"),
    path(
        "documents/<int:pk>/versions/",
        api.DocumentVersions.as_view(),
        name="material_versions",
    ),
    path("versions/<int:pk>/", api.VersionDetail.as_view(), name="material_version"),
    path(
        "versions/<int:pk>/comments/",
        api.VersionComments.as_view(),
        name="material_comments",
    ),
    path("versions/<int:pk>/rounds/", api.VersionRounds.as_view(), name="validation_open"),
    path(
        "comments/<int:pk>/resolve/",
        api.CommentResolve.as_view(),
        name="material_comment_resolve",
    ),
    path(
        "comments/<int:pk>/reopen/",
        api.CommentReopen.as_view(),
        name="material_comment_reopen",
    ),
    path("rounds/", api.RoundList.as_view(), name="validation_rounds"),
    path("rounds/<int:pk>/", api.RoundDetail.as_view(), name="validation_round"),
    path("rounds/<int:pk>/answer/", api.RoundAnswerView.as_view(), name="validation_answer"),
    path("rounds/<int:pk>/close/", api.RoundClose.as_view(), name="validation_close"),
    path("rounds/<int:pk>/cancel/", api.RoundCancel.as_view(), name="validation_cancel"),
    path("rounds/<int:pk>/publish/", api.RoundPublish.as_view(), name="validation_publish"),
    path(
        "rounds/<int:pk>/send-back/",
        api.RoundSendBack.as_view(),
        name="validation_send_back",
    ),
]
