"""Who may call the portal's JSON APIs at all: a SPID/CIE member who completed the
registration (the apps' permissions decide the rest)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from .registration import current_versions, is_member, missing_consents, needs_registration


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
