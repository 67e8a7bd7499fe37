"""The community API about the requesting member (``me/``): their memberships, their pending
invitations to working groups and their answers, and their API token (``token/``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from cms.api_errors import run

from .. import selectors, services
from . import serializers as s
from .support import CONFLICT, CommunityAPIView, endpoint
from .views import _decorate_memberships


class MyMemberships(CommunityAPIView):
    @endpoint(
        "memberships_list",
        tag="me",
        summary=gettext_lazy("My communities, roles and working groups"),
        response=s.MembershipSerializer,
        many=True,
    )
    def get(self, request):
        memberships = list(selectors.current_memberships(request.user))
        return _decorate_memberships(memberships)


# --- Invitations -------------------------------------------------------------------------------


def _my_invitations(request):
    return selectors.invitations_of(request.user)


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
        above = selectors.communities_above([invitation.group for invitation in invitations])
        for invitation in invitations:
            invitation.group.api_community = above.get(invitation.group.pk)
        return invitations


class InvitationAnswer(CommunityAPIView):
    accept = True

    def answer(self, request, pk):
        invitation = get_object_or_404(
            selectors.group_memberships_of(request.user),
            pk=pk,
            user=request.user,
        )
        group = invitation.group
        group.api_community = selectors.communities_above([group]).get(group.pk)
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
