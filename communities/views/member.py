"""The member's own pages on the site: "La mia area" (my communities, working groups,
invitations, requests and the measures on me), the member directory, and the answers to working
groups (accept an invitation, ask to join); the helpers every member page shares.

Every view asks the access policy (``cms.access``) and acts through
``communities.services``; none re-implements a rule. Refusals render a page with a clear message
(403 for a forbidden action, 409 for "already a member", 404 where existence must not leak);
invalid forms are shown again with status 400 and what was typed. What a member does to their
membership (join, leave, switch role, ...) is in ``communities.views.participation``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from cms import access, locales
from cms.refusals import render_refusal

from .. import permissions, selectors, services
from ..models import (
    CommunityAreaPage,
    CommunityIndexPage,
    CommunityPage,
    Designation,
    MemberRequest,
    Membership,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from ..permissions import Action

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status
DIRECTORY_PAGE_SIZE = 25


# --- helpers --------------------------------------------------------------------------------


def get_community(request, pk) -> CommunityPage:
    """The live community ``pk`` that the user may see, or 404."""
    community = access.visible_pages(request.user, CommunityPage.objects.filter(pk=pk)).first()
    if community is None:
        raise Http404
    return community


def get_working_group(pk) -> WorkingGroupPage:
    group = WorkingGroupPage.objects.live().filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def refuse(request, message, *, status=403, title=None, community=None, links=None):
    """A page explaining why an action cannot be taken (nothing was changed)."""
    return render_refusal(
        request, message, status=status, title=title, community=community, links=links
    )


def dashboard_url():
    return reverse("participation:dashboard")


def message_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do this.")


def role_label(role) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return ""


def _measures_for_dashboard(user):
    """The measures in force on ``user`` (and their last request about each), for their area."""
    memberships = list(
        Membership.objects.filter(user=user)
        .filter(
            Q(end_reason=Membership.EndReason.REMOVED, readmitted_at__isnull=True)
            | Q(suspended_until__gt=timezone.now())
            | Q(
                designation__status=Designation.Status.REVOKED,
                designation__reopened_at__isnull=True,
            )
        )
        .select_related("community", "designation")
        .order_by("-pk")
    )
    requests = {}
    for member_request in MemberRequest.objects.filter(membership__user=user).order_by(
        "created_at"
    ):
        requests[(member_request.membership_id, member_request.kind)] = member_request
    rows, seen = [], set()
    measures = permissions.measures_of(user)
    for membership in memberships:
        key = membership.community.translation_key
        measure = measures.get(key)
        if measure is None or key in seen:
            continue
        seen.add(key)
        kind = measure.kind
        request_kind = services.REQUEST_FOR[kind]
        rows.append(
            {
                "community": membership.community,
                "kind": kind,
                "membership": membership,
                "measure": measure,
                "request": requests.get((membership.pk, request_kind)),
                "can_ask": access.can(user, Action.APPEAL, membership.community),
            }
        )
    return rows


# --- member directory ------------------------------------------------------------------------


def directory_memberships(community):
    """Active memberships of ``community`` shown in its directory: members who chose to be
    shown, and always the coordinators and the support team (public roles)."""
    return (
        Membership.objects.current()
        .of(community)
        .filter(Q(user__show_in_directory=True) | Q(role__in=Membership.MANAGER_ROLES))
        .filter(user__is_active=True)
        .select_related("user", "user__ente")
        .annotate(
            role_order=Case(
                When(role=Role.COORDINATOR, then=Value(0)),
                When(role=Role.SUPPORT, then=Value(1)),
                When(role=Role.DESIGNATED, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("role_order", "user__last_name", "user__first_name", "pk")
    )


@never_cache
@login_required
def directory(request, pk):
    """The community's member directory: name, authority, role."""
    community = get_community(request, pk)
    if not access.can(request.user, Action.VIEW_DIRECTORY, community):
        return refuse(
            request,
            _("Only the members of this community can see its member directory."),
            community=community,
        )
    paginator = Paginator(directory_memberships(community), DIRECTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "page_title": _("Members of %(community)s") % {"community": community.title},
        "community": community,
        "page_obj": page_obj,
        "memberships": list(page_obj.object_list),
    }
    return render(request, "communities/directory.html", context)


# --- La mia area -----------------------------------------------------------------------------


def _prefer_locale(pages):
    """One page per translation key, in the active language when it exists."""
    try:
        active = locales.get_active().pk
    except Locale.DoesNotExist:
        active = None
    chosen = {}
    for page in pages:
        current = chosen.get(page.translation_key)
        if current is None or (page.locale_id == active and current.locale_id != active):
            chosen[page.translation_key] = page
    return chosen


def _within(pages_by_key, page):
    """The page of ``pages_by_key`` (any translation) that ``page`` lies below, or ``None``."""
    for candidate in pages_by_key:
        if page.path.startswith(candidate.path) and page.depth > candidate.depth:
            return candidate
    return None


