"""The management pages of a community's members: the list (and its CSV), the designations, the
managers' measures (remove, suspend, end a suspension) and the members' requests to the managers.
The gate and the rules are in ``communities.views.manage``."""

from __future__ import annotations

import csv
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import access
from cms.spreadsheets import escape_formula
from membership.enti import ente_label

from .. import services
from ..forms import DecisionForm, MemberFilterForm, RemoveMemberForm, SuspendMemberForm
from ..models import Designation, MemberRequest, Membership
from ..permissions import Action
from .manage import (
    back_to_members,
    can_handle_members,
    decidable_kinds,
    get_community,
    manage_view,
    members_target,
    members_url,
    pending_requests,
    refuse,
)

logger = logging.getLogger("communities.manage")

MEMBERS_PER_PAGE = 50
DStatus = Designation.Status

#: Designation actions and the statuses they apply to.
DESIGNATION_ACTIONS = {
    "request-copy": (DStatus.DECLARED, DStatus.COPY_REQUESTED),
    "verify": (DStatus.DECLARED, DStatus.COPY_REQUESTED),
    "revoke": (DStatus.DECLARED, DStatus.COPY_REQUESTED, DStatus.VERIFIED),
    "reopen": (DStatus.REVOKED,),
}


# --- Members and designations -------------------------------------------------------------------


def _member_rows(community, filters):
    queryset = (
        Membership.objects.current()
        .of(community)
        .select_related("user", "user__ente", "designation", "community")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )
    return filters.filter(queryset)


@manage_view
def members(request, pk):
    community = get_community(pk)
    if not can_handle_members(request.user, community):
        refuse(request.user, community)
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
    community = get_community(pk)
    if not access.can(request.user, Action.EXPORT_MEMBERS, community):
        refuse(request.user, community)
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
    community = get_community(pk)
    designation = _designation(community, designation_pk)
    service_action = (
        Action.REQUEST_DESIGNATION_COPY if action == "request-copy" else Action.VERIFY_DESIGNATION
    )
    if not access.can(request.user, service_action, designation):
        refuse(request.user, community)
    member = designation.membership.user
    if request.method == "GET":
        if action != "revoke":
            return redirect(members_url(community))
        return render(
            request,
            "communities/manage/revoke.html",
            {
                "community": community,
                "designation": designation,
                "member": member,
                "next": members_target(request.GET.get("next", ""), community),
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
        return redirect(back_to_members(request, community))
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
            return redirect(back_to_members(request, community))
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
    return redirect(back_to_members(request, community))


# --- The managers' measures: remove, suspend, end a suspension -----------------------------------


def _member(community, membership_pk) -> Membership:
    """An active membership of ``community`` (any translation), or 404."""
    return get_object_or_404(
        Membership.objects.current()
        .of(community)
        .select_related("user", "user__ente", "community"),
        pk=membership_pk,
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
            "next": members_target(
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
    community = get_community(pk)
    if not access.can(request.user, Action.MANAGE_MEMBERSHIPS, community):
        refuse(request.user, community)
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
                return redirect(back_to_members(request, community))
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
            return redirect(back_to_members(request, community))
    return _render_measure(request, community, membership, form, "remove", status=400)


@manage_view
@require_http_methods(["GET", "POST"])
def member_suspend(request, pk, membership_pk):
    """Suspend a member until a day (with the reason): the coordinator, support team, staff."""
    community = get_community(pk)
    if not access.can(request.user, Action.SUSPEND_MEMBER, community):
        refuse(request.user, community)
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
                return redirect(back_to_members(request, community))
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
            return redirect(back_to_members(request, community))
    return _render_measure(request, community, membership, form, "suspend", status=400)


@manage_view
@require_POST
def member_lift_suspension(request, pk, membership_pk):
    """End a suspension before its date."""
    community = get_community(pk)
    if not access.can(request.user, Action.SUSPEND_MEMBER, community):
        refuse(request.user, community)
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
    return redirect(back_to_members(request, community))


# --- The members' requests to the managers -------------------------------------------------------


def _render_requests(request, community, kinds, *, error=None, status=200):
    rows = (
        pending_requests(community, kinds)
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
    community = get_community(pk)
    kinds = decidable_kinds(request.user, community)
    if not kinds:
        refuse(request.user, community)
    return _render_requests(request, community, kinds)


@manage_view
@require_POST
def member_request_decide(request, pk, request_pk):
    community = get_community(pk)
    kinds = decidable_kinds(request.user, community)
    if not kinds:
        refuse(request.user, community)
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
