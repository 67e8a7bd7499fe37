"""What a member does to their membership on the site: join a community ("Aderisci"), leave it,
switch role, ask the managers to reconsider a measure, upload the appointment act the managers
asked for.

Every view asks the access policy (``cms.access``) and acts through
``communities.services``; none re-implements a rule. Refusals render a page with a clear message
(403 for a forbidden action, 409 for "already a member", 404 where existence must not leak);
invalid forms are shown again with status 400 and what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms import access
from membership import registration

from .. import permissions, selectors, services
from ..forms import ActUploadForm, AskManagersForm, DesignationForm, JoinForm
from ..models import (
    CommunityAreaPage,
    Designation,
    MemberRequest,
    Membership,
    WorkingGroupMembership,
)
from ..permissions import Action
from .member import dashboard_url, get_community, message_of, refuse, role_label

Role = Membership.Role


# --- helpers --------------------------------------------------------------------------------


def _reserved_area_url(request, community):
    area = access.visible_pages(request.user, CommunityAreaPage.objects.child_of(community)).first()
    return area.get_url(request) if area is not None else None


def _member_links(request, community):
    links = []
    area_url = _reserved_area_url(request, community)
    if area_url:
        links.append({"url": area_url, "label": _("Go to the reserved area")})
    links.append({"url": dashboard_url(), "label": _("Go to your area")})
    return links


def _bound(request) -> tuple:
    """Form arguments: the submitted data on POST (even when empty), nothing on GET."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def _ask_links(request, community):
    """Where a member under a measure can go: ask the managers (or see their pending request)."""
    if services.pending_request(request.user, community) is not None:
        return [{"url": dashboard_url(), "label": _("See your request to the managers")}]
    return [
        {
            "url": reverse("participation:ask_managers", args=[community.pk]),
            "label": _("Ask the managers"),
        },
        {"url": dashboard_url(), "label": _("Go to your area")},
    ]


def _measure_refusal(request, community, measure=None, message=None):
    """403: the measure in force on the member, when and why, and how to ask the managers."""
    if message is None:
        message, _code = services.measure_message(request.user, community, measure)
    return refuse(
        request,
        message,
        title=_("A measure of the managers is in force"),
        community=community,
        links=_ask_links(request, community),
    )


