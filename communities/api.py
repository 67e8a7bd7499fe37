"""The community API: JSON, OpenAPI-documented, mounted at ``/api/community/v1/``.

Communities, joining and leaving, switching role, my memberships, working groups, invitations,
and a manager's invitation to a working group. Every decision is ``cms.access``'s (what
one may see) or ``communities.services``' (what one may do, which ask the policy and raise with a
message); this module only translates their answers into HTTP:

- an object the user may not see: **404**;
- a refused action: **403** ``{"detail": message, "code": "permission_denied"}``;
- invalid input: **400** with field errors (``{"field": [messages]}``);
- a conflict with the current state (joining twice, answering nothing): **409**;
- not signed in: **401**; a member who has not completed the registration: **403**
  ``{"code": "registration_required"}`` (``membership.middleware`` for sessions, the
  ``RegisteredMember`` permission for tokens).

Authentication: the session (CSRF required on unsafe methods) or a token
(``Authorization: Token <key>``), which a signed-in member creates or rotates with
``POST token/`` from their session. The schema is at ``schema/``, the docs page at ``docs/``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import include, path, re_path, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale

from cms import access, locales
from membership.enti import ente_public
from membership.registration import (
    current_versions,
    is_member,
    missing_consents,
    needs_registration,
)

from . import api_serializers as s
from . import permissions, services
from .api_serializers import MAX_ID
from .api_support import BAD_INPUT, CONFLICT, endpoint, validated
from .models import CommunityPage, Designation, Membership, WorkingGroupMembership, WorkingGroupPage
from .permissions import Action

#: Where ``cms/urls.py`` mounts this API (a stable, versioned path).
API_PREFIX = "api/community/v1/"

#: ``ValidationError`` codes of ``communities.services`` that mean "conflicts with the current
#: state" rather than "bad input".
CONFLICT_CODES = frozenset({"already", "same_role", "nothing_pending", "already_in_group"})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This conflicts with the current state.")
    default_code = "conflict"


def api_exception_handler(exc, context):
    """DRF's handler, plus a machine-readable ``code`` beside every ``detail`` message."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and "code" not in data:
        code = getattr(data["detail"], "code", None)
        if code:
            data["code"] = code
    return response


