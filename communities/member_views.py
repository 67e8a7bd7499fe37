"""What a member does on the site: join a community ("Aderisci"), leave it, switch role, upload
the appointment act the managers asked for, read the member directory, and "La mia area" (my
communities, working groups, invitations and requests).

Every view asks the access policy (``cms.access``) and acts through
``communities.services``; none re-implements a rule. Refusals render a page with a clear message
(403 for a forbidden action, 409 for "already a member", 404 where existence must not leak);
invalid forms are shown again with status 400 and what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Locale

from cms import access, locales
from membership import registration

from . import permissions, selectors, services
from .forms import ActUploadForm, AskManagersForm, DesignationForm, JoinForm
from .models import (
    CommunityAreaPage,
    CommunityPage,
    Designation,
    MemberRequest,
    Membership,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from .permissions import Action

Role = Membership.Role
WGStatus = WorkingGroupMembership.Status
DIRECTORY_PAGE_SIZE = 25


# --- helpers --------------------------------------------------------------------------------


def _community(request, pk) -> CommunityPage:
    """The live community ``pk`` that the user may see, or 404."""
    community = access.visible_pages(request.user, CommunityPage.objects.filter(pk=pk)).first()
    if community is None:
        raise Http404
    return community


def _working_group(pk) -> WorkingGroupPage:
    group = WorkingGroupPage.objects.live().filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def _refuse(request, message, *, status=403, title=None, community=None, links=None):
    """A page explaining why an action cannot be taken (nothing was changed)."""
    context = {
        "page_title": title or _("Action not allowed"),
        "message": message,
        "community": community,
        "links": links or [],
    }
    return render(request, "communities/refused.html", context, status=status)


def _reserved_area_url(request, community):
    area = access.visible_pages(request.user, CommunityAreaPage.objects.child_of(community)).first()
    return area.get_url(request) if area is not None else None


def _dashboard_url():
    return reverse("participation:dashboard")


def _member_links(request, community):
    links = []
    area_url = _reserved_area_url(request, community)
    if area_url:
        links.append({"url": area_url, "label": _("Go to the reserved area")})
    links.append({"url": _dashboard_url(), "label": _("Go to your area")})
    return links


def _bound(request) -> tuple:
    """Form arguments: the submitted data on POST (even when empty), nothing on GET."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def _message_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do this.")


def _ask_links(request, community):
    """Where a member under a measure can go: ask the managers (or see their pending request)."""
    if services.pending_request(request.user, community) is not None:
        return [{"url": _dashboard_url(), "label": _("See your request to the managers")}]
    return [
        {
            "url": reverse("participation:ask_managers", args=[community.pk]),
            "label": _("Ask the managers"),
        },
        {"url": _dashboard_url(), "label": _("Go to your area")},
    ]


def _measure_refusal(request, community, measure=None, message=None):
    """403: the measure in force on the member, when and why, and how to ask the managers."""
    if message is None:
        message, _code = services.measure_message(request.user, community, measure)
    return _refuse(
        request,
        message,
        title=_("A measure of the managers is in force"),
        community=community,
        links=_ask_links(request, community),
    )


def role_label(role) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return ""


