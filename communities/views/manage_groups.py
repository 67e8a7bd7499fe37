"""The management pages of a community's working groups: create and edit a group, invite
designated participants, answer join requests, name the group's coordinator. The gate and the
rules are in ``communities.views.manage``."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import access

from .. import services
from ..forms import GroupCoordinatorForm, InviteForm, WorkingGroupForm
from ..models import CommunityAreaPage, Membership, WorkingGroupMembership, WorkingGroupPage
from ..permissions import Action
from .manage import get_community, get_group, manage_view, refuse

logger = logging.getLogger("communities.manage")

WGStatus = WorkingGroupMembership.Status


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
    community = get_community(pk)
    if not access.can(request.user, Action.CREATE_WORKING_GROUP, community):
        refuse(request.user, community)
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
    group, community = get_group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        refuse(request.user, community)
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
    open_members = WorkingGroupMembership.objects.open().of(group).values("user_id")
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
        WorkingGroupMembership.objects.open()
        .filter(group=group)
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
    group, community = get_group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        refuse(request.user, community)
    return _render_group(request, group, community)


@manage_view
@require_POST
def group_invite(request, pk):
    group, community = get_group(pk)
    if not access.can(request.user, Action.INVITE_TO_WORKING_GROUP, group):
        refuse(request.user, community)
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
    group, community = get_group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        refuse(request.user, community)
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
    group, community = get_group(pk)
    if not access.can(request.user, Action.MANAGE_WORKING_GROUP, group):
        refuse(request.user, community)
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
