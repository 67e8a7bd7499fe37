from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from communities import access

from .cache import mark_private


@hooks.register("before_serve_page")
def mark_restricted_pages_private(page, request, serve_args, serve_kwargs):
    """Restricted pages must never be stored by a shared cache, whoever is looking."""
    if access.is_restricted(page):
        mark_private(request)


def _refused(request, message, community=None):
    """403 for a signed-in user whom a restriction refuses.

    Wagtail would send them to the sign-in page, which sends signed-in users straight back:
    an endless redirect. Visitors who are not signed in still go to sign in.
    """
    links = []
    if community is not None and access.can(request.user, "join", community):
        links.append(
            {
                "url": reverse("participation:join", args=[community.pk]),
                "label": _("Join the community"),
            }
        )
    response = render(
        request,
        "communities/refused.html",
        {
            "page_title": _("Access not allowed"),
            "message": message,
            "links": links,
            "community": community,
        },
        status=403,
    )
    mark_private(request)
    return response


@hooks.register("before_serve_page")
def refuse_signed_in_users_the_policy_rejects(page, request, serve_args, serve_kwargs):
    user = request.user
    if not user.is_authenticated or access.can_view_page(user, page):
        return None
    from communities.models import CommunityPage, WorkingGroupPage

    community = CommunityPage.objects.ancestor_of(page, inclusive=True).live().first()
    in_group = WorkingGroupPage.objects.ancestor_of(page, inclusive=True).exists()
    if in_group:
        message = _("This space is reserved to the members of its working group.")
    elif community is not None:
        message = _("This area is reserved to the members of the community %(community)s.") % {
            "community": community.title
        }
    else:
        message = _("You may not read this page.")
    return _refused(request, message, community)


@hooks.register("before_serve_document")
def refuse_signed_in_users_private_documents(document, request):
    user = request.user
    if user.is_authenticated and not access.can_view_collection(user, document.collection):
        return _refused(request, _("This document is reserved to the members of a community."))
    return None
