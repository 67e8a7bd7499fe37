"""The member's own profile: view and edit, consents, own-data export, account deletion."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .export import export_user_data
from .forms import ProfileForm
from .models import Consent, User


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
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"community-comuni-digitali-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@transaction.atomic
def anonymise_user(user):
    """Delete an account by anonymising it: personal data goes, the row stays so that what the
    member wrote (topics, replies) keeps its author reference, shown as a deleted account."""
    user.username = f"deleted-{uuid.uuid4()}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.fiscal_number = None
    user.contact_email = ""
    user.phone = ""
    user.office = ""
    user.position = ""
    user.show_in_directory = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    Consent.objects.filter(user=user).delete()
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """GET: the confirmation page. POST: anonymise the account and sign out."""
    if request.method == "POST":
        user = User.objects.get(pk=request.user.pk)
        anonymise_user(user)
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