# --- join, leave, switch role ----------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def join(request, pk):
    """*Aderisci*: join as participant or designated participant (with the declaration)."""
    community = _community(request, pk)
    user = request.user
    if permissions.role_in(user, community) is not None:
        return _refuse(
            request,
            _("You are already a member of this community."),
            status=409,
            title=_("You are already a member"),
            community=community,
            links=_member_links(request, community),
        )
    if not registration.is_registered(user):
        return _refuse(
            request,
            _("Complete your registration to the Community before joining a community."),
            community=community,
            links=[{"url": reverse("membership:onboarding"), "label": _("Complete registration")}],
        )
    measure = permissions.measure_in(user, community)
    if measure is not None and measure.blocks_join:
        return _measure_refusal(request, community, measure)
    if not access.can(user, Action.JOIN, community):
        return _refuse(request, _("You cannot join this community."), community=community)

    form = JoinForm(*_bound(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.join(user, community, form.cleaned_data["role"], **form.declaration())
            except services.MeasureRefusal as error:
                return _measure_refusal(request, community, message=_message_of(error))
            except PermissionDenied as error:
                return _refuse(request, _message_of(error), community=community)
            except ValidationError as error:
                if getattr(error, "code", None) == "already":
                    return _refuse(
                        request,
                        _message_of(error),
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
                return redirect(_reserved_area_url(request, community) or _dashboard_url())
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
    community = _community(request, pk)
    user = request.user
    if not access.can(user, Action.LEAVE, community):
        if permissions.role_in(user, community) in Membership.MANAGER_ROLES:
            message = _(
                "Coordinators and the support team are appointed and removed by the editorial "
                "staff: ask them to leave the community."
            )
        else:
            message = _("You are not a member of this community.")
        return _refuse(request, message, community=community)
    if request.method == "POST":
        try:
            services.leave(user, community)
        except PermissionDenied as error:
            return _refuse(request, _message_of(error), community=community)
        messages.success(
            request,
            _("You have left the community %(community)s.") % {"community": community.title},
        )
        return redirect(_dashboard_url())
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
    community = _community(request, pk)
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
        return _refuse(request, message, community=community)
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
            return _refuse(
                request,
                _("You already have this role."),
                status=409,
                title=_("Your role has not changed"),
                community=community,
                links=[{"url": _dashboard_url(), "label": _("Go to your area")}],
            )
        status = 400
        if target == Role.PARTICIPANT or form.is_valid():
            declaration = form.declaration() if target == Role.DESIGNATED else {}
            try:
                services.switch_role(user, community, target, **declaration)
            except services.MeasureRefusal as error:
                return _measure_refusal(request, community, message=_message_of(error))
            except PermissionDenied as error:
                return _refuse(request, _message_of(error), community=community)
            except ValidationError as error:
                if getattr(error, "code", None) == "same_role":
                    return _refuse(request, _message_of(error), status=409, community=community)
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your role in %(community)s is now: %(role)s.")
                    % {"community": community.title, "role": role_label(target)},
                )
                return redirect(_dashboard_url())
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
    community = _community(request, pk)
    user = request.user
    if not access.can(user, Action.APPEAL, community):
        return _refuse(
            request,
            _("There is no measure of the managers on you to reconsider in this community."),
            community=community,
            links=[{"url": _dashboard_url(), "label": _("Go to your area")}],
        )
    if services.pending_request(user, community) is not None:
        return _refuse(
            request,
            _("You have already asked the managers: they will answer you."),
            status=409,
            title=_("Your request is pending"),
            community=community,
            links=[{"url": _dashboard_url(), "label": _("Go to your area")}],
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
                return _refuse(request, _message_of(error), community=community)
            except ValidationError as error:
                if getattr(error, "code", None) == "already":
                    return _refuse(request, _message_of(error), status=409, community=community)
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
                return redirect(_dashboard_url())
    context = {
        "page_title": _("Ask the managers of %(community)s") % {"community": community.title},
        "community": community,
        "form": form,
        "explanation": explanation,
        "asks_for": MemberRequest.Kind(services.REQUEST_FOR[code]).label,
    }
    return render(request, "communities/ask_managers.html", context, status=status)


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


# --- the appointment act ---------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def upload_act(request, pk):
    """The member uploads the copy of their appointment act that the managers asked for."""
    community = _community(request, pk)
    membership = _active_membership(request.user, community)
    designation = (
        Designation.objects.filter(membership=membership).first()
        if membership is not None and membership.role == Role.DESIGNATED
        else None
    )
    if designation is None or designation.status != Designation.Status.COPY_REQUESTED:
        return _refuse(
            request,
            _("Nobody has asked you for a copy of your appointment act in this community."),
            community=community,
            links=[{"url": _dashboard_url(), "label": _("Go to your area")}],
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
            return redirect(_dashboard_url())
    context = {
        "page_title": _("Send your appointment act"),
        "community": community,
        "designation": designation,
        "form": form,
    }
    return render(request, "communities/act_upload.html", context, status=status)


# --- member directory ------------------------------------------------------------------------


def directory_memberships(community):
    """Active memberships of ``community`` shown in its directory: members who chose to be
    shown, and always the coordinators and the support team (public roles)."""
    managers = [Role.COORDINATOR, Role.SUPPORT]
    return (
        Membership.objects.filter(
            community__translation_key=community.translation_key, left_at__isnull=True
        )
        .filter(Q(user__show_in_directory=True) | Q(role__in=managers))
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
    community = _community(request, pk)
    if not access.can(request.user, Action.VIEW_DIRECTORY, community):
        return _refuse(
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
    from .models import CommunityIndexPage

    chosen = _prefer_locale(access.visible_pages(user, CommunityIndexPage.objects.all()))
    return next(iter(chosen.values()), None)


@never_cache
@login_required
def dashboard(request):
    """*La mia area*: my communities and role, my working groups, invitations and requests."""
    user = request.user
    memberships = list(
        Membership.objects.filter(user=user, left_at__isnull=True).select_related(
            "community", "designation"
        )
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
        WorkingGroupMembership.objects.filter(
            user=user, status__in=WorkingGroupMembership.OPEN_STATUSES
        )
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
    group = _working_group(pk)
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
        messages.error(request, _message_of(error))
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
    return redirect(_dashboard_url())


@login_required
@require_POST
def request_to_join(request, pk):
    """A designated participant asks to join a working group of their community."""
    group = _working_group(pk)
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
        return _refuse(
            request,
            message,
            links=[{"url": _dashboard_url(), "label": _("Go to your area")}],
        )
    try:
        services.request_to_join(user, group)
    except PermissionDenied as error:
        return _refuse(request, _message_of(error))
    messages.success(
        request,
        _(
            "Your request to join %(group)s has been sent: the coordination of the group will "
            "answer it."
        )
        % {"group": group.title},
    )
    return redirect(_dashboard_url())
