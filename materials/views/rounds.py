"""The validation rounds on the site: opening one on a version, the round's page (reading the
version, answering, following the progress, closing, withdrawing, publishing or sending back)
and "Validazioni" in La mia area.

The rules are the services' (``materials.services``, which ask ``cms.access``): a round is seen
by whoever may read its version (``view_material_version``: every participant of the community
once it is submitted) or follow it (``follow_validation``), and is a 404 for anyone else
(nothing is disclosed); a visitor is sent to sign in. Refusals render the portal's refusal page
(403, or 409 for the state); bad input re-renders the form with everything typed kept (400), and
an answer refused for the round's state (closed, past its deadline, already answered) shows the
message with the text the member wrote (409).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms import access, errors
from cms.cache import mark_private
from cms.refusals import render_refusal
from membership.forms import PortalFormMixin

from .. import services
from ..forms import RoundOpenForm
from ..models import DocumentVersion, RoundAnswer, ValidationRound
from ..permissions import Action

# --- forms --------------------------------------------------------------------------------------


class _Form(PortalFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class AnswerForm(_Form):
    """A participant's answer; the comment is required for "with comments" and "changes"."""

    verdict = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=RoundAnswer.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose your answer.")},
    )
    comment = forms.CharField(
        label=pgettext_lazy("form field", "Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Required if you approve with comments (write them) or ask for changes (say what "
            "should change and why)."
        ),
    )


