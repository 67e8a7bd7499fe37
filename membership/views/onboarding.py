"""First access is the registration: ``/registrazione/``.

A member who has never completed the profile sees the whole form (acceptances + profile); a
member who only has to accept a new version of the rules or the privacy notice sees just that.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..forms import ConsentForm, OnboardingForm
from ..registration import (
    SESSION_KEY,
    current_versions,
    is_member,
    missing_consents,
    portal_settings,
    record_consents,
)


def safe_next(request, default="/"):
    """The relative URL the member was going to, or ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
        and not target.startswith(reverse("membership:onboarding"))
    ):
        return target
    return default


def document_links(request):
    """Links to the rules and privacy pages in the current language."""
    portal = portal_settings(request=request)
    links = {}
    if portal is not None:
        for kind, page in (("rules", portal.rules_page), ("privacy", portal.privacy_page)):
            if page is not None:
                localized = page.localized
                links[kind] = localized.get_url(request)
    return links


@never_cache
@login_required
def onboarding(request):
    user = request.user
    if not is_member(user):
        # Staff accounts do not register: nothing to do here.
        return redirect(safe_next(request))
    versions = current_versions(request)
    missing = missing_consents(user, versions)
    full = user.onboarded_at is None
    if not full and not missing:
        return redirect(safe_next(request))

    form_kwargs = {"consent_kinds": missing, "versions": versions}
    data = request.POST if request.method == "POST" else None
    if full:
        form = OnboardingForm(data, instance=user, **form_kwargs)
    else:
        form = ConsentForm(data, **form_kwargs)

    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if full:
                user = form.save(commit=False)
                user.onboarded_at = timezone.now()
                user.save()
            record_consents(user, missing, versions, request=request)
        request.session[SESSION_KEY] = versions.as_session_value(user)
        if full:
            messages.success(request, _("Welcome to the Community: your registration is complete."))
        else:
            messages.success(request, _("Thank you: your acceptance has been recorded."))
        return redirect(safe_next(request))

    context = {
        "form": form,
        "full": full,
        "versions": versions,
        "links": document_links(request),
        "next": safe_next(request, default=""),
        "page_title": _("Complete your registration") if full else _("Updated documents"),
    }
    return render(request, "membership/onboarding.html", context)
