"""A campaign for the members of an Ente: its page (what it is, its dates and extensions, the
member's state: ask to compile, pending, compiler, sent), the referent's decisions on colleagues'
requests, and compiling the Ente's questionnaire in the shared draft.

Every permission question goes to ``cms.access`` and every write to ``mappa.services``; the
questionnaire is the survey engine's form (``surveys.selectors.answer_form``) with its question
includes and its script (``static/js/surveys.js``, autosaving to this app's endpoint). Refusals:
403 (not a compiler), 409 (no Ente in the profile, closed, already sent, decided), 404 (an
unknown campaign or request); invalid input: 400 with the errors next to the fields and
everything typed kept (the questionnaire's answers in the Ente's shared draft).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cms import access, errors
from cms.cache import mark_private
from cms.refusals import render_refusal
from cms.templatetags.portal_tags import human_date
from membership import registration
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.definition import questions

from .. import emails, permissions, services
from ..forms import AccreditationForm, DecisionForm
from ..models import Accreditation, Campaign, DraftChange
from ..permissions import Action

#: How many of the shared draft's last changes the campaign page lists.
CHANGES_SHOWN = 10


# --- helpers ----------------------------------------------------------------------------------


def get_campaign(slug) -> Campaign:
    """The campaign ``slug`` whose questionnaire is live (404 otherwise: nothing disclosed)."""
    campaign = (
        Campaign.objects.select_related("full_survey", "simplified_survey")
        .filter(slug=slug)
        .first()
    )
    if campaign is None or not campaign.full_survey.live:
        raise Http404
    return campaign


def campaign_url(campaign) -> str:
    return reverse("mappa:campaign", args=[campaign.slug])


def _back(campaign) -> list[dict]:
    return [{"url": campaign_url(campaign), "label": _("Back to the campaign")}]


def no_ente_refusal(request):
    """409: the member's profile names no authority (they compile for it)."""
    return render_refusal(
        request,
        _(
            "You compile the questionnaire for your authority: add it to your profile first, "
            "then come back to this page."
        ),
        status=409,
        title=_("Add your authority to your profile"),
        links=[{"url": reverse("membership:profile"), "label": _("Go to your profile")}],
    )


def _unregistered_refusal(request):
    return render_refusal(
        request,
        _("Complete your registration to the Community to compile for your authority."),
        title=_("Registration not completed"),
        links=[{"url": reverse("membership:onboarding"), "label": _("Complete registration")}],
    )


def _member_gate(request):
    """A refusal for a signed-in user who cannot take part at all, or ``None``."""
    user = request.user
    if not registration.is_registered(user) and not access.is_staff(user):
        return _unregistered_refusal(request)
    if user.ente_id is None:
        return no_ente_refusal(request)
    return None


def variant_text(campaign, ente, variant, changed) -> str:
    """Which version the Ente compiles, and why, in words."""
    if variant == Campaign.Variant.SIMPLIFIED:
        text = _(
            "Simplified version for the Comuni under %(threshold)s inhabitants "
            "(%(ente)s: %(population)s inhabitants)."
        ) % {
            "threshold": f"{campaign.simplified_below:,}".replace(",", "."),
            "ente": ente,
            "population": f"{ente.population:,}".replace(",", ".") if ente.population else "–",
        }
    else:
        text = _("Full version.")
        if campaign.simplified_survey_id:
            text = _(
                "Full version (the simplified one is for the Comuni under %(threshold)s "
                "inhabitants)."
            ) % {"threshold": f"{campaign.simplified_below:,}".replace(",", ".")}
    if changed:
        text += " " + _(
            "The population of %(ente)s changed after the draft was started: the draft keeps "
            "the version it was started on."
        ) % {"ente": ente}
    return text


def _labels_by_field(definition) -> dict[str, str]:
    return {f"q_{q['key']}": q["label"] for q in questions(definition)}


def _question_labels(names, labels: dict[str, str]) -> list[str]:
    """The questions a draft change touched (a field name may carry a suffix: ``__other``…)."""
    out = []
    for name in names:
        base = name.split("__", 1)[0]
        label = labels.get(base, name)
        if label not in out:
            out.append(label)
    return out