class SendBackForm(_Form):
    comment = forms.CharField(
        label=gettext_lazy("Why (for the working group)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _add_errors(form, error) -> None:
    """The service's messages by field next to the fields (the others in the summary)."""
    for name, field_errors in getattr(error, "message_dict", {}).items():
        target = name if name in form.fields else None
        for text in field_errors:
            if text not in form.errors.get(target or "__all__", []):
                form.add_error(target, text)


# --- helpers ------------------------------------------------------------------------------------


def _to_login(request):
    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


def _round_or_404(request, pk) -> ValidationRound:
    round_ = (
        ValidationRound.objects.select_related(
            "document__community",
            "document__working_group",
            "version__author",
            "page",
            "opened_by",
        )
        .filter(pk=pk)
        .first()
    )
    user = request.user
    if round_ is None or not (
        access.can(user, Action.VIEW_MATERIAL_VERSION, round_.version)
        or access.can(user, Action.FOLLOW_VALIDATION, round_)
    ):
        raise Http404
    return round_


def _round_url(round_) -> str:
    return reverse("materials:round", args=[round_.pk])


def _refusal(request, error, round_=None, community=None):
    status = errors.http_status(error)
    if status == 404:
        raise Http404
    links = [{"url": _round_url(round_), "label": _("Back to the validation")}] if round_ else []
    return render_refusal(
        request,
        errors.message_of(error),
        status=status,
        title=_("Not possible") if status == 409 else None,
        links=links,
        community=community or (round_.document.community if round_ else None),
    )


def _crumbs(request, document, last_title):
    community = document.community
    group = document.working_group
    crumbs = [
        {"title": community.title, "url": community.get_url(request)},
        {"title": group.title, "url": group.get_url(request)},
    ]
    if access.can(request.user, Action.VIEW_MATERIALS, group):
        crumbs.append(
            {"title": _("Documents"), "url": reverse("materials:workspace", args=[group.pk])}
        )
    crumbs.append({"title": last_title, "url": None})
    return crumbs


# --- opening a round ----------------------------------------------------------------------------


def render_open_form(request, version, form, *, status=200, error=""):
    """The "Open the validation" form of ``version`` (its own page: the version's page shows
    the same include), with the errors and what was typed."""
    mark_private(request)
    document = version.document
    context = {
        "version": version,
        "document": document,
        "round_form": form,
        "error": error,
        "crumbs": _crumbs(request, document, _("Open the validation")),
        "page_title": _("Open the validation"),
    }
    return render(request, "materials/round_open.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def round_open(request, pk):
    """GET: the form; POST: ``services.open_round``, then the round's page."""
    if not request.user.is_authenticated:
        return _to_login(request)
    version = (
        DocumentVersion.objects.select_related("document__community", "document__working_group")
        .filter(pk=pk)
        .first()
    )
    if version is None or not access.can(request.user, Action.VIEW_MATERIAL_VERSION, version):
        raise Http404
    mark_private(request)
    if not access.can(request.user, Action.OPEN_VALIDATION, version.document):
        return _refusal(
            request,
            errors.Refused(
                _(
                    "Only the working group's coordinator and the community's coordinator open "
                    "a round."
                )
            ),
            community=version.document.community,
        )
    if request.method != "POST":
        return render_open_form(request, version, RoundOpenForm())
    form = RoundOpenForm(request.POST)
    if not form.is_valid():
        return render_open_form(request, version, form, status=400)
    data = form.cleaned_data
    try:
        round_ = services.open_round(
            request.user,
            version,
            deadline=data["deadline"],
            quorum_percent=data["quorum_percent"],
            majority=data["majority"],
            instructions=data["instructions"],
        )
    except errors.Conflict as error:
        return render_open_form(request, version, form, status=409, error=errors.message_of(error))
    except errors.Invalid as error:
        _add_errors(form, error)
        return render_open_form(request, version, form, status=400)
    except errors.ServiceError as error:
        return _refusal(request, error, community=version.document.community)
    messages.success(
        request,
        _("The validation is open until %(date)s: the participants are invited to answer.")
        % {"date": timezone.localtime(round_.deadline).strftime("%d/%m/%Y %H:%M")},
    )
    return HttpResponseRedirect(_round_url(round_), status=303)


# --- the round's page ---------------------------------------------------------------------------


def _version_content(version) -> dict:
    if version.body:
        from discussions.markdown import render as render_markdown

        return {"text_html": render_markdown(version.body)}
    if version.file:
        return {"file_url": reverse("materials:version_file", args=[version.pk])}
    return {}


def render_round(
    request, round_, *, status=200, answer_form=None, problem="", kept=None, send_back_form=None
):
    """The round's page for ``request.user`` (what they may do on it), with ``status``."""
    mark_private(request)
    user = request.user
    document, version = round_.document, round_.version
    can_answer = access.can(user, Action.ANSWER_VALIDATION, round_)
    can_follow = access.can(user, Action.FOLLOW_VALIDATION, round_)
    can_withdraw = round_.is_open and access.can(user, Action.OPEN_VALIDATION, round_)
    can_publish = access.can(user, Action.PUBLISH_MATERIAL, round_)
    my_answer = RoundAnswer.objects.filter(round=round_, user=user).first() if can_answer else None
    sent_back = (round_.outcome or {}).get("sent_back")
    awaiting_publication = (
        round_.status == ValidationRound.Status.APPROVED
        and round_.published_at is None
        and not sent_back
    )
    context = {
        "round": round_,
        "document": document,
        "version": version,
        "community": document.community,
        "crumbs": _crumbs(
            request, document, _("Validation of %(version)s") % {"version": version.label}
        ),
        "page_title": _("Validation: %(title)s") % {"title": document.title},
        "rule_text": round_.rule_text(),
        "can_answer": can_answer,
        "my_answer": my_answer,
        "show_answer_form": can_answer and round_.accepts_answers and my_answer is None,
        "answer_form": answer_form or AnswerForm(),
        "problem": problem,
        "kept": kept,
        "can_follow": can_follow,
        "can_close": can_follow and round_.is_open,
        "can_withdraw": can_withdraw,
        "can_publish": can_publish and awaiting_publication,
        "send_back_form": send_back_form or SendBackForm(),
        "sent_back": sent_back,
        "outcome": round_.outcome if not round_.is_open else None,
        "public_page": round_.page
        if round_.published_at and round_.page and round_.page.live
        else None,
        "can_view_workspace": access.can(user, Action.VIEW_MATERIALS, document),
        **_version_content(version),
    }
    if can_follow:
        context["tally"] = round_.tally() if round_.is_open else None
        context["answers"] = list(
            round_.answers.select_related("user").order_by("created_at", "pk")
        )
    return render(request, "materials/round.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def round_detail(request, pk):
    """The round's page; POST is a participant's answer (``services.answer_round``)."""
    if not request.user.is_authenticated:
        return _to_login(request)
    round_ = _round_or_404(request, pk)
    if request.method != "POST":
        return render_round(request, round_)
    mark_private(request)
    kept = {
        "verdict": request.POST.get("verdict", ""),
        "comment": request.POST.get("comment") or "",
    }
    try:
        services.answer_round(request.user, round_, kept["verdict"], kept["comment"])
    except errors.Conflict as error:
        return render_round(
            request, round_, status=409, problem=errors.message_of(error), kept=kept
        )
    except errors.Invalid as error:
        # The service decides (its messages, its order); the form shows them next to the
        # fields, the service's message replacing the form's own for the same field.
        form = AnswerForm(request.POST)
        form.is_valid()
        for name in getattr(error, "message_dict", {}):
            if name in form.errors:
                del form.errors[name]
        _add_errors(form, error)
        return render_round(request, round_, status=400, answer_form=form)
    except errors.ServiceError as error:
        return _refusal(request, error, round_)
    messages.success(request, _("Thank you: your answer has been recorded."))
    return HttpResponseRedirect(_round_url(round_), status=303)


def _act(request, pk, act, done_message):
    if not request.user.is_authenticated:
        return _to_login(request)
    round_ = _round_or_404(request, pk)
    mark_private(request)
    try:
        result = act(round_)
    except errors.ServiceError as error:
        return _refusal(request, error, round_)
    messages.success(request, done_message(result))
    return HttpResponseRedirect(_round_url(round_), status=303)


@require_POST
def round_close(request, pk):
    def done(round_):
        if round_.status == ValidationRound.Status.APPROVED:
            return _("The validation is closed: the version is approved.")
        return _("The validation is closed: the version is not approved.")

    return _act(request, pk, lambda r: services.close_round(r, user=request.user), done)


@require_POST
def round_cancel(request, pk):
    return _act(
        request,
        pk,
        lambda r: services.cancel_round(request.user, r),
        lambda r: _("The round has been withdrawn."),
    )


@require_POST
def round_publish(request, pk):
    return _act(
        request,
        pk,
        lambda r: services.publish(request.user, r),
        lambda page: _("Published in Risorse: %(title)s.") % {"title": page.title},
    )


@require_POST
def round_send_back(request, pk):
    if not request.user.is_authenticated:
        return _to_login(request)
    round_ = _round_or_404(request, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return render_round(request, round_, status=400, send_back_form=form)
    return _act(
        request,
        pk,
        lambda r: services.send_back(request.user, r, comment=form.cleaned_data["comment"]),
        lambda r: _("The version has been sent back to the working group."),
    )


# --- La mia area > Validazioni ------------------------------------------------------------------


def _rounds():
    return ValidationRound.objects.select_related(
        "document__community", "document__working_group", "version"
    ).annotate(answer_count=Count("answers"))


def my_rounds_context(user) -> dict:
    """``to_answer`` (open rounds of my communities waiting for my answer, deadline first),
    ``answered`` (my answers, newest first) and ``followed`` (the rounds I follow: open and
    waiting for publication first, then the latest closed)."""
    from communities.models import Membership, WorkingGroupMembership

    now = timezone.now()
    member_of = Membership.objects.active().filter(user=user, role__in=Membership.MEMBER_ROLES)
    answered_ids = RoundAnswer.objects.filter(user=user).values("round_id")
    candidates = (
        _rounds()
        .open()
        .filter(
            deadline__gt=now,
            document__community__translation_key__in=member_of.values("community__translation_key"),
        )
        .exclude(pk__in=answered_ids)
        .order_by("deadline", "pk")
    )
    to_answer = [r for r in candidates if access.can(user, Action.ANSWER_VALIDATION, r)]
    answered = list(
        RoundAnswer.objects.filter(user=user)
        .select_related("round__document__community", "round__version")
        .order_by("-created_at", "-pk")[:50]
    )
    followed = []
    if user.is_superuser or access.is_staff(user):
        followed_qs = _rounds()
    else:
        managed = (
            Membership.objects.active()
            .managers()
            .filter(user=user)
            .values("community__translation_key")
        )
        coordinated = (
            WorkingGroupMembership.objects.active()
            .filter(user=user, role=WorkingGroupMembership.Role.COORDINATOR)
            .values("group__translation_key")
        )
        followed_qs = _rounds().filter(
            Q(document__community__translation_key__in=managed)
            | Q(document__working_group__translation_key__in=coordinated)
        )
    pending = Q(status=ValidationRound.Status.OPEN) | Q(
        status=ValidationRound.Status.APPROVED, published_at__isnull=True
    )
    followed = [
        r
        for r in list(followed_qs.filter(pending).order_by("deadline", "pk")[:100])
        + list(followed_qs.exclude(pending).order_by("-closed_at", "-pk")[:20])
        if access.can(user, Action.FOLLOW_VALIDATION, r)
    ]
    return {"to_answer": to_answer, "answered": answered, "followed": followed}


@login_required
@require_GET
def my_rounds(request):
    mark_private(request)
    context = {"page_title": _("Validations"), **my_rounds_context(request.user)}
    return render(request, "materials/my_rounds.html", context)
