"""The member's own profile: view and edit, consents, own-data export, account deletion."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms import audit

from ..erasure import erase_user
from ..export import export_user_data
from ..forms import ProfileForm
from ..gdpr import account_label
from ..models import User


@never_cache
@login_required
def profile(request):
    user = request.user
    member = bool(user.fiscal_number)
    form = None
    if member:
        if request.method == "POST":
            form = ProfileForm(request.POST, instance=user)
            if form.is_valid():
                form.save()
                messages.success(request, _("Your profile has been saved."))
                return redirect("membership:profile")
        else:
            form = ProfileForm(instance=user)
    context = {
        "form": form,
        "member": member,
        "profile_user": user,
        "ente": user.ente,
        "consents": list(user.consents.all()),
        "page_title": _("Your profile"),
    }
    return render(request, "membership/profile.html", context)


@never_cache
@login_required
def data_export(request):
    """All the data the portal holds about the signed-in user, as a JSON download."""
    data = export_user_data(request.user)
    audit.record(
        "membership.data_export",
        request.user,
        actor=request.user,
        title=account_label(request.user.pk),
    )
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"community-comuni-digitali-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """GET: the confirmation page. POST: erase the member's data (``membership.erasure``: every
    app's eraser, the account row anonymised last) and sign out."""
    if request.method == "POST":
        user = User.objects.get(pk=request.user.pk)
        erase_user(user)
        logout(request)
        messages.success(
            request, _("Your account has been deleted. Thank you for taking part in the Community.")
        )
        return redirect("/")
    return render(
        request,
        "membership/delete_account.html",
        {"page_title": _("Delete your account")},
    )
