"""The community API: JSON, OpenAPI-documented, mounted at ``/api/community/v1/``
(``communities.api.urls``).

Communities, joining and leaving, switching role, working groups, and a manager's invitation to a
working group (here); my memberships, my invitations and my API token (``communities.api.me``).
Every decision is ``cms.access``'s (what one may see) or ``communities.services``' (what one may
do, which ask the policy and raise with a message); these modules only translate their answers
into HTTP (``communities.api.support``: 404, 403, 400, 409, 401).

Authentication: the session (CSRF required on unsafe methods) or a token
(``Authorization: Token <key>``), which a signed-in member creates or rotates with
``POST token/`` from their session. The schema is at ``schema/``, the docs page at ``docs/``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale

from cms import access, locales
from cms.api_errors import ConflictError, api_error, run
from membership.enti import ente_public

from .. import permissions, selectors, services
from ..permissions import Action
from . import serializers as s
from .support import BAD_INPUT, CONFLICT, CommunityAPIView, endpoint, validated

# --- Helpers: what the views attach to the objects they serialize ------------------------------


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
    return access.visible_pages(request.user, selectors.communities()).annotate(
        api_member_count=selectors.member_count()
    )


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
    group = get_object_or_404(selectors.live_working_groups(), pk=pk)
    community = selectors.communities_above([group]).get(group.pk)
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
    rows = selectors.listed_group_members(group)
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
    designations = selectors.designations_by_membership(memberships)
    group_memberships = list(selectors.open_group_memberships(user_ids))
    above = selectors.communities_above([gm.group for gm in group_memberships])
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
        groups = list(selectors.live_working_groups(community))
        selectors.communities_above(groups)
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
            raise ConflictError(
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
            raise api_error(error) from error
        membership.group = group
        return membership


# --- Any other path -----------------------------------------------------------------------------


class NoSuchEndpoint(CommunityAPIView):
    """Any other path under the API (e.g. ``communities/abc/``: ids are integers) answers, whatever
    the method, with the JSON 404 of the endpoints rather than the site's HTML page."""

    authentication_classes = []
    permission_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
