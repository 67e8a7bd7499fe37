"""Management pages on the site for a community's coordinator and support team (and staff):
members and designations, working groups, invitations and join requests.

Coordinators are not Wagtail editors: these pages are the site's own. Every rule comes from the
access policy (``cms.access``) and every change goes through ``communities.services``.
A user the policy refuses gets a 403 if they are a member of the community, a 404 otherwise (the
management pages of a community reveal nothing to outsiders); anonymous visitors are sent to
sign in. Every action is logged on the ``communities.manage`` logger.
"""

from __future__ import annotations

import csv
import functools
import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cms import access
from cms.cache import mark_private
from cms.spreadsheets import escape_formula
from membership.enti import ente_label

from . import selectors, services, spaces
from .manage_forms import (
    DecisionForm,
    GroupCoordinatorForm,
    InviteForm,
    MemberFilterForm,
    RemoveMemberForm,
    SuspendMemberForm,
    WorkingGroupForm,
)
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

logger = logging.getLogger("communities.manage")

MEMBERS_PER_PAGE = 50
WGStatus = WorkingGroupMembership.Status
DStatus = Designation.Status

#: Designation actions and the statuses they apply to.
DESIGNATION_ACTIONS = {
    "request-copy": (DStatus.DECLARED, DStatus.COPY_REQUESTED),
    "verify": (DStatus.DECLARED, DStatus.COPY_REQUESTED),
    "revoke": (DStatus.DECLARED, DStatus.COPY_REQUESTED, DStatus.VERIFIED),
    "reopen": (DStatus.REVOKED,),
}


# --- Gates --------------------------------------------------------------------------------------


def manage_view(view):
    """Signed-in users only, never cached, and a readable 403 page for refused actions."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_private(request)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            message = str(error) or _("You are not allowed to do this.")
            logger.warning(
                "refused user=%s path=%s reason=%s", request.user.pk, request.path, message
            )
            return render(
                request,
                "communities/manage/forbidden.html",
                {"page_title": _("Action not allowed"), "message": message},
                status=403,
            )

    return login_required(never_cache(wrapped))


def _refuse(user, community):
    """403 for members of the community (they know it), 404 for everyone else."""
    if access.can(user, Action.VIEW_RESERVED_AREA, community):
        raise PermissionDenied(_("You are not allowed to manage this part of the community."))
    raise Http404


def _community(pk) -> CommunityPage:
    return get_object_or_404(CommunityPage, pk=pk)


def _group(pk) -> tuple[WorkingGroupPage, CommunityPage]:
    group = get_object_or_404(WorkingGroupPage, pk=pk)
    community = spaces.community_for_page(group)
    if community is None:
        raise Http404
    return group, community


def _can_handle_members(user, community) -> bool:
    """The members list: whoever manages memberships or handles designations."""
    return access.can(user, Action.MANAGE_MEMBERSHIPS, community) or access.can(
        user, Action.VERIFY_DESIGNATION, community
    )


def _manageable_groups(user, community) -> list[WorkingGroupPage]:
    """The working groups of ``community`` that ``user`` may manage."""
    return list(selectors.manageable_working_groups(user, community).order_by("title"))


def _decidable_kinds(user, community) -> list[str]:
    """The kinds of members' requests that ``user`` decides in ``community``."""
    return [
        kind for kind, action in services.DECIDED_BY.items() if access.can(user, action, community)
    ]


def management_rights(user, community) -> dict:
    """What ``user`` may manage in ``community`` (for the management home page)."""
    rights = {
        "members": _can_handle_members(user, community),
        "create_group": access.can(user, Action.CREATE_WORKING_GROUP, community),
        "requests": bool(_decidable_kinds(user, community)),
    }
    rights["groups"] = _manageable_groups(user, community) if user.is_authenticated else []
    rights["any"] = bool(rights["members"] or rights["create_group"] or rights["groups"])
    return rights