# --- join, leave, switch role ----------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def join(request, pk):
    """*Aderisci*: join as participant or designated participant (with the declaration)."""
    community = get_community(request, pk)
    user = request.user
    if permissions.role_in(user, community) is not None:
        return refuse(
            request,
            _("You are already a member of this community."),
            status=409,
            title=_("You are already a member"),
            community=community,
            links=_member_links(request, community),
        )
    if not registration.is_registered(user):
        return refuse(
            request,
            _("Complete your registration to the Community before joining a community."),
            community=community,
            links=[{"url": reverse("membership:onboarding"), "label": _("Complete registration")}],
        )
    measure = permissions.measure_in(user, community)
    if measure is not None and measure.blocks_join:
        return _measure_refusal(request, community, measure)
    if not access.can(user, Action.JOIN, community):
        return refuse(request, _("You cannot join this community."), community=community)

    form = JoinForm(*_bound(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.join(user, community, form.cleaned_data["role"], **form.declaration())
            except services.MeasureRefusal as error:
                return _measure_refusal(request, community, message=message_of(error))
            except PermissionDenied as error:
                return refuse(request, message_of(error), community=community)
            except ValidationError as error:
                if getattr(error, "code", None) == "already":
                    return refuse(
                        request,
                        message_of(error),
                        status=409,
                        title=_("You are already a member"),
                        community=community,
                        links=_member_links(request, community),
                    )
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Welcome to the community %(community)s!") % {"community": community.title},
                )
                return redirect(_reserved_area_url(request, community) or dashboard_url())
    context = {
        "page_title": _("Join %(community)s") % {"community": community.title},
        "community": community,
        "form": form,
        "file_lost": _file_lost(request, form),
    }
    return render(request, "communities/join.html", context, status=status)


def _file_lost(request, form) -> bool:
    """A file was attached to a form that failed: the browser will not send it again."""
    return bool(form.is_bound and form.errors and request.FILES.get("act_file"))


def _active_membership(user, community) -> Membership | None:
    return services.active_membership(user, community)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def leave(request, pk):
    """Leave a community (and its working groups), after a confirmation."""
    community = get_community(request, pk)
    user = request.user
    if not access.can(user, Action.LEAVE, community):
        if permissions.role_in(user, community) in Membership.MANAGER_ROLES:
            message = _(
                "Coordinators and the support team are appointed and removed by the editorial "
                "staff: ask them to leave the community."
            )
        else:
            message = _("You are not a member of this community.")
        return refuse(request, message, community=community)
    if request.method == "POST":
        try:
            services.leave(user, community)
        except PermissionDenied as error:
            return refuse(request, message_of(error), community=community)
        messages.success(
            request,
            _("You have left the community %(community)s.") % {"community": community.title},
        )
        return redirect(dashboard_url())
    groups = selectors.working_groups_of(user, statuses=WorkingGroupMembership.OPEN_STATUSES)
    context = {
        "page_title": _("Leave %(community)s") % {"community": community.title},
        "community": community,
        "role_label": role_label(
            permissions.role_in(user, community)
            or getattr(permissions.measure_in(user, community), "suspended_role", None)
        ),
        "groups": list(groups.descendant_of(community).order_by("title")),
    }
    return render(request, "communities/leave.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def switch_role(request, pk):
    """Participant ↔ designated participant; becoming designated needs the declaration."""
    community = get_community(request, pk)
    user = request.user
    if not access.can(user, Action.SWITCH_ROLE, community):
        measure = permissions.measure_in(user, community)
        if (
            measure is not None
            and permissions.role_in(user, community) not in Membership.MANAGER_ROLES
        ):
            return _measure_refusal(request, community, measure)
        if permissions.role_in(user, community) in Membership.MANAGER_ROLES:
            message = _("Coordinators and the support team are appointed by the editorial staff.")
        else:
            message = _("You are not a member of this community.")
        return refuse(request, message, community=community)
    current = permissions.role_in(user, community)
    target = Role.PARTICIPANT if current == Role.DESIGNATED else Role.DESIGNATED
    form = DesignationForm(*_bound(request))
    if target == Role.PARTICIPANT:
        form.declaration_required = False
    status = 200
    if request.method == "POST":
        posted_target = request.POST.get("role")
        if posted_target != target:
            # A stale form (the role changed meanwhile, e.g. in another tab): change nothing.
            return refuse(
                request,
                _("You already have this role."),
                status=409,
                title=_("Your role has not changed"),
                community=community,
                links=[{"url": dashboard_url(), "label": _("Go to your area")}],
            )
        status = 400
        if target == Role.PARTICIPANT or form.is_valid():
            declaration = form.declaration() if target == Role.DESIGNATED else {}
            try:
                services.switch_role(user, community, target, **declaration)
            except services.MeasureRefusal as error:
                return _measure_refusal(request, community, message=message_of(error))
            except PermissionDenied as error:
                return refuse(request, message_of(error), community=community)
            except ValidationError as error:
                if getattr(error, "code", None) == "same_role":
                    return refuse(request, message_of(error), status=409, community=community)
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your role in %(community)s is now: %(role)s.")
                    % {"community": community.title, "role": role_label(target)},
                )
                return redirect(dashboard_url())
    groups = []
    if target == Role.PARTICIPANT:
        groups = list(
            selectors.working_groups_of(user, statuses=WorkingGroupMembership.OPEN_STATUSES)
            .descendant_of(community)
            .order_by("title")
        )
    context = {
        "page_title": _("Change your role in %(community)s") % {"community": community.title},
        "community": community,
        "form": form,
        "current_label": role_label(current),
        "target": target,
        "target_label": role_label(target),
        "groups": groups,
        "file_lost": _file_lost(request, form),
    }
    return render(request, "communities/switch_role.html", context, status=status)


# --- a member under a measure asks the managers ------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask_managers(request, pk):
    """A member removed, suspended or whose designation was revoked asks the community's
    managers to reconsider (readmission, end of the suspension, re-opening the designation)."""
    community = get_community(request, pk)
    user = request.user
    if not access.can(user, Action.APPEAL, community):
        return refuse(
            request,
            _("There is no measure of the managers on you to reconsider in this community."),
            community=community,
            links=[{"url": dashboard_url(), "label": _("Go to your area")}],
        )
    if services.pending_request(user, community) is not None:
        return refuse(
            request,
            _("You have already asked the managers: they will answer you."),
            status=409,
            title=_("Your request is pending"),
            community=community,
            links=[{"url": dashboard_url(), "label": _("Go to your area")}],
        )
    measure = permissions.measure_in(user, community)
    explanation, code = services.measure_message(user, community, measure)
    form = AskManagersForm(*_bound(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.ask_managers(user, community, form.cleaned_data["message"])
            except PermissionDenied as error:
                return refuse(request, message_of(error), community=community)
            except ValidationError as error:
                if getattr(error, "code", None) == "already":
                    return refuse(request, message_of(error), status=409, community=community)
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been sent to the managers of %(community)s: you will "
                        "see their answer in your area."
                    )
                    % {"community": community.title},
                )
                return redirect(dashboard_url())
    context = {
        "page_title": _("Ask the managers of %(community)s") % {"community": community.title},
        "community": community,
        "form": form,
        "explanation": explanation,
        "asks_for": MemberRequest.Kind(services.REQUEST_FOR[code]).label,
    }
    return render(request, "communities/ask_managers.html", context, status=status)


# --- the appointment act ---------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def upload_act(request, pk):
    """The member uploads the copy of their appointment act that the managers asked for."""
    community = get_community(request, pk)
    membership = _active_membership(request.user, community)
    designation = (
        Designation.objects.filter(membership=membership).first()
        if membership is not None and membership.role == Role.DESIGNATED
        else None
    )
    if designation is None or designation.status != Designation.Status.COPY_REQUESTED:
        return refuse(
            request,
            _("Nobody has asked you for a copy of your appointment act in this community."),
            community=community,
            links=[{"url": dashboard_url(), "label": _("Go to your area")}],
        )
    form = ActUploadForm(*_bound(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with transaction.atomic():
                designation.act_file = form.cleaned_data["act_file"]
                designation.save(update_fields=["act_file"])
            messages.success(
                request,
                _(
                    "Thank you: the copy of your appointment act has been sent to the "
                    "coordination of %(community)s."
                )
                % {"community": community.title},
            )
            return redirect(dashboard_url())
    context = {
        "page_title": _("Send your appointment act"),
        "community": community,
        "designation": designation,
        "form": form,
    }
    return render(request, "communities/act_upload.html", context, status=status)