def _paths_condition(pages):
    condition = Q()
    for page in pages:
        condition |= Q(path__startswith=page.path, depth__gt=page.depth)
    return condition


def _communities_index(user):
    chosen = _prefer_locale(access.visible_pages(user, CommunityIndexPage.objects.all()))
    return next(iter(chosen.values()), None)


@never_cache
@login_required
def dashboard(request):
    """*La mia area*: my communities and role, my working groups, invitations and requests."""
    user = request.user
    memberships = list(
        Membership.objects.current().filter(user=user).select_related("community", "designation")
    )
    all_translations = list(
        access.visible_pages(user, selectors.communities_of(user)).select_related("locale")
    )
    localized = _prefer_locale(all_translations)
    areas = []
    if all_translations:
        areas = list(
            access.visible_pages(
                user, CommunityAreaPage.objects.filter(_paths_condition(all_translations))
            ).only("path", "depth", "url_path", "locale_id", "translation_key")
        )
    area_of = {}
    for area in areas:
        community = _within(all_translations, area)
        if community is not None:
            current = area_of.get(community.translation_key)
            if current is None or area.locale_id == community.locale_id:
                area_of[community.translation_key] = area

    rows = []
    for membership in memberships:
        key = membership.community.translation_key
        community = localized.get(key, membership.community)
        designation = getattr(membership, "designation", None)
        area = area_of.get(key)
        rows.append(
            {
                "membership": membership,
                "community": community,
                "role_label": role_label(membership.role),
                "designation": designation,
                "reserved_area_url": area.get_url(request) if area is not None else None,
                "can_leave": access.can(user, Action.LEAVE, community),
                "can_switch": access.can(user, Action.SWITCH_ROLE, community),
            }
        )
    rows.sort(key=lambda row: row["community"].title.lower())

    wg_memberships = list(
        WorkingGroupMembership.objects.open()
        .filter(user=user)
        .select_related("group")
        .order_by("group__title")
    )
    for wgm in wg_memberships:
        wgm.community = _within(all_translations, wgm.group)
    active = [wgm for wgm in wg_memberships if wgm.status == WGStatus.ACTIVE]
    invitations = [wgm for wgm in wg_memberships if wgm.status == WGStatus.INVITED]
    requests = [wgm for wgm in wg_memberships if wgm.status == WGStatus.REQUESTED]

    # Working groups I may ask to join (the policy's JOIN_WORKING_GROUP rule as a queryset).
    candidates = (
        selectors.joinable_working_groups(user, WorkingGroupPage.objects.live())
        .filter(status__in=[WorkingGroupPage.Status.PLANNED, WorkingGroupPage.Status.ACTIVE])
        .order_by("title")
    )
    joinable = []
    chosen = _prefer_locale(candidates)
    for group in sorted(chosen.values(), key=lambda page: page.title.lower()):
        group.community = _within(all_translations, group)
        joinable.append(group)

    context = {
        "page_title": _("My area"),
        "rows": rows,
        "working_groups": active,
        "invitations": invitations,
        "requests": requests,
        "joinable": joinable,
        "measures": _measures_for_dashboard(user) if permissions.measures_of(user) else [],
        "Designation": Designation,
        "communities_index": _communities_index(user) if not rows else None,
    }
    return render(request, "communities/dashboard.html", context)


# --- working groups --------------------------------------------------------------------------


@login_required
@require_POST
def answer_invitation(request, pk):
    """Accept or decline an invitation to a working group."""
    group = get_working_group(pk)
    user = request.user
    invited = WorkingGroupMembership.objects.filter(
        user=user, group=group, status=WGStatus.INVITED
    ).exists()
    if not invited:
        raise Http404  # the group's existence is not disclosed to whoever was not invited
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_invitation(user, group, accept)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, message_of(error))
    else:
        if accept:
            messages.success(
                request,
                _("You are now a member of the working group %(group)s.") % {"group": group.title},
            )
        else:
            messages.info(
                request,
                _("You have declined the invitation to %(group)s.") % {"group": group.title},
            )
    return redirect(dashboard_url())


@login_required
@require_POST
def request_to_join(request, pk):
    """A designated participant asks to join a working group of their community."""
    group = get_working_group(pk)
    user = request.user
    if not access.can(user, Action.VIEW_RESERVED_AREA, group):
        raise Http404  # not a member of its community: the group is not disclosed
    if not access.can(user, Action.JOIN_WORKING_GROUP, group):
        if permissions.working_group_role(user, group) is not None:
            message = _("You are already invited to, member of, or waiting for this group.")
        else:
            message = _(
                "Only designated participants of the community can join its working groups."
            )
        return refuse(
            request,
            message,
            links=[{"url": dashboard_url(), "label": _("Go to your area")}],
        )
    try:
        services.request_to_join(user, group)
    except PermissionDenied as error:
        return refuse(request, message_of(error))
    messages.success(
        request,
        _(
            "Your request to join %(group)s has been sent: the coordination of the group will "
            "answer it."
        )
        % {"group": group.title},
    )
    return redirect(dashboard_url())
