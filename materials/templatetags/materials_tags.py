"""Links to the materials from other apps' templates (the working group page)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from cms import access

from ..permissions import Action

register = template.Library()


@register.simple_tag(takes_context=True)
def materials_url(context, page):
    """The URL of the workspace of working group ``page`` (any language) if the current user
    may see it; "" otherwise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or user is None or not user.is_authenticated:
        return ""
    if not access.can(user, Action.VIEW_MATERIALS, page):
        return ""
    return reverse("materials:workspace", args=[page.pk])
