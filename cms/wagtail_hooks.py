from wagtail import hooks

from communities import access


@hooks.register("before_serve_page")
def mark_restricted_pages_private(page, request, serve_args, serve_kwargs):
    """Restricted pages must never be stored by a shared cache, whoever is looking."""
    if access.is_restricted(page):
        request.portal_private = True
