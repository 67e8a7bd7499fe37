"""What the discussions' pages share: the refusal page, the space of a page (404 for whoever
may not read its discussions), the breadcrumbs, and the link to a reply on its topic's page."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from cms import access, locales
from cms.refusals import render_refusal

from .. import permissions, services
from ..models import Reply

Action = permissions.Action

#: Top-level threads per page of a topic (``reply_url`` computes the page of a reply).
THREADS_PER_PAGE = 20


# --- Helpers ------------------------------------------------------------------------------------


def _refused(request, message, community=None):
    """403 with the portal's refusal page."""
    return render_refusal(request, message, community=community)


def _space_or_404(request, space_id):
    space = services.space_page(space_id)
    if space is None or not access.can(request.user, Action.READ_DISCUSSIONS, space):
        raise Http404
    return space


def _topic_or_404(request, pk):
    try:
        return services.get_topic(request.user, pk)
    except services.NotFound as exc:
        raise Http404 from exc


def _localized(page, request):
    """The translation of ``page`` in the active language (for titles and links), if live."""
    try:
        locale = locales.get_active()
    except Locale.DoesNotExist:
        return page
    if page.locale_id == locale.pk or translation.get_language() is None:
        return page
    translated = page.get_translation_or_none(locale)
    return translated.specific if translated is not None and translated.live else page


def _space_crumbs(request, space, community):
    crumbs = []
    home = community.get_parent().get_parent()
    crumbs.append({"title": _("Home"), "url": _localized(home, request).get_url(request)})
    localized_community = _localized(community, request)
    crumbs.append({"title": localized_community.title, "url": localized_community.get_url(request)})
    if space.pk != community.pk:
        localized_space = _localized(space, request)
        crumbs.append({"title": localized_space.title, "url": localized_space.get_url(request)})
    crumbs.append(
        {
            "title": _("Discussions"),
            "url": reverse("discussions:topic_list", args=[space.pk]),
        }
    )
    return crumbs


def _space_context(request, space):
    community = services.community_of(space)
    return {
        "space": space,
        "space_title": _localized(space, request).title,
        "community": community,
        "is_working_group": space.pk != community.pk,
        "crumbs": _space_crumbs(request, space, community),
    }


def add_field_errors(form, exc):
    """Put a service's ``InvalidInput`` messages on ``form``'s fields when it names them (the
    attachments, next to their field); the message for the top of the form otherwise."""
    error_dict = getattr(exc, "error_dict", None)
    if not error_dict or not all(name in form.fields for name in error_dict):
        return exc.message
    for name, errors in error_dict.items():
        form.add_error(name, errors)
    return None


def _status_for(exc):
    return getattr(exc, "status", 400)


def reply_url(topic, reply):
    """The topic page that shows ``reply``'s thread, anchored at the reply."""
    before = Reply.objects.filter(topic=topic, level=0, thread_id__lt=reply.thread_id).count()
    page = before // THREADS_PER_PAGE + 1
    url = topic.get_absolute_url()
    if page > 1:
        url += f"?page={page}"
    return f"{url}#r{reply.pk}"