def _last_changes(draft) -> list[dict]:
    if draft is None:
        return []
    labels = _labels_by_field(draft.version.definition)
    changes = DraftChange.objects.filter(draft=draft).select_related("user")[:CHANGES_SHOWN]
    return [
        {
            "user": change.user,
            "at": change.at,
            "questions": _question_labels(change.changes, labels),
        }
        for change in changes
    ]


# --- the campaign page ------------------------------------------------------------------------


def _campaign_context(request, campaign, *, request_form=None, decision_forms=None) -> dict:
    user = request.user
    ente = user.ente
    now = timezone.now()
    accreditation = permissions.accreditation_of(user, campaign)
    last_decided = None
    if accreditation is None:
        last_decided = (
            Accreditation.objects.filter(
                campaign=campaign,
                user=user,
                status__in=[Accreditation.Status.REFUSED, Accreditation.Status.REVOKED],
            )
            .select_related("decided_by")
            .first()
        )
    submission = services.submission_of(campaign, ente.pk)
    is_compiler = permissions.is_compiler(user, campaign, ente.pk)
    variant, changed = services.variant_for_compiling(campaign, ente)
    context = {
        "page_title": campaign.title,
        "campaign": campaign,
        "ente": ente,
        "extensions": list(campaign.extensions.all()),
        "not_yet_open": now < campaign.opens_at,
        "is_closed": now >= campaign.closes_at,
        "accreditation": accreditation,
        "last_decided": last_decided,
        "submission": submission,
        "may_view_report": submission is not None
        and access.can(user, Action.VIEW_ENTE_REPORT, submission),
        "may_request": access.can(user, Action.REQUEST_ACCREDITATION, campaign)
        and now < campaign.closes_at,
        "request_form": request_form,
        "is_compiler": is_compiler,
        "variant_text": variant_text(campaign, ente, variant, changed),
        "colleagues": [],
        "changes": [],
        "pending": [],
        "draft": None,
    }
    if context["may_request"] and request_form is None:
        context["request_form"] = AccreditationForm()
    if is_compiler:
        context["colleagues"] = list(
            Accreditation.objects.approved()
            .filter(campaign=campaign, ente=ente)
            .select_related("user")
            .order_by("-is_referent", "user__last_name", "user__first_name")
        )
        draft = services.draft_of(campaign, ente.pk)
        if draft is not None:
            draft = type(draft).objects.select_related("updated_by", "version").get(pk=draft.pk)
        context["draft"] = draft
        context["changes"] = _last_changes(draft)
        if permissions.is_referent(user, campaign, ente.pk):
            forms = decision_forms or {}
            context["pending"] = [
                {
                    "request": pending,
                    "form": forms.get(pending.pk) or DecisionForm(prefix=f"r{pending.pk}"),
                }
                for pending in Accreditation.objects.pending()
                .filter(campaign=campaign, ente=ente)
                .exclude(user=user)
                .select_related("user")
                .order_by("requested_at", "pk")
            ]
    return context


