"""What the questionnaires add to Wagtail: a questionnaire with responses is withdrawn from
publication, never deleted (its answers and results would go with it); the page of a
questionnaire is never stored by a shared cache when it shows a member's state, or when its
state (opening, close) changes before a stored copy would expire; the number of responses in the
admin is left to the results (``surveys.views.results``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.cache import mark_private

from .models import Response, SurveyPage

REFUSE_DELETE = _("It already has responses: withdraw it from publication instead of deleting it.")


def pages_with_responses(pages) -> list:
    """The questionnaires among ``pages`` and their descendants that have responses (the
    responses belong to the default-language page: a translation may go)."""
    found = []
    for page in pages:
        subtree = SurveyPage.objects.descendant_of(page, inclusive=True)
        if Response.objects.filter(survey__in=subtree).exists():
            found.append(page)
    return found


@hooks.register("before_delete_page")
def refuse_deleting_answered_surveys(request, page):
    if pages_with_responses([page]):
        messages.error(request, f"{page.get_admin_display_title()}: {REFUSE_DELETE}")
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_answered_surveys(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    answered = pages_with_responses(objects)
    if not answered:
        return None
    for page in answered:
        messages.error(request, f"{page.get_admin_display_title()}: {REFUSE_DELETE}")
    return redirect(request.GET.get("next") or "wagtailadmin_home")


@hooks.register("before_serve_page")
def keep_survey_pages_private(page, request, serve_args, serve_kwargs):
    """A member's questionnaire page shows their draft and their response: never shared (the
    portal's middleware already sends signed-in pages ``private, no-store``: this says it for
    the page itself). A visitor's copy is not stored either when the questionnaire opens or
    closes before it would expire (it would go on saying "open")."""
    if not isinstance(page, SurveyPage):
        return None
    if request.user.is_authenticated:
        mark_private(request)
        return None
    horizon = timezone.now() + datetime.timedelta(seconds=settings.PAGE_CACHE_TIMEOUT)
    opens_soon = page.not_yet_open and page.opens_at <= horizon
    closes_soon = not page.is_closed and page.closes_at <= horizon
    if opens_soon or closes_soon:
        mark_private(request)
    return None