def may_manage(user, community) -> bool:
    """Whether ``user`` may manage anything in ``community`` (the "Manage" entry point).

    Cheaper than ``management_rights``: a few queries whatever the number of groups.
    """
    if not user.is_authenticated:
        return False
    if _can_handle_members(user, community) or access.can(
        user, Action.CREATE_WORKING_GROUP, community
    ):
        return True
    return selectors.manageable_working_groups(user, community).exists()


def _members_url(community, query=""):
    url = reverse("communities:manage_members", args=[community.pk])
    return f"{url}?{query}" if query else url


def _members_target(target, community):
    """``target`` if it is the members list of ``community`` (filters kept), else the list."""
    base = _members_url(community)
    safe = not any(char in target for char in "\r\n\\") and "//" not in target
    if safe and (target == base or target.startswith(base + "?")):
        return target
    return base


def _back_to_members(request, community):
    """The members list the action was taken from (its filters kept), never another URL."""
    return _members_target(request.POST.get("next", ""), community)


# --- Community home -----------------------------------------------------------------------------


@manage_view
def community_home(request, pk):
    community = _community(pk)
    rights = management_rights(request.user, community)
    if not rights["any"]:
        _refuse(request.user, community)
    counts = {}
    if rights["members"]:
        rows = (
            Membership.objects.filter(
                community__translation_key=community.translation_key, left_at__isnull=True
            )
            .values_list("role", flat=True)
            .order_by()
        )
        for role in rows:
            counts[role] = counts.get(role, 0) + 1
    pending = 0
    if rights["requests"]:
        pending = _requests(community, _decidable_kinds(request.user, community)).count()
    return render(
        request,
        "communities/manage/home.html",
        {
            "community": community,
            "rights": rights,
            "pending_requests": pending,
            "counts": [(label, counts.get(value, 0)) for value, label in Membership.Role.choices],
            "page_title": _("Manage the community"),
        },
    )


# --- Members and designations -------------------------------------------------------------------


def _member_rows(community, filters):
    queryset = (
        Membership.objects.filter(
            community__translation_key=community.translation_key, left_at__isnull=True
        )
        .select_related("user", "user__ente", "designation", "community")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )
    return filters.filter(queryset)


@manage_view
def members(request, pk):
    community = _community(pk)
    if not _can_handle_members(request.user, community):
        _refuse(request.user, community)
    filters = MemberFilterForm(request.GET or None)
    rows = _member_rows(community, filters)
    page = Paginator(rows, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communities/manage/members.html",
        {
            "community": community,
            "filters": filters,
            "members": page,
            "can_handle_designations": access.can(
                request.user, Action.VERIFY_DESIGNATION, community
            ),
            "can_remove": access.can(request.user, Action.MANAGE_MEMBERSHIPS, community),
            "can_suspend": access.can(request.user, Action.SUSPEND_MEMBER, community),
            "member_roles": Membership.MEMBER_ROLES,
            "current_url": request.get_full_path(),
            "csv_query": query.urlencode(),
            "can_export": access.can(request.user, Action.EXPORT_MEMBERS, community),
            "actions": DESIGNATION_ACTIONS,
            "page_title": _("Members and designations"),
        },
    )


def _csv_cell(value) -> str:
    """A cell that spreadsheets will not run as a formula (the portal's one escaper)."""
    return escape_formula("" if value is None else str(value))