def _render_campaign(request, campaign, status=200, **forms):
    mark_private(request)
    context = _campaign_context(request, campaign, **forms)
    return render(request, "mappa/campaign.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def campaign(request, slug):
    """The campaign for a member; POST: ask to compile for one's Ente (the declaration)."""
    campaign = get_campaign(slug)
    refusal = _member_gate(request)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        return _render_campaign(request, campaign)
    form = AccreditationForm(request.POST)
    if not form.is_valid():
        return _render_campaign(request, campaign, status=400, request_form=form)
    try:
        services.request_accreditation(
            request.user,
            campaign,
            authorised_by=form.cleaned_data["authorised_by"],
            authorisation_date=form.cleaned_data["authorisation_date"],
            declaration=form.cleaned_data["declaration"],
        )
    except errors.Conflict as error:
        return render_refusal(
            request,
            errors.message_of(error),
            status=409,
            title=_("Request not possible"),
            links=_back(campaign),
        )
    except errors.Invalid as error:
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
        return _render_campaign(request, campaign, status=400, request_form=form)
    except errors.Refused as error:
        return render_refusal(request, errors.message_of(error), links=_back(campaign))
    messages.success(
        request,
        _("Your request was sent: the referent of your authority or the staff will decide."),
    )
    return HttpResponseRedirect(campaign_url(campaign), status=303)


@never_cache
@login_required
@require_POST
def decide(request, slug, pk):
    """The referent (or staff) approve or refuse a colleague's request from the campaign page."""
    campaign = get_campaign(slug)
    user = request.user
    accreditation = get_object_or_404(
        Accreditation.objects.select_related("user", "ente", "campaign"),
        pk=pk,
        campaign=campaign,
    )
    staff = user.is_superuser or access.is_staff(user)
    if not staff and accreditation.ente_id != user.ente_id:
        raise Http404  # another Ente's request: not disclosed
    refusal = _member_gate(request)
    if refusal is not None:
        return refusal
    if not access.can(user, Action.DECIDE_ACCREDITATION, accreditation):
        return render_refusal(
            request,
            _("Only staff and the authority's referent decide on compilers."),
            links=_back(campaign),
        )
    form = DecisionForm(request.POST, prefix=f"r{accreditation.pk}")
    if not form.is_valid():
        return _render_campaign(
            request, campaign, status=400, decision_forms={accreditation.pk: form}
        )
    approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
    try:
        decided = services.decide_accreditation(
            user, accreditation, approve, form.cleaned_data["reason"]
        )
    except errors.Conflict as error:
        return render_refusal(
            request,
            errors.message_of(error),
            status=409,
            title=_("Already decided"),
            links=_back(campaign),
        )
    except errors.Invalid as error:
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
        return _render_campaign(
            request, campaign, status=400, decision_forms={accreditation.pk: form}
        )
    except errors.Refused as error:
        return render_refusal(request, errors.message_of(error), links=_back(campaign))
    emails.notify_decision(decided)
    name = decided.user.get_full_name()
    if approve:
        messages.success(request, _("%(name)s can now compile.") % {"name": name})
    else:
        messages.success(request, _("The request of %(name)s was refused.") % {"name": name})
    return HttpResponseRedirect(campaign_url(campaign), status=303)


# --- compiling --------------------------------------------------------------------------------


def _compiling_refusal(request, campaign):
    """Why the member cannot compile now (403 / 409), or ``None``."""
    user = request.user
    if not access.can(user, Action.COMPILE_FOR_ENTE, campaign):
        accreditation = permissions.accreditation_of(user, campaign)
        if accreditation is not None and accreditation.status == Accreditation.Status.REQUESTED:
            message = _(
                "Your request to compile for %(ente)s is waiting for a decision of its referent "
                "or of the staff."
            ) % {"ente": user.ente}
        else:
            message = _(
                "Only the accredited compilers of an authority compile for it: ask to compile "
                "from the campaign's page."
            )
        return render_refusal(
            request, message, title=_("You are not a compiler yet"), links=_back(campaign)
        )
    now = timezone.now()
    if now < campaign.opens_at:
        message = _("The campaign opens on %(date)s.") % {
            "date": human_date(timezone.localtime(campaign.opens_at))
        }
    elif now >= campaign.closes_at:
        message = _("The campaign closed on %(date)s: answers are no longer accepted.") % {
            "date": human_date(timezone.localtime(campaign.closes_at))
        }
    else:
        sent = services.submission_of(campaign, user.ente_id)
        if sent is None:
            return None
        message = _("%(name)s already sent the response of %(ente)s on %(date)s.") % {
            "name": sent.submitted_by.get_full_name() if sent.submitted_by else _("A colleague"),
            "ente": user.ente,
            "date": human_date(timezone.localtime(sent.submitted_at)),
        }
        links = _back(campaign)
        if access.can(user, Action.VIEW_ENTE_REPORT, sent):
            links.insert(0, {"url": report_url(campaign), "label": _("Read the report")})
        return render_refusal(request, message, status=409, title=_("Not possible"), links=links)
    return render_refusal(
        request, message, status=409, title=_("Not possible"), links=_back(campaign)
    )


def report_url(campaign) -> str:
    return reverse("mappa:report", args=[campaign.slug])


def _render_compile(request, campaign, *, data=None, status=200, problem="", may_send=True):
    """The questionnaire of the Ente's variant: prefilled from the shared draft, or bound to
    ``data`` (what was just posted) with its errors."""
    mark_private(request)
    user = request.user
    ente = user.ente
    variant, changed = services.variant_for_compiling(campaign, ente)
    page = campaign.survey_for(variant)
    draft = services.draft_of(campaign, ente.pk)
    box = {"state": survey_selectors.ANSWERING, "draft": draft, "participation": None}
    form = survey_selectors.answer_form(request, page, box, data=data)
    context = {
        "page_title": _("Compile: %(campaign)s") % {"campaign": campaign.title},
        "campaign": campaign,
        "ente": ente,
        "page": page,
        "form": form,
        "draft": draft,
        "variant": variant,
        "variant_text": variant_text(campaign, ente, variant, changed),
        "problem": problem,
        "error_summary": survey_selectors.error_summary(form) if status == 400 else [],
        "may_send": may_send,
    }
    return render(request, "mappa/compile.html", context, status=status)


def _saved_at(draft) -> str:
    return timezone.localtime(draft.updated_at).strftime("%H:%M")


def compile_url(campaign) -> str:
    return reverse("mappa:compile", args=[campaign.slug])


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def compile_view(request, slug):
    """GET: the Ente's questionnaire. POST ``action``: ``draft`` (save the shared draft, valid
    or not) or ``submit`` (send the Ente's response)."""
    campaign = get_campaign(slug)
    refusal = _member_gate(request)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        refusal = _compiling_refusal(request, campaign)
        if refusal is not None:
            return refusal
        return _render_compile(request, campaign)
    user = request.user
    action = request.POST.get("action", "submit")
    try:
        if action == "draft":
            draft = services.save_draft(user, campaign, request.POST)
            messages.success(request, _("Draft saved at %(time)s.") % {"time": _saved_at(draft)})
            return HttpResponseRedirect(compile_url(campaign), status=303)
        services.submit(user, campaign, request.POST)
    except survey_services.SurveyInvalid:
        return _render_compile(
            request,
            campaign,
            data=request.POST,
            status=400,
            problem=_(
                "The response was not sent: check the questions marked below. Your answers are "
                "saved in your authority's draft."
            ),
        )
    except errors.Conflict as error:
        # Closed, not open, already sent: what was typed is shown again, not sent.
        return _render_compile(
            request,
            campaign,
            data=request.POST,
            status=409,
            problem=errors.message_of(error),
            may_send=False,
        )
    except errors.Invalid as error:  # a value too long to keep in the draft
        return _render_compile(
            request, campaign, data=request.POST, status=400, problem=errors.message_of(error)
        )
    except errors.Refused:
        return _compiling_refusal(request, campaign) or render_refusal(
            request, _("You cannot compile for this authority."), links=_back(campaign)
        )
    messages.success(
        request,
        _("The response of %(ente)s was sent. Here is its report.") % {"ente": user.ente},
    )
    return HttpResponseRedirect(report_url(campaign), status=303)


@require_POST
def autosave(request, slug):
    """The autosave of ``surveys.js``: ``{"saved_at": "HH:MM"}``, or ``{"message"}`` with the
    error's status."""
    mark_private(request)
    try:
        campaign = get_campaign(slug)
    except Http404:
        return JsonResponse({"message": _("Campaign not found.")}, status=404)
    if not request.user.is_authenticated:
        return JsonResponse(
            {"message": _("Sign in again to keep saving your answers.")}, status=403
        )
    if request.user.ente_id is None:
        return JsonResponse(
            {"message": _("Add your authority to your profile first."), "code": "no_ente"},
            status=409,
        )
    try:
        draft = services.save_draft(request.user, campaign, request.POST)
    except errors.ServiceError as error:
        return JsonResponse(
            {"message": errors.message_of(error), "code": error.code},
            status=errors.http_status(error),
        )
    return JsonResponse({"saved_at": _saved_at(draft)})
