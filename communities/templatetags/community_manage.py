"""The "Manage" entry point of the management pages (``communities.views.manage``)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from communities import spaces
from communities.views.manage import may_manage

register = template.Library()


@register.simple_tag(takes_context=True)
def community_manage_url(context, page):
    """The URL of the management pages of the community of ``page`` (a community, its
    reserved area or a page in it) if the current user may manage anything there, else ``""``.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or page is None:
        return ""
    community = spaces.community_for_page(page)
    if community is None or not may_manage(user, community):
        return ""
    return reverse("communities:manage_home", args=[community.pk])
