"""Moderation links and choices for templates (no query beyond the access policy's cached
lookups)."""

from django import template
from django.urls import reverse

from cms import access
from discussions import permissions

register = template.Library()


@register.simple_tag
def flag_reasons():
    """The reasons of a report, ``[(value, label), ...]`` (no query)."""
    from ..models import Flag

    return Flag.Reason.choices


@register.simple_tag(takes_context=True)
def moderation_queue_url(context, page):
    """The URL of the moderation queue of the community of ``page`` (a community, its reserved
    area or a page in it) if the current user moderates its discussions, else ``""``."""
    from communities import spaces

    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or user is None or not user.is_authenticated:
        return ""
    # The policy first (its page context is cached): non-moderators cost no query.
    if not access.can(user, permissions.Action.MODERATE, page):
        return ""
    community = spaces.community_for_page(page)
    if community is None:
        return ""
    return reverse("discussions:moderation_queue", args=[community.pk])
