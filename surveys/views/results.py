"""A questionnaire's results page, its free-text answers and its exports (``/questionari/``).

Who sees the results: ``permissions.may_view_results`` (the managers always; the respondents
after the close when the questionnaire says so; everyone after the close when the results are
public). Someone who may not see the questionnaire's page learns nothing of it (404), unless its
results are public; a visitor who is not signed in but may see the page is sent to sign in;
anyone else gets a 403 that says when the results are shown. Only the managers export
(``manage_survey``).

The results are private (``no-store``) except the public summary of a questionnaire whose page
is not restricted, shown to a visitor who is not signed in: it is sent ``public`` with the page
cache's short ``max-age`` (the page cache itself stores Wagtail pages only; a closed
questionnaire's results no longer change).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import access
from cms.cache import mark_private, mark_public
from cms.errors import Refused
from cms.refusals import render_refusal

from .. import exports, services
from .. import results as r
from ..definition import question_map
from ..models import SurveyPage
from ..permissions import Action, may_view_results, results_are_public


class _LoginFirst(Exception):
    pass


def _survey_or_404(pk) -> SurveyPage:
    page = SurveyPage.objects.live().filter(pk=pk).first()
    if page is None:
        raise Http404
    return page


def _viewable(request, pk) -> SurveyPage:
    """The questionnaire ``pk`` if the visitor may see its results; 404 if they may not see it
    at all; ``_LoginFirst`` or ``Refused`` otherwise."""
    user = request.user
    page = _survey_or_404(pk)
    if may_view_results(user, page):
        return page
    if not access.can_view_page(user, page):
        raise Http404
    if not user.is_authenticated:
        raise _LoginFirst
    raise Refused(_refusal_message(page))


def _refusal_message(page: SurveyPage) -> str:
    if page.results_visibility == SurveyPage.Results.MANAGERS:
        return _("The results of this questionnaire are shown only to who manages it.")
    if page.results_visibility == SurveyPage.Results.RESPONDENTS and page.is_closed:
        return _("The results of this questionnaire are shown to who answered it.")
    return _("The results of this questionnaire will be shown after its close.")


def _guarded(view):
    """Run ``view(request, page, ...)`` for a visitor who may see the results."""

    def wrapper(request, pk, *args, **kwargs):
        try:
            page = _viewable(request, pk)
        except _LoginFirst:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        except Refused as error:
            mark_private(request)
            return render_refusal(request, error.user_message, status=403)
        public = (
            not request.user.is_authenticated
            and results_are_public(page)
            and not access.is_restricted(page)
        )
        if not public:
            mark_private(request)
        response = view(request, page, *args, **kwargs)
        if public and response.status_code == 200:
            mark_public(response)
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _context(request, page: SurveyPage) -> dict:
    user = request.user
    localized = page.localized
    manager = access.can(user, Action.MANAGE_SURVEY, page)
    form = r.filter_form(page, request.GET)
    return {
        "survey": page,
        "localized": localized,
        "labels": services.translated_labels(localized),
        "manager": manager,
        "form": form,
        "filters": form.filters,
        "query": request.GET.urlencode() if form.filters else "",
        "page_title": _("Results: %(title)s") % {"title": localized.title},
    }


@require_GET
@_guarded
def results(request, page):
    context = _context(request, page)
    context["results"] = r.survey_results(
        page, context["filters"], manager=context["manager"], labels=context["labels"]
    )
    status = 400 if context["form"].errors else 200
    return render(request, "surveys/results.html", context, status=status)


@require_GET
@_guarded
def text_answers(request, page, key):
    context = _context(request, page)
    definition = r.current_definition(page)
    question = question_map(definition or {"sections": []}).get(key)
    if question is None:
        raise Http404
    display = r.display_question(question, context["labels"])
    filters = context["filters"]
    count = r.respondents(page, filters)
    suppressed = count < r.min_group() and (bool(filters) or not context["manager"])
    answers = None
    if not suppressed:
        answers = Paginator(r.text_answers(page, key, filters), r.TEXTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    context.update(
        {
            "question": display,
            "answers": answers,
            "suppressed": suppressed,
            "respondents": count,
            "min_group": r.min_group(),
            "page_title": _("Answers to “%(label)s”") % {"label": display["label"]},
        }
    )
    return render(request, "surveys/results_texts.html", context)


# --- exports ------------------------------------------------------------------------------------


def _managed(request, pk) -> SurveyPage:
    page = _survey_or_404(pk)
    if not access.can_view_page(request.user, page):
        raise Http404
    if not request.user.is_authenticated:
        raise _LoginFirst
    if not access.can(request.user, Action.MANAGE_SURVEY, page):
        raise Refused(_("Only who manages this questionnaire can export its answers."))
    return page


def _export(request, pk, kind: str):
    try:
        page = _managed(request, pk)
    except _LoginFirst:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    except Refused as error:
        mark_private(request)
        return render_refusal(request, error.user_message, status=403)
    mark_private(request)
    form = r.filter_form(page, request.GET)
    name = f"risultati-{slugify(page.survey.slug)[:60] or page.pk}.{kind}"
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        exports.write_csv(response, page, form.filters)
    else:
        response = HttpResponse(exports.xlsx_bytes(page, form.filters), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def export_csv(request, pk):
    return _export(request, pk, "csv")


@require_GET
def export_xlsx(request, pk):
    return _export(request, pk, "xlsx")


urlpatterns = [
    path("<int:pk>/risultati/", results, name="results"),
    path("<int:pk>/risultati/risposte/<str:key>/", text_answers, name="text_answers"),
    path("<int:pk>/esportazione.csv", export_csv, name="export_csv"),
    path("<int:pk>/esportazione.xlsx", export_xlsx, name="export_xlsx"),
]
