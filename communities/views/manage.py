"""Management pages on the site for a community's coordinator and support team (and staff):
the gate every management page goes through, what a user may manage, and the management home.

Coordinators are not Wagtail editors: these pages are the site's own. Every rule comes from the
access policy (``cms.access``) and every change goes through ``communities.services``.
A user the policy refuses gets a 403 if they are a member of the community, a 404 otherwise (the
management pages of a community reveal nothing to outsiders); anonymous visitors are sent to
sign in. Every action is logged on the ``communities.manage`` logger.

The pages themselves: ``manage_members`` (members, designations, measures, requests) and
``manage_groups`` (working groups, invitations, join requests).
"""

from __future__ import annotations

import functools
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cms import access
from cms.cache import mark_private
from cms.errors import message_of
from cms.refusals import render_refusal

from .. import selectors, services, spaces
from ..models import CommunityPage, MemberRequest, Membership, WorkingGroupPage
from ..permissions import Action
from ..quick_actions import quick_actions

logger = logging.getLogger("communities.manage")


# --- Gates --------------------------------------------------------------------------------------


def manage_view(view):
    """Signed-in users only, never cached, and a readable 403 page for refused actions."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_private(request)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            message = message_of(error)
            logger.warning(
                "refused user=%s path=%s reason=%s", request.user.pk, request.path, message
            )
            return render_refusal(request, message, manage=True)

    return login_required(never_cache(wrapped))


def refuse(user, community):
    """403 for members of the community (they know it), 404 for everyone else."""
    if access.can(user, Action.VIEW_RESERVED_AREA, community):
        raise PermissionDenied(_("You are not allowed to manage this part of the community."))
    raise Http404


def get_community(pk) -> CommunityPage:
    return get_object_or_404(CommunityPage, pk=pk)


def get_group(pk) -> tuple[WorkingGroupPage, CommunityPage]:
    group = get_object_or_404(WorkingGroupPage, pk=pk)
    community = spaces.community_for_page(group)
    if community is None:
        raise Http404
    return group, community


def can_handle_members(user, community) -> bool:
    """The members list: whoever manages memberships or handles designations."""
    return access.can(user, Action.MANAGE_MEMBERSHIPS, community) or access.can(
        user, Action.VERIFY_DESIGNATION, community
    )


def _manageable_groups(user, community) -> list[WorkingGroupPage]:
    """The working groups of ``community`` that ``user`` may manage."""
    return list(selectors.manageable_working_groups(user, community).order_by("title"))


def decidable_kinds(user, community) -> list[str]:
    """The kinds of members' requests that ``user`` decides in ``community``."""
    return [
        kind for kind, action in services.DECIDED_BY.items() if access.can(user, action, community)
    ]


def management_rights(user, community) -> dict:
    """What ``user`` may manage in ``community`` (for the management home page)."""
    rights = {
        "members": can_handle_members(user, community),
        "create_group": access.can(user, Action.CREATE_WORKING_GROUP, community),
        "requests": bool(decidable_kinds(user, community)),
        "plan": access.can(user, Action.EDIT_PLAN, community),
        "support_team": access.can(user, Action.MANAGE_SUPPORT_TEAM, community),
    }
    rights["groups"] = _manageable_groups(user, community) if user.is_authenticated else []
    rights["any"] = bool(
        rights["members"] or rights["create_group"] or rights["groups"] or rights["plan"]
    )
    return rights


def may_manage(user, community) -> bool:
    """Whether ``user`` may manage anything in ``community`` (the "Manage" entry point).

    Cheaper than ``management_rights``: a few queries whatever the number of groups.
    """
    if not user.is_authenticated:
        return False
    if can_handle_members(user, community) or access.can(
        user, Action.CREATE_WORKING_GROUP, community
    ):
        return True
    return selectors.manageable_working_groups(user, community).exists()


def members_url(community, query=""):
    url = reverse("communities:manage_members", args=[community.pk])
    return f"{url}?{query}" if query else url


def members_target(target, community):
    """``target`` if it is the members list of ``community`` (filters kept), else the list."""
    base = members_url(community)
    safe = not any(char in target for char in "\r\n\\") and "//" not in target
    if safe and (target == base or target.startswith(base + "?")):
        return target
    return base


def back_to_members(request, community):
    """The members list the action was taken from (its filters kept), never another URL."""
    return members_target(request.POST.get("next", ""), community)


def pending_requests(community, kinds):
    """The pending requests of ``kinds`` from the members of ``community``."""
    return MemberRequest.objects.filter(
        membership__community__translation_key=community.translation_key,
        kind__in=kinds,
        status=MemberRequest.Status.PENDING,
    )


# --- Community home -----------------------------------------------------------------------------


@manage_view
def community_home(request, pk):
    community = get_community(pk)
    rights = management_rights(request.user, community)
    if not rights["any"]:
        refuse(request.user, community)
    counts = {}
    if rights["members"]:
        rows = Membership.objects.current().of(community).values_list("role", flat=True).order_by()
        for role in rows:
            counts[role] = counts.get(role, 0) + 1
    pending = 0
    if rights["requests"]:
        pending = pending_requests(community, decidable_kinds(request.user, community)).count()
    return render(
        request,
        "communities/manage/home.html",
        {
            "community": community,
            "rights": rights,
            "pending_requests": pending,
            "quick_actions": quick_actions(request.user, community) if rights["plan"] else [],
            "counts": [(label, counts.get(value, 0)) for value, label in Membership.Role.choices],
            "page_title": _("Manage the community"),
        },
    )
