"""``{% follow_state topic=... %}`` / ``{% follow_state community=... %}``: whether the current
user follows it (one query), for follow buttons whose view did not compute it."""

from django import template

from discussions import notifications

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, topic=None, community=None):
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if topic is None and community is None:
        return False
    return notifications.follow_state(user, topic=topic, community=community)
