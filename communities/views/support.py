"""The support team's domain experts on the site: a member applies from the community page
(``apply``); the coordinator answers the applications from the management pages (``manage``,
``decide``). Everything goes through ``communities.services`` (limit, 409s, notices)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cms import access
from cms.errors import Conflict, message_of
from cms.refusals import render_refusal

from .. import services
from ..models import SupportApplication
from ..permissions import Action
from ..quick_actions import quick_actions
from .manage import get_community, manage_view, refuse


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=gettext_lazy("Your motivation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Your field of expertise and what you would bring to the community (at most 2000 "
            "characters)."
        ),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the applicant"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _form_errors(form, error):
    if hasattr(error, "message_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, message_of(error))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    community = get_community(pk)
    user = request.user
    if not access.can(user, Action.APPLY_SUPPORT, community):
        return render_refusal(
            request,
            _("Only the participants of this community apply to its support team."),
            community=community,
        )
    if services.pending_application(user, community) is not None:
        return render_refusal(
            request,
            _("You have already applied: the coordinator will answer you."),
            status=409,
            title=_("Your application is pending"),
            community=community,
        )
    form = ApplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.apply_support(user, community, form.cleaned_data["motivation"])
            except PermissionDenied as error:
                return render_refusal(request, message_of(error), community=community)
            except Conflict as error:
                return render_refusal(request, message_of(error), status=409, community=community)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your application has been sent to the coordinator of %(community)s.")
                    % {"community": community.title},
                )
                return redirect(community.url or "/")
    return render(
        request,
        "communities/support_apply.html",
        {
            "community": community,
            "form": form,
            "page_title": _("Apply to the support team"),
            "experts_max": services.experts_max(),
        },
        status=status,
    )


@manage_view
def manage(request, pk):
    community = get_community(pk)
    user = request.user
    if not access.can(user, Action.MANAGE_SUPPORT_TEAM, community):
        refuse(user, community)
    rows = list(services.support.applications(community)[:100])
    return render(
        request,
        "communities/manage/support.html",
        {
            "community": community,
            "pending": [row for row in rows if row.status == SupportApplication.Status.PENDING],
            "decided": [row for row in rows if row.status != SupportApplication.Status.PENDING],
            "experts": services.support.experts_count(community),
            "experts_max": services.experts_max(),
            "form": DecisionForm(),
            "quick_actions": quick_actions(user, community),
            "page_title": _("Support team"),
        },
    )


@manage_view
@require_POST
def decide(request, pk):
    application = get_object_or_404(SupportApplication.objects.select_related("community"), pk=pk)
    community = application.community
    user = request.user
    if not access.can(user, Action.MANAGE_SUPPORT_TEAM, community):
        refuse(user, community)
    form = DecisionForm(request.POST)
    back = reverse("communities:manage_support", args=[community.pk])
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect(back)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_support_application(user, application, accept, form.cleaned_data["note"])
    except Conflict as error:
        return render_refusal(
            request, message_of(error), status=409, community=community, manage=True
        )
    messages.success(
        request,
        _("The application was accepted.") if accept else _("The application was refused."),
    )
    return redirect(back)
