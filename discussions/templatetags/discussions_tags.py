"""Links to a space's discussions, for the communities' templates (shown only to those who may
read them: the access policy answers)."""

from django import template
from django.urls import reverse

from cms import access
from discussions import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def discussions_url(context, page):
    """The URL of the discussions of ``page`` (a community, its reserved area or a working
    group page, in any language) if the current user may read them; "" otherwise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or user is None or not user.is_authenticated:
        return ""
    # The policy's context of the page is cached on it (the page's own checks computed it):
    # no query here. The list view maps an area or a translation to the space it belongs to.
    if not access.can(user, permissions.Action.READ_DISCUSSIONS, page):
        return ""
    return reverse("discussions:topic_list", args=[page.pk])
