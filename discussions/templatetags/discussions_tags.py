"""Links to a space's discussions, for the communities' templates (shown only to those who may
read them: the access policy answers)."""

from django import template
from django.urls import reverse

from communities import access

register = template.Library()


@register.simple_tag(takes_context=True)
def discussions_url(context, page):
    """The URL of the discussions of ``page`` (a community, its reserved area or a working
    group page, in any language) if the current user may read them; "" otherwise."""
    from communities.models import CommunityAreaPage

    from ..services import space_page

    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or user is None or not user.is_authenticated:
        return ""
    specific = getattr(page, "specific", page)
    if isinstance(specific, CommunityAreaPage):
        specific = specific.get_parent()
    space = space_page(specific.pk)
    if space is None or not access.can(user, access.Action.READ_DISCUSSIONS, space):
        return ""
    return reverse("discussions:topic_list", args=[space.pk])
