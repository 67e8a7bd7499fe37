"""The URLs of the community API, mounted by ``cms/urls.py`` at ``API_PREFIX``: the endpoints
(``communities.api.views`` and ``.me``, and the discussions' at ``discussions/``), the OpenAPI
schema of this API only and its docs page; any other path answers with the API's JSON 404."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .me import InvitationAccept, InvitationDecline, InvitationList, MyMemberships, TokenView
from .plan import (
    CommunityPlan,
    SupportApplicationAccept,
    SupportApplicationRefuse,
    SupportApplications,
    SupportApplicationWithdraw,
)
from .views import (
    CommunityAskManagers,
    CommunityDetail,
    CommunityJoin,
    CommunityLeave,
    CommunityList,
    CommunitySwitchRole,
    NoSuchEndpoint,
    WorkingGroupDetail,
    WorkingGroupInvite,
    WorkingGroupJoin,
    WorkingGroupList,
)

#: Where ``cms/urls.py`` mounts this API (a stable, versioned path).
API_PREFIX = "api/community/v1/"

app_name = "community_api"

endpoint_patterns = [
    path("communities/", CommunityList.as_view(), name="community_list"),
    path("communities/<int:pk>/", CommunityDetail.as_view(), name="community_detail"),
    path("communities/<int:pk>/join/", CommunityJoin.as_view(), name="community_join"),
    path("communities/<int:pk>/leave/", CommunityLeave.as_view(), name="community_leave"),
    path(
        "communities/<int:pk>/switch-role/",
        CommunitySwitchRole.as_view(),
        name="community_switch_role",
    ),
    path(
        "communities/<int:pk>/ask-managers/",
        CommunityAskManagers.as_view(),
        name="community_ask_managers",
    ),
    path("communities/<int:pk>/plan/", CommunityPlan.as_view(), name="community_plan"),
    path(
        "communities/<int:pk>/support-applications/",
        SupportApplications.as_view(),
        name="support_applications",
    ),
    path(
        "support-applications/<int:pk>/accept/",
        SupportApplicationAccept.as_view(),
        name="support_application_accept",
    ),
    path(
        "support-applications/<int:pk>/refuse/",
        SupportApplicationRefuse.as_view(),
        name="support_application_refuse",
    ),
    path(
        "support-applications/<int:pk>/withdraw/",
        SupportApplicationWithdraw.as_view(),
        name="support_application_withdraw",
    ),
    path(
        "communities/<int:pk>/working-groups/",
        WorkingGroupList.as_view(),
        name="working_group_list",
    ),
    path("working-groups/<int:pk>/", WorkingGroupDetail.as_view(), name="working_group_detail"),
    path("working-groups/<int:pk>/join/", WorkingGroupJoin.as_view(), name="working_group_join"),
    path(
        "working-groups/<int:pk>/invitations/",
        WorkingGroupInvite.as_view(),
        name="working_group_invite",
    ),
    path("me/memberships/", MyMemberships.as_view(), name="my_memberships"),
    path("me/invitations/", InvitationList.as_view(), name="invitation_list"),
    path("me/invitations/<int:pk>/accept/", InvitationAccept.as_view(), name="invitation_accept"),
    path(
        "me/invitations/<int:pk>/decline/",
        InvitationDecline.as_view(),
        name="invitation_decline",
    ),
    path("token/", TokenView.as_view(), name="token"),
    path("discussions/", include("discussions.api.urls")),  # topics and replies
    path("", include("events.api.urls")),  # events and registrations
    path("", include("reports.api.urls")),  # participation figures (tag "plan")
    path("", include("mailing.api.urls")),  # announcements, subscriptions, notices
    path("", include("surveys.api.urls")),  # questionnaires (tag "surveys")
    path("", include("materials.api.urls")),  # working documents, validation rounds
    path("", include("mappa.api.urls")),  # Mappa dei Comuni Digitali (tag "mappa")
    path("", include("academy.api.urls")),  # Accademia (tags "courses" and "badges")
]


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of this API only (not of Wagtail's API v2), public."""

    # Served with the full paths, as clients call them.
    patterns = [path(API_PREFIX, include(endpoint_patterns))]
    authentication_classes = []
    permission_classes = []


class DocsView(SpectacularSwaggerView):
    """Swagger UI over the schema, with its assets served from here (no third-party CDN)."""

    authentication_classes = []
    permission_classes = []
    url_name = "community_api:schema"


urlpatterns = endpoint_patterns + [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # Last, and only for paths ending with a slash (so APPEND_SLASH still redirects the others).
    re_path(r"^[\s\S]*/\Z", NoSuchEndpoint.as_view()),
]
