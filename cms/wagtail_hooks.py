from django.utils.translation import gettext as _
from wagtail import hooks

from . import access
from .cache import mark_private
from .refusals import render_refusal


@hooks.register("before_serve_page")
def mark_restricted_pages_private(page, request, serve_args, serve_kwargs):
    """Restricted pages must never be stored by a shared cache, whoever is looking."""
    if access.is_restricted(page):
        mark_private(request)


def refuse(request, message, links=(), community=None):
    """403 for a signed-in user whom a restriction refuses: ``message``, then ``links`` (dicts
    with ``url`` and ``label``; the first is the main action) and a way back to ``community``
    (a page) when given.

    Wagtail would send them to the sign-in page, which sends signed-in users straight back:
    an endless redirect. Visitors who are not signed in still go to sign in.
    """
    return render_refusal(
        request, message, title=_("Access not allowed"), community=community, links=list(links)
    )


@hooks.register("before_serve_page")
def refuse_signed_in_users_the_policy_rejects(page, request, serve_args, serve_kwargs):
    """The apps explain the refusal of a page in their spaces (hook ``portal_page_refusal``:
    ``fn(request, page)`` returns the keyword arguments of ``refuse``, or ``None``)."""
    user = request.user
    if not user.is_authenticated or access.can_view_page(user, page):
        return None
    for explain in hooks.get_hooks("portal_page_refusal"):
        refusal = explain(request, page)
        if refusal is not None:
            return refuse(request, **refusal)
    return refuse(request, _("You may not read this page."))


@hooks.register("before_serve_document")
def refuse_signed_in_users_private_documents(document, request):
    user = request.user
    if user.is_authenticated and not access.can_view_collection(user, document.collection):
        return refuse(request, _("This document is reserved to the members of a community."))
    return None
