"""Answering a questionnaire on the site: saving a draft (the "Salva bozza" button, without
JavaScript, and the autosave of ``static/js/surveys.js``), sending, discarding the draft.

The questionnaire is a Wagtail page (``SurveyPage``) served by Wagtail; these views receive its
form. ``pk`` may be any language's page: the services attach the answers to ``page.survey``.
A page that does not exist, is not live or is not visible to the user is a 404 (nothing is
disclosed); the services answer the rest (403 outside the audience, 409 for the state, 400 with
the form for answers that do not validate, the draft saved first). What was typed is never lost:
a refused send re-renders the page with the bound form.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import access, errors
from cms.cache import mark_private
from cms.refusals import render_refusal

from .. import selectors, services
from ..models import SurveyPage

#: The fragment of the page where the answering box starts.
ANCHOR = "#rispondi"


def survey_or_404(request, pk) -> SurveyPage:
    """The live questionnaire ``pk`` if the user may see it; 404 otherwise."""
    page = SurveyPage.objects.live().filter(pk=pk).first()
    if page is None or not access.can_view_page(request.user, page):
        raise Http404
    return page


def _to_login(request, page):
    return redirect_to_login(page.get_url(request) or request.get_full_path(), settings.LOGIN_URL)


def _back(request, page, query=""):
    """303 back to the questionnaire (a POST answered by a GET)."""
    url = (page.get_url(request) or "/") + query + ANCHOR
    return HttpResponseRedirect(url, status=303)


def _saved_at(draft) -> str:
    return timezone.localtime(draft.updated_at).strftime("%H:%M")


def render_page(request, page, *, data, status, message="", error=None):
    """The questionnaire's page with ``data`` in the form (the errors next to the fields and in
    a summary at the top), answered with ``status``."""
    mark_private(request)
    context = page.get_context(request)
    form = selectors.answer_form(request, page, context["box"], data=data)
    if isinstance(error, errors.Invalid) and not isinstance(error, errors.Conflict):
        for name, field_messages in getattr(error, "error_dict", {}).items():
            if name in form.fields:
                for each in field_messages:
                    for text in each.messages:
                        if text not in form.errors.get(name, []):
                            form.add_error(name, text)
        selectors.style_form(form)
        form.sections = selectors.answer_layout(form)
    context["form"] = form
    context["error_summary"] = selectors.error_summary(form) if status == 400 else []
    context["problem"] = message
    return render(request, page.get_template(request), context, status=status)


def _refusal(request, page, error):
    status = errors.http_status(error)
    if status == 404:
        raise Http404
    links = [{"url": page.get_url(request), "label": _("Back to the questionnaire")}]
    title = _("Not possible") if status == 409 else None
    return render_refusal(
        request, errors.message_of(error), status=status, title=title, links=links
    )


@require_POST
def answer(request, pk):
    """``action``: ``draft`` (save what was typed, valid or not) or ``submit`` (send it)."""
    page = survey_or_404(request, pk)
    if not request.user.is_authenticated:
        return _to_login(request, page)
    mark_private(request)
    action = request.POST.get("action", "submit")
    if action == "discard":
        return discard(request, pk)
    try:
        if action == "draft":
            draft = services.save_draft(request.user, page, request.POST)
            messages.success(request, _("Draft saved at %(time)s.") % {"time": _saved_at(draft)})
            return _back(request, page)
        services.submit(request.user, page, request.POST)
    except services.SurveyInvalid as error:
        return render_page(
            request,
            page,
            data=request.POST,
            status=400,
            message=_(
                "The answers were not sent: check the questions marked below. "
                "Your answers are saved as a draft."
            ),
            error=error,
        )
    except errors.Conflict as error:
        return render_page(
            request, page, data=request.POST, status=409, message=errors.message_of(error)
        )
    except errors.Invalid as error:  # a draft value too long to keep
        return render_page(
            request,
            page,
            data=request.POST,
            status=400,
            message=errors.message_of(error),
            error=error,
        )
    except errors.ServiceError as error:
        return _refusal(request, page, error)
    # The page thanks them (``?inviato=1``: the questionnaire's own message, in the box).
    return _back(request, page, "?inviato=1")


@require_POST
def autosave(request, pk):
    """The autosave of ``surveys.js``: JSON ``{"saved_at": "HH:MM"}``, or ``{"message"}`` with
    the error's status."""
    try:
        page = survey_or_404(request, pk)
    except Http404:
        return JsonResponse({"message": _("Questionnaire not found.")}, status=404)
    mark_private(request)
    if not request.user.is_authenticated:
        return JsonResponse(
            {"message": _("Sign in again to keep saving your answers.")}, status=403
        )
    try:
        draft = services.save_draft(request.user, page, request.POST)
    except errors.ServiceError as error:
        return JsonResponse(
            {"message": errors.message_of(error), "code": error.code},
            status=errors.http_status(error),
        )
    return JsonResponse({"saved_at": _saved_at(draft)})


@require_POST
def discard(request, pk):
    page = survey_or_404(request, pk)
    if not request.user.is_authenticated:
        return _to_login(request, page)
    mark_private(request)
    if services.discard_draft(request.user, page):
        messages.success(request, _("Your draft has been deleted."))
    else:
        messages.info(request, _("There was no draft to delete."))
    return _back(request, page)


urlpatterns = [
    path("<int:pk>/risposta/", answer, name="answer"),
    path("<int:pk>/bozza/", autosave, name="autosave"),
    path("<int:pk>/bozza/elimina/", discard, name="discard"),
]
