""" "Sondaggi da compilare" in La mia area: the open questionnaires addressed to the member, with
their drafts, and those they already answered (editable until the close unless anonymous)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.cache import mark_private

from ..selectors import my_surveys


@login_required
@require_GET
def my_questionnaires(request):
    mark_private(request)
    context = {"page_title": _("Questionnaires to answer"), **my_surveys(request.user)}
    return render(request, "surveys/my_surveys.html", context)


urlpatterns = [
    path("la-mia-area/sondaggi/", my_questionnaires, name="my_surveys"),
]