@manage_view
def members_csv(request, pk):
    """The members as CSV: for the coordinator, the support team's institutional referents and
    staff (``EXPORT_MEMBERS``). A member who chose not to appear in the directories is listed
    without contact data; an authority awaiting approval is marked as under verification."""
    community = _community(pk)
    if not access.can(request.user, Action.EXPORT_MEMBERS, community):
        _refuse(request.user, community)
    filters = MemberFilterForm(request.GET or None)
    rows = _member_rows(community, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"membri-{slugify(community.title) or community.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Listed in the directory"),
            _("Ente"),
            _("Role"),
            _("Support team role"),
            _("Joined"),
            _("Designation"),
            _("Signed by"),
            _("Date of the act"),
            _("Act on file"),
        ]
    )
    count = 0
    for membership in rows.iterator(chunk_size=500):
        user = membership.user
        designation = getattr(membership, "designation", None)
        writer.writerow(
            [
                _csv_cell(user.get_full_name() or user.username),
                # Contact data only of who chose to appear in the directories.
                _csv_cell((user.contact_email or user.email) if user.show_in_directory else ""),
                _("yes") if user.show_in_directory else _("no"),
                _csv_cell(ente_label(user.ente)),
                _csv_cell(membership.get_role_display()),
                _csv_cell(membership.get_support_kind_display()),
                membership.joined_at.date().isoformat(),
                _csv_cell(designation.get_status_display() if designation else ""),
                _csv_cell(designation.get_signed_by_display() if designation else ""),
                designation.act_date.isoformat() if designation else "",
                (_("yes") if designation.act_file else _("no")) if designation else "",
            ]
        )
        count += 1
    services.record_members_export(
        request.user,
        community,
        count,
        {
            "role": request.GET.get("role", "")[:32],
            "status": request.GET.get("status", "")[:32],
        },
    )
    logger.info(
        "members exported user=%s community=%s rows=%s", request.user.pk, community.pk, count
    )
    return response


def _designation(community, designation_pk) -> Designation:
    designation = get_object_or_404(
        Designation.objects.select_related("membership__community", "membership__user"),
        pk=designation_pk,
        membership__community__translation_key=community.translation_key,
    )
    return designation


def _designation_problem(designation, action) -> str | None:
    membership = designation.membership
    if action == "reopen":
        if not designation.blocks_declaring:
            return _("This designation is not revoked, or it was re-opened already.")
        return None
    if not membership.is_active or membership.role != Membership.Role.DESIGNATED:
        return _("This member is no longer a designated participant of the community.")
    if designation.status not in DESIGNATION_ACTIONS[action]:
        return {
            "request-copy": _("A copy cannot be requested for a %(status)s designation."),
            "verify": _("A %(status)s designation cannot be verified."),
            "revoke": _("This designation has already been revoked."),
        }[action] % {"status": designation.get_status_display().lower()}
    return None


@manage_view
@require_http_methods(["GET", "POST"])
def designation_action(request, pk, designation_pk, action):
    if action not in DESIGNATION_ACTIONS:
        raise Http404
    community = _community(pk)
    designation = _designation(community, designation_pk)
    service_action = (
        Action.REQUEST_DESIGNATION_COPY if action == "request-copy" else Action.VERIFY_DESIGNATION
    )
    if not access.can(request.user, service_action, designation):
        _refuse(request.user, community)
    member = designation.membership.user
    if request.method == "GET":
        if action != "revoke":
            return redirect(_members_url(community))
        return render(
            request,
            "communities/manage/revoke.html",
            {
                "community": community,
                "designation": designation,
                "member": member,
                "next": _members_target(request.GET.get("next", ""), community),
                "page_title": _("Revoke a designation"),
            },
        )
    problem = _designation_problem(designation, action)
    if problem:
        logger.info(
            "designation %s refused user=%s designation=%s reason=%s",
            action,
            request.user.pk,
            designation.pk,
            problem,
        )
        messages.error(request, problem)
        return redirect(_back_to_members(request, community))
    name = member.get_full_name() or member.username
    if action == "request-copy":
        services.request_designation_copy(request.user, designation)
        messages.success(
            request,
            _("%(name)s has been asked by email for a copy of the appointment act.")
            % {"name": name},
        )
    elif action == "verify":
        services.verify_designation(request.user, designation)
        messages.success(request, _("The designation of %(name)s is verified.") % {"name": name})
    elif action == "reopen":
        services.reopen_designation(request.user, designation)
        messages.success(
            request,
            _("The designation of %(name)s is re-opened: they may declare it again.")
            % {"name": name},
        )
    else:
        reason = request.POST.get("reason", "").strip()
        if len(reason) > 1000:
            messages.error(request, _("Write at most 1000 characters."))
            return redirect(_back_to_members(request, community))
        services.revoke_designation(request.user, designation, reason)
        messages.success(
            request,
            _("The designation of %(name)s is revoked: they are now a simple participant.")
            % {"name": name},
        )
    logger.info(
        "designation %s user=%s designation=%s member=%s community=%s",
        action,
        request.user.pk,
        designation.pk,
        member.pk,
        community.pk,
    )
    return redirect(_back_to_members(request, community))