def _raise_for(error):
    """Re-raise a service's Django exception as the matching API error."""
    if isinstance(error, DjangoPermissionDenied):
        # A measure of the managers says which one (``removed``, ``suspended``, ``revoked``).
        code = getattr(error, "code", None)
        raise exceptions.PermissionDenied(str(error) or None, code=code) from error
    code = getattr(error, "code", None)
    if code in CONFLICT_CODES:
        raise Conflict(error.messages[0], code=code) from error
    if hasattr(error, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
        raise exceptions.ValidationError(detail) from error
    raise exceptions.ValidationError({"non_field_errors": error.messages}) from error


def run(operation, *args, **kwargs):
    """Call a ``communities.services`` operation, turning its refusals into API errors."""
    try:
        return operation(*args, **kwargs)
    except (DjangoPermissionDenied, DjangoValidationError) as error:
        _raise_for(error)


class RegisteredMember(BasePermission):
    """A SPID/CIE member must have completed the registration (the same check as
    ``membership.middleware``, which cannot see token-authenticated users). Staff accounts are
    not members and pass; the policy decides what they may do."""

    def has_permission(self, request, view):
        if is_member(request.user) and self.needs_registration(request):
            raise exceptions.PermissionDenied(
                {
                    "detail": _(
                        "Complete your registration to the Community (accept the rules and the "
                        "privacy notice, complete your profile) before using the portal."
                    ),
                    "code": "registration_required",
                    "registration": reverse("membership:onboarding"),
                }
            )
        return True

    @staticmethod
    def needs_registration(request):
        if isinstance(request.successful_authenticator, SessionAuthentication):
            return needs_registration(request)  # remembered in the session
        # Token clients have no session to remember the answer in: ask the database.
        user = request.user
        return user.onboarded_at is None or bool(
            missing_consents(user, current_versions(request._request))
        )


class CommunityAPIView(APIView):
    """Base of every endpoint: token or session authentication, signed-in registered users,
    JSON errors with codes, never cached by shared caches."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, RegisteredMember]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_exception_handler(self):
        return api_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        if any(isinstance(value, int) and value > MAX_ID for value in kwargs.values()):
            raise exceptions.NotFound()

    def dispatch(self, request, *args, **kwargs):
        # The portal's LocaleMiddleware gives unprefixed paths the default language (Italian);
        # API clients choose theirs with Accept-Language (or the portal's language cookie).
        with translation.override(translation.get_language_from_request(request)):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Accept-Language"])
        return response


# --- Helpers: what the views attach to the objects they serialize ------------------------------


def _communities_above(pages) -> dict:
    """``{page pk: its CommunityPage}`` for pages inside communities, in one query. Also primes
    the policy's per-page cache (``_access_context``) so that ``access.can`` on these pages costs
    no further query."""
    paths = {}
    for page in pages:
        steplen = page.steplen
        for end in range(steplen, len(page.path) + 1, steplen):
            paths.setdefault(page.path[:end], []).append(page)
    found = {}
    for community in CommunityPage.objects.filter(path__in=list(paths)):
        for page in paths[community.path]:
            found[page.pk] = community
    for page in pages:
        community = found.get(page.pk)
        if community is not None and isinstance(page, WorkingGroupPage):
            permissions.remember_context(page, community.translation_key, page.translation_key)
    return found


def _member_counts():
    """Active members of the community (every translation shares them)."""
    counts = (
        Membership.objects.filter(
            community__translation_key=OuterRef("translation_key"), left_at__isnull=True
        )
        .order_by()
        .values("community__translation_key")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _page_url(page, request):
    return page.get_full_url(request=request._request)


def _decorate_community(community, request):
    user = request.user
    community.api_role = permissions.role_in(user, community)
    community.api_url = _page_url(community, request)
    community.api_permissions = {
        "join": access.can(user, Action.JOIN, community),
        "leave": access.can(user, Action.LEAVE, community),
        "switch_role": access.can(user, Action.SWITCH_ROLE, community),
        "view_reserved_area": access.can(user, Action.VIEW_RESERVED_AREA, community),
        "open_topic": access.can(user, Action.OPEN_TOPIC, community),
        "create_working_group": access.can(user, Action.CREATE_WORKING_GROUP, community),
        "appeal": access.can(user, Action.APPEAL, community),
    }
    measure = permissions.measure_in(user, community)
    community.api_measure = (
        {
            "kind": measure.kind,
            "since": measure.removed_at
            if measure.kind == permissions.REMOVED
            else measure.revoked_at,
            "until": measure.suspended_until if measure.kind == permissions.SUSPENDED else None,
        }
        if measure is not None and measure.kind is not None
        else None
    )
    return community


def visible_communities(request):
    """Live community pages the user may see, with their member counts."""
    queryset = CommunityPage.objects.all().select_related("locale")
    return access.visible_pages(request.user, queryset).annotate(api_member_count=_member_counts())


def get_community(request, pk):
    return _decorate_community(get_object_or_404(visible_communities(request), pk=pk), request)


def _decorate_group(group, community, request):
    user = request.user
    group.api_community = community
    open_membership = permissions.working_group_role(user, group)
    group.api_role, group.api_status = open_membership or (None, None)
    group.api_permissions = {
        "view": access.can(user, Action.VIEW_WORKING_GROUP, group),
        "join": access.can(user, Action.JOIN_WORKING_GROUP, group),
        "invite": access.can(user, Action.INVITE_TO_WORKING_GROUP, group),
        "manage": access.can(user, Action.MANAGE_WORKING_GROUP, group),
    }
    return group


def _group_is_visible(group) -> bool:
    """Who may see a working group through the API: those who may see its space, those who may
    ask to join it or invite to it, and those with an open invitation or request (while they are
    active members of the community: ``permissions.working_group_role``, so not while suspended)."""
    return group.api_status is not None or any(group.api_permissions.values())


def _may_list_groups(user, community) -> bool:
    """A community's working groups are listed to its members and to those who manage them;
    anyone else gets a 404, as if the list did not exist."""
    return access.can(user, Action.VIEW_RESERVED_AREA, community) or access.can(
        user, Action.CREATE_WORKING_GROUP, community
    )


def get_group(request, pk, detail=False):
    """The working group ``pk`` if the user may see it (404 otherwise), decorated."""
    group = get_object_or_404(WorkingGroupPage.objects.live(), pk=pk)
    community = _communities_above([group]).get(group.pk)
    if community is None or not access.can_view_page(request.user, community):
        raise exceptions.NotFound()
    _decorate_group(group, community, request)
    if not _group_is_visible(group):
        raise exceptions.NotFound()
    if detail:
        group.api_url = _page_url(group, request) if group.api_permissions["view"] else None
        group.api_members = _group_members(group) if group.api_permissions["view"] else []
    return group


def _group_members(group):
    rows = (
        WorkingGroupMembership.objects.filter(
            group__translation_key=group.translation_key,
            status=WorkingGroupMembership.Status.ACTIVE,
            user__show_in_directory=True,
        )
        .select_related("user", "user__ente")
        .order_by("-role", "user__last_name", "user__first_name")
    )
    return [
        {
            "name": row.user.get_full_name(),
            **ente_public(row.user.ente),
            "role": row.role,
        }
        for row in rows
    ]


def _in_language(request, communities):
    """One page per community: in ``?locale=`` only when given; otherwise in the request's
    language, falling back to the default language's page where there is no translation."""
    code = request.query_params.get("locale")
    if code:
        # Only the site's languages are looked up (any other text, NUL bytes included, is not one).
        known = code in get_content_languages()
        locale = Locale.objects.filter(language_code=code).first() if known else None
        if locale is None:
            raise exceptions.ValidationError({"locale": [_("Unknown language.")]})
        return [page for page in communities if page.locale_id == locale.pk]
    active, default = locales.get_active(), locales.get_default()
    chosen, order = {}, {}
    for page in communities:  # in tree order
        if page.locale_id == default.pk:
            order.setdefault(page.translation_key, len(order))
            chosen.setdefault(page.translation_key, page)
        elif page.locale_id == active.pk:
            chosen[page.translation_key] = page
    # In the order of the default language's tree, translations in place of the originals.
    return sorted(chosen.values(), key=lambda p: (order.get(p.translation_key, len(order)), p.path))


# --- Communities ------------------------------------------------------------------------------


class CommunityList(CommunityAPIView):
    @endpoint(
        "communities_list",
        tag="communities",
        summary=gettext_lazy("Communities of practice"),
        description=gettext_lazy(
            "The communities of practice, one page each: in ``locale`` if given, otherwise in "
            "the request's language (Accept-Language) falling back to Italian, with the "
            "requesting user's role and what they may do."
        ),
        parameters=[OpenApiParameter("locale", str, description=gettext_lazy("e.g. it, en"))],
        response=s.CommunitySerializer,
        many=True,
        errors=BAD_INPUT,  # an unknown ``locale``
    )
    def get(self, request):
        communities = _in_language(request, visible_communities(request).order_by("path"))
        return [_decorate_community(community, request) for community in communities]


class CommunityDetail(CommunityAPIView):
    @endpoint(
        "communities_retrieve",
        tag="communities",
        summary=gettext_lazy("A community of practice"),
        response=s.CommunitySerializer,
    )
    def get(self, request, pk):
        return get_community(request, pk)


def _declaration(data):
    return {
        "signed_by": data.get("signed_by") or "",
        "act_date": data.get("act_date"),
        "act_file": data.get("act_file"),
    }


class CommunityJoin(CommunityAPIView):
    @endpoint(
        "communities_join",
        tag="communities",
        summary=gettext_lazy("Join a community (Aderisci)"),
        description=gettext_lazy(
            "Join as ``participant``, or as ``designated`` declaring the appointment "
            "(``signed_by``, ``act_date``; the act itself, a PDF, optionally, in a multipart "
            "request). Registered members only; joining twice answers 409."
        ),
        request=s.JoinSerializer,
        response=s.MembershipSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        community = get_community(request, pk)
        data = validated(s.JoinSerializer, request)
        membership = run(services.join, request.user, community, data["role"], **_declaration(data))
        return _decorate_memberships([membership])[0]


class CommunityLeave(CommunityAPIView):
    @endpoint(
        "communities_leave",
        tag="communities",
        summary=gettext_lazy("Leave a community (and its working groups)"),
        status=status.HTTP_204_NO_CONTENT,
    )
    def post(self, request, pk):
        run(services.leave, request.user, get_community(request, pk))


class CommunitySwitchRole(CommunityAPIView):
    @endpoint(
        "communities_switch_role",
        tag="communities",
        summary=gettext_lazy("Switch between participant and designated participant"),
        description=gettext_lazy(
            "Becoming ``designated`` needs the declaration of appointment; going back to "
            "``participant`` leaves the community's working groups."
        ),
        request=s.SwitchRoleSerializer,
        response=s.MembershipSerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        community = get_community(request, pk)
        data = validated(s.SwitchRoleSerializer, request)
        membership = run(
            services.switch_role, request.user, community, data["role"], **_declaration(data)
        )
        membership.refresh_from_db()
        return _decorate_memberships([membership])[0]


class CommunityAskManagers(CommunityAPIView):
    @endpoint(
        "communities_ask_managers",
        tag="communities",
        summary=gettext_lazy("Ask the managers to reconsider a measure on me"),
        description=gettext_lazy(
            "For a member removed (readmission), suspended (end of the suspension) or whose "
            "designation was revoked (re-opening): a request the community's managers accept "
            "or refuse. 403 without such a measure (``permissions.appeal``), 409 while a "
            "request is pending."
        ),
        request=s.AskManagersSerializer,
        response=s.MemberRequestSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        community = get_community(request, pk)
        data = validated(s.AskManagersSerializer, request)
        return run(services.ask_managers, request.user, community, data.get("message", ""))


# --- My memberships ----------------------------------------------------------------------------


def _decorate_memberships(memberships):
    """Attach each membership's designation and open working-group memberships (two queries)."""
    if not memberships:
        return memberships
    user_ids = {m.user_id for m in memberships}
    designations = {
        d.membership_id: d
        for d in Designation.objects.filter(membership__in=[m.pk for m in memberships])
    }
    group_memberships = list(
        WorkingGroupMembership.objects.filter(
            user_id__in=user_ids, status__in=WorkingGroupMembership.OPEN_STATUSES
        )
        .select_related("group", "invited_by")
        .order_by("group__title")
    )
    above = _communities_above([gm.group for gm in group_memberships])
    by_key = {}
    for gm in group_memberships:
        community = above.get(gm.group.pk)
        gm.group.api_community = community
        if community is not None:
            by_key.setdefault((gm.user_id, community.translation_key), []).append(gm)
    for membership in memberships:
        membership.api_designation = designations.get(membership.pk)
        key = (membership.user_id, membership.community.translation_key)
        membership.api_working_groups = by_key.get(key, [])
    return memberships


class MyMemberships(CommunityAPIView):
    @endpoint(
        "memberships_list",
        tag="me",
        summary=gettext_lazy("My communities, roles and working groups"),
        response=s.MembershipSerializer,
        many=True,
    )
    def get(self, request):
        memberships = list(
            Membership.objects.filter(user=request.user, left_at__isnull=True)
            .select_related("community")
            .order_by("community__title")
        )
        return _decorate_memberships(memberships)


# --- Working groups ----------------------------------------------------------------------------


class WorkingGroupList(CommunityAPIView):
    @endpoint(
        "working_groups_list",
        tag="working groups",
        summary=gettext_lazy("Working groups of a community"),
        description=gettext_lazy(
            "For the community's members and managers (404 for anyone else): the groups whose "
            "space they may see, those a designated participant may ask to join, and those "
            "with an open invitation or request."
        ),
        response=s.WorkingGroupSerializer,
        many=True,
    )
    def get(self, request, pk):
        community = get_community(request, pk)
        if not _may_list_groups(request.user, community):
            raise exceptions.NotFound()
        groups = list(WorkingGroupPage.objects.live().descendant_of(community).order_by("title"))
        _communities_above(groups)
        data = [_decorate_group(group, community, request) for group in groups]
        return [group for group in data if _group_is_visible(group)]


class WorkingGroupDetail(CommunityAPIView):
    @endpoint(
        "working_groups_retrieve",
        tag="working groups",
        summary=gettext_lazy("A working group"),
        description=gettext_lazy(
            "Its members (those who chose to be listed) only for who may see the group's space."
        ),
        response=s.WorkingGroupDetailSerializer,
    )
    def get(self, request, pk):
        return get_group(request, pk, detail=True)


class WorkingGroupJoin(CommunityAPIView):
    @endpoint(
        "working_groups_join",
        tag="working groups",
        summary=gettext_lazy("Ask to join a working group"),
        description=gettext_lazy(
            "Designated participants only; the group's managers accept the request."
        ),
        response=s.WorkingGroupMembershipSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        group = get_group(request, pk)
        if group.api_status is not None:
            raise Conflict(
                _(
                    "You are already a member of this working group, or your invitation or "
                    "request is pending."
                ),
                code="already_in_group",
            )
        membership = run(services.request_to_join, request.user, group)
        membership.group = group
        return membership


class WorkingGroupInvite(CommunityAPIView):
    @endpoint(
        "working_groups_invite",
        tag="working groups",
        summary=gettext_lazy("Invite a designated participant to a working group"),
        description=gettext_lazy(
            "For the group's coordinator, the community's coordinator and support team, staff."
        ),
        request=s.InviteSerializer,
        response=s.WorkingGroupMembershipSerializer,
        status=status.HTTP_201_CREATED,
    )
    def post(self, request, pk):
        group = get_group(request, pk)
        if not group.api_permissions["invite"]:
            # The service says the same; checking first keeps the invitee's existence private.
            raise exceptions.PermissionDenied(_("You cannot invite members to this working group."))
        invitee = validated(s.InviteSerializer, request)["user"]
        try:
            membership = services.invite(request.user, invitee, group)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"user": error.messages}) from error
        except DjangoPermissionDenied as error:
            _raise_for(error)
        membership.group = group
        return membership


# --- Invitations -------------------------------------------------------------------------------


def _my_invitations(request):
    return WorkingGroupMembership.objects.filter(
        user=request.user, status=WorkingGroupMembership.Status.INVITED
    ).select_related("group", "invited_by")


class InvitationList(CommunityAPIView):
    @endpoint(
        "invitations_list",
        tag="invitations",
        summary=gettext_lazy("My pending invitations to working groups"),
        response=s.WorkingGroupMembershipSerializer,
        many=True,
    )
    def get(self, request):
        invitations = list(_my_invitations(request).order_by("-created_at"))
        above = _communities_above([invitation.group for invitation in invitations])
        for invitation in invitations:
            invitation.group.api_community = above.get(invitation.group.pk)
        return invitations


class InvitationAnswer(CommunityAPIView):
    accept = True

    def answer(self, request, pk):
        invitation = get_object_or_404(
            WorkingGroupMembership.objects.select_related("group", "invited_by"),
            pk=pk,
            user=request.user,
        )
        group = invitation.group
        group.api_community = _communities_above([group]).get(group.pk)
        membership = run(services.answer_invitation, request.user, group, self.accept)
        membership.group = group
        return membership


def _answering(operation_id, summary):
    """``InvitationAnswer.answer`` as the endpoint ``operation_id``."""
    return endpoint(
        operation_id,
        tag="invitations",
        summary=summary,
        response=s.WorkingGroupMembershipSerializer,
        errors=CONFLICT,
    )(InvitationAnswer.answer)


class InvitationAccept(InvitationAnswer):
    accept = True
    post = _answering("invitations_accept", gettext_lazy("Accept an invitation"))


class InvitationDecline(InvitationAnswer):
    accept = False
    post = _answering("invitations_decline", gettext_lazy("Decline an invitation"))


# --- Token -------------------------------------------------------------------------------------


class SessionOnly(BasePermission):
    message = gettext_lazy("Manage your API token from your signed-in browser session.")
    code = "session_required"

    def has_permission(self, request, view):
        return isinstance(request.successful_authenticator, SessionAuthentication)


class TokenView(CommunityAPIView):
    """A signed-in member's API token, managed from their browser session only (a token cannot
    rotate itself)."""

    permission_classes = [*CommunityAPIView.permission_classes, SessionOnly]

    @endpoint(
        "token_rotate",
        tag="authentication",
        summary=gettext_lazy("Create or rotate my API token"),
        description=gettext_lazy(
            "Session only (with the CSRF token). Returns a new token and invalidates the "
            "previous one. Send it as ``Authorization: Token <key>``."
        ),
        response=s.TokenSerializer,
        status=status.HTTP_201_CREATED,
    )
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        # Its own response: JSON's rendering of ``created`` (UTC), not TokenSerializer's.
        return Response(
            {"token": token.key, "created": token.created}, status=status.HTTP_201_CREATED
        )

    @endpoint(
        "token_revoke",
        tag="authentication",
        summary=gettext_lazy("Revoke my API token"),
        status=status.HTTP_204_NO_CONTENT,
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()


# --- URLs --------------------------------------------------------------------------------------

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


class NoSuchEndpoint(CommunityAPIView):
    """Any other path under the API (e.g. ``communities/abc/``: ids are integers) answers, whatever
    the method, with the JSON 404 of the endpoints rather than the site's HTML page."""

    authentication_classes = []
    permission_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


urlpatterns = endpoint_patterns + [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # Last, and only for paths ending with a slash (so APPEND_SLASH still redirects the others).
    re_path(r"^[\s\S]*/\Z", NoSuchEndpoint.as_view()),
]