# --- The managers' measures: remove, suspend, end a suspension -----------------------------------


def _member(community, membership_pk) -> Membership:
    """An active membership of ``community`` (any translation), or 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "user__ente", "community"),
        pk=membership_pk,
        community__translation_key=community.translation_key,
        left_at__isnull=True,
    )


def _render_measure(request, community, membership, form, mode, status=200):
    member = membership.user
    titles = {"remove": _("Remove a member"), "suspend": _("Suspend a member")}
    return render(
        request,
        "communities/manage/member_measure.html",
        {
            "community": community,
            "membership": membership,
            "member": member,
            "form": form,
            "mode": mode,
            "next": _members_target(
                request.POST.get("next") or request.GET.get("next", ""), community
            ),
            "page_title": titles[mode],
        },
        status=status,
    )


def _measure_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@manage_view
@require_http_methods(["GET", "POST"])
def member_remove(request, pk, membership_pk):
    """Remove a member (with the reason): the coordinator and staff."""
    community = _community(pk)
    if not access.can(request.user, Action.MANAGE_MEMBERSHIPS, community):
        _refuse(request.user, community)
    membership = _member(community, membership_pk)
    if request.method != "POST":
        return _render_measure(request, community, membership, RemoveMemberForm(), "remove")
    form = RemoveMemberForm(request.POST)
    if form.is_valid():
        try:
            services.remove_member(request.user, membership, form.cleaned_data["reason"])
        except ValidationError as error:
            if getattr(error, "code", None) == "not_member":
                messages.error(request, " ".join(error.messages))
                return redirect(_back_to_members(request, community))
            _measure_errors(form, error)
        else:
            logger.info(
                "member removed user=%s community=%s member=%s",
                request.user.pk,
                community.pk,
                membership.user_id,
            )
            name = membership.user.get_full_name() or membership.user.username
            messages.success(
                request,
                _("%(name)s has been removed from the community.") % {"name": name},
            )
            return redirect(_back_to_members(request, community))
    return _render_measure(request, community, membership, form, "remove", status=400)


@manage_view
@require_http_methods(["GET", "POST"])
def member_suspend(request, pk, membership_pk):
    """Suspend a member until a day (with the reason): the coordinator, support team, staff."""
    community = _community(pk)
    if not access.can(request.user, Action.SUSPEND_MEMBER, community):
        _refuse(request.user, community)
    membership = _member(community, membership_pk)
    if request.method != "POST":
        return _render_measure(request, community, membership, SuspendMemberForm(), "suspend")
    form = SuspendMemberForm(request.POST)
    if form.is_valid():
        try:
            services.suspend_member(
                request.user, membership, form.until_datetime(), form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "not_member":
                messages.error(request, " ".join(error.messages))
                return redirect(_back_to_members(request, community))
            _measure_errors(form, error)
        else:
            logger.info(
                "member suspended user=%s community=%s member=%s",
                request.user.pk,
                community.pk,
                membership.user_id,
            )
            name = membership.user.get_full_name() or membership.user.username
            messages.success(
                request,
                _("%(name)s is suspended until %(date)s.")
                % {"name": name, "date": form.cleaned_data["until"].strftime("%d/%m/%Y")},
            )
            return redirect(_back_to_members(request, community))
    return _render_measure(request, community, membership, form, "suspend", status=400)


@manage_view
@require_POST
def member_lift_suspension(request, pk, membership_pk):
    """End a suspension before its date."""
    community = _community(pk)
    if not access.can(request.user, Action.SUSPEND_MEMBER, community):
        _refuse(request.user, community)
    membership = _member(community, membership_pk)
    try:
        services.lift_suspension(request.user, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        logger.info(
            "suspension lifted user=%s community=%s member=%s",
            request.user.pk,
            community.pk,
            membership.user_id,
        )
        name = membership.user.get_full_name() or membership.user.username
        messages.success(request, _("The suspension of %(name)s has ended.") % {"name": name})
    return redirect(_back_to_members(request, community))


# --- The members' requests to the managers -------------------------------------------------------


def _requests(community, kinds):
    return MemberRequest.objects.filter(
        membership__community__translation_key=community.translation_key,
        kind__in=kinds,
        status=MemberRequest.Status.PENDING,
    )


def _render_requests(request, community, kinds, *, error=None, status=200):
    rows = (
        _requests(community, kinds)
        .select_related("membership__user", "membership__user__ente", "membership__designation")
        .order_by("created_at")
    )
    decided = (
        MemberRequest.objects.filter(
            membership__community__translation_key=community.translation_key, kind__in=kinds
        )
        .exclude(status=MemberRequest.Status.PENDING)
        .select_related("membership__user", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "communities/manage/requests.html",
        {
            "community": community,
            "pending": list(rows),
            "decided": list(decided),
            "action_error": error,
            "page_title": _("Requests of the members"),
        },
        status=status,
    )


@manage_view
def member_requests(request, pk):
    """The members' pending requests (readmission, end of a suspension, re-opening of a
    designation) that the user decides, and the latest decisions."""
    community = _community(pk)
    kinds = _decidable_kinds(request.user, community)
    if not kinds:
        _refuse(request.user, community)
    return _render_requests(request, community, kinds)


@manage_view
@require_POST
def member_request_decide(request, pk, request_pk):
    community = _community(pk)
    kinds = _decidable_kinds(request.user, community)
    if not kinds:
        _refuse(request.user, community)
    member_request = get_object_or_404(
        MemberRequest.objects.select_related("membership__community", "membership__user"),
        pk=request_pk,
        membership__community__translation_key=community.translation_key,
        kind__in=kinds,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_requests(
            request,
            community,
            kinds,
            error=_("Choose whether to accept or refuse, and write at most 1000 characters."),
            status=400,
        )
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.decide_request(request.user, member_request, accept, form.cleaned_data["note"])
    except ValidationError as error:
        return _render_requests(
            request, community, kinds, error=" ".join(error.messages), status=409
        )
    logger.info(
        "member request %s user=%s community=%s request=%s",
        "accepted" if accept else "refused",
        request.user.pk,
        community.pk,
        member_request.pk,
    )
    member = member_request.membership.user
    name = member.get_full_name() or member.username
    if accept:
        messages.success(request, _("The request of %(name)s is accepted.") % {"name": name})
    else:
        messages.success(request, _("The request of %(name)s is refused.") % {"name": name})
    return redirect("communities:manage_requests", pk=community.pk)


# --- Working groups -----------------------------------------------------------------------------


def _unique_slug(parent, title) -> str:
    base = slugify(title)[:70] or "gruppo-di-lavoro"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _render_group_form(request, community, form, group=None, status=200):
    return render(
        request,
        "communities/manage/group_form.html",
        {
            "community": community,
            "group": group,
            "form": form,
            "page_title": _("Edit the working group") if group else _("New working group"),
        },
        status=status,
    )


@manage_view
@require_http_methods(["GET", "POST"])
def group_create(request, pk):
    community = _community(pk)
    if not access.can(request.user, Action.CREATE_WORKING_GROUP, community):
        _refuse(request.user, community)
    area = CommunityAreaPage.objects.child_of(community).first()
    if area is None:
        messages.error(
            request,
            _("This community has no reserved area yet: ask the editorial staff to create it."),
        )
        return redirect("communities:manage_home", pk=community.pk)
    if request.method != "POST":
        return _render_group_form(request, community, WorkingGroupForm())
    form = WorkingGroupForm(request.POST)
    if not form.is_valid():
        return _render_group_form(request, community, form, status=400)
    group = form.apply_to(WorkingGroupPage(owner=request.user))
    group.slug = _unique_slug(area, group.title)
    with transaction.atomic():
        area.add_child(instance=group)
        # The access policy allowed it: coordinators are not Wagtail editors.
        group.save_revision(user=request.user, log_action=True).publish(
            user=request.user, skip_permission_checks=True
        )
    logger.info(
        "working group created user=%s community=%s group=%s",
        request.user.pk,
        community.pk,
        group.pk,
    )
    messages.success(
        request, _("The working group “%(title)s” has been created.") % {"title": group.title}
    )
    return redirect("communities:manage_group", pk=group.pk)


@manage_view
@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    group, community = _group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        _refuse(request.user, community)
    if request.method != "POST":
        form = WorkingGroupForm(initial=WorkingGroupForm.initial_for(group))
        return _render_group_form(request, community, form, group=group)
    form = WorkingGroupForm(request.POST)
    if not form.is_valid():
        return _render_group_form(request, community, form, group=group, status=400)
    form.apply_to(group)
    with transaction.atomic():
        revision = group.save_revision(user=request.user, log_action=True)
        if group.live:
            revision.publish(user=request.user, skip_permission_checks=True)
    logger.info(
        "working group edited user=%s community=%s group=%s",
        request.user.pk,
        community.pk,
        group.pk,
    )
    messages.success(request, _("The working group has been updated."))
    return redirect("communities:manage_group", pk=group.pk)


def _community_members(community):
    return get_user_model().objects.filter(
        community_memberships__community__translation_key=community.translation_key,
        community_memberships__left_at__isnull=True,
    )


def _eligible_invitees(community, group):
    """Designated participants of the community, registered, with no open membership of the
    group (what ``permissions.can_invite`` accepts, as a queryset for the list)."""
    open_members = WorkingGroupMembership.objects.filter(
        group__translation_key=group.translation_key,
        status__in=WorkingGroupMembership.OPEN_STATUSES,
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(
            community_memberships__community__translation_key=community.translation_key,
            community_memberships__left_at__isnull=True,
            community_memberships__role=Membership.Role.DESIGNATED,
            is_active=True,
            onboarded_at__isnull=False,
            deleted_at__isnull=True,
        )
        .exclude(Q(fiscal_number__isnull=True) | Q(fiscal_number=""))
        .exclude(pk__in=open_members)
        .select_related("ente")
        .order_by("last_name", "first_name", "username")
    )


def _active_group_members(group):
    return get_user_model().objects.filter(
        working_group_memberships__group=group,
        working_group_memberships__status=WGStatus.ACTIVE,
    )


def _render_group(
    request, group, community, *, invite_form=None, coordinator_form=None, error=None, status=200
):
    user = request.user
    can_invite = access.can(user, Action.INVITE_TO_WORKING_GROUP, group)
    rows = list(
        WorkingGroupMembership.objects.filter(
            group=group, status__in=WorkingGroupMembership.OPEN_STATUSES
        )
        .select_related("user", "user__ente", "invited_by")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    active = [row for row in rows if row.status == WGStatus.ACTIVE]
    if invite_form is None and can_invite:
        invite_form = InviteForm(
            members=_community_members(community),
            eligible=list(_eligible_invitees(community, group)),
        )
    if coordinator_form is None:
        coordinator = next(
            (row.user_id for row in active if row.role == WorkingGroupMembership.Role.COORDINATOR),
            None,
        )
        coordinator_form = GroupCoordinatorForm(
            members=_active_group_members(group), initial={"user": coordinator}
        )
    return render(
        request,
        "communities/manage/group.html",
        {
            "community": community,
            "group": group,
            "active": active,
            "requested": [row for row in rows if row.status == WGStatus.REQUESTED],
            "invited": [row for row in rows if row.status == WGStatus.INVITED],
            "invite_form": invite_form if can_invite else None,
            "coordinator_form": coordinator_form,
            "action_error": error,
            "page_title": group.title,
        },
        status=status,
    )


@manage_view
def group_detail(request, pk):
    group, community = _group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        _refuse(request.user, community)
    return _render_group(request, group, community)


@manage_view
@require_POST
def group_invite(request, pk):
    group, community = _group(pk)
    if not access.can(request.user, Action.INVITE_TO_WORKING_GROUP, group):
        _refuse(request.user, community)
    form = InviteForm(
        request.POST,
        members=_community_members(community),
        eligible=list(_eligible_invitees(community, group)),
    )
    if form.is_valid():
        invitee = form.cleaned_data["user"]
        try:
            with transaction.atomic():
                services.invite(request.user, invitee, group)
        except ValidationError as error:
            form.add_error("user", error)
        except IntegrityError:
            form.add_error(
                "user",
                _(
                    "This member already has an invitation, a request or a "
                    "membership in this group."
                ),
            )
        else:
            logger.info(
                "working group invitation user=%s group=%s invitee=%s",
                request.user.pk,
                group.pk,
                invitee.pk,
            )
            messages.success(
                request,
                _("%(name)s has been invited to the working group.")
                % {"name": invitee.get_full_name() or invitee.username},
            )
            return redirect("communities:manage_group", pk=group.pk)
    logger.info(
        "working group invitation refused user=%s group=%s errors=%s",
        request.user.pk,
        group.pk,
        form.errors.get_json_data(),
    )
    return _render_group(request, group, community, invite_form=form, status=400)


@manage_view
@require_POST
def group_answer_request(request, pk, membership_pk):
    group, community = _group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        _refuse(request.user, community)
    row = get_object_or_404(
        WorkingGroupMembership.objects.select_related("user"), pk=membership_pk, group=group
    )
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        return _render_group(
            request, group, community, error=_("Choose whether to accept or decline."), status=400
        )
    try:
        services.answer_request(request.user, row.user, group, accept=decision == "accept")
    except ValidationError as error:
        return _render_group(request, group, community, error=" ".join(error.messages), status=400)
    logger.info(
        "working group request %s user=%s group=%s requester=%s",
        "accepted" if decision == "accept" else "declined",
        request.user.pk,
        group.pk,
        row.user_id,
    )
    name = row.user.get_full_name() or row.user.username
    if decision == "accept":
        messages.success(request, _("%(name)s is now a member of the group.") % {"name": name})
    else:
        messages.success(request, _("The request of %(name)s was declined.") % {"name": name})
    return redirect("communities:manage_group", pk=group.pk)


@manage_view
@require_POST
def group_set_coordinator(request, pk):
    group, community = _group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        _refuse(request.user, community)
    form = GroupCoordinatorForm(request.POST, members=_active_group_members(group))
    if form.is_valid():
        member = form.cleaned_data["user"]
        try:
            services.set_group_coordinator(request.user, member, group)
        except ValidationError as error:
            form.add_error("user", error)
        else:
            logger.info(
                "working group coordinator named user=%s group=%s coordinator=%s",
                request.user.pk,
                group.pk,
                member.pk,
            )
            messages.success(
                request,
                _("%(name)s is now the coordinator of the group.")
                % {"name": member.get_full_name() or member.username},
            )
            return redirect("communities:manage_group", pk=group.pk)
    return _render_group(request, group, community, coordinator_form=form, status=400)
