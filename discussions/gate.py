"""The access policy at django-comments-xtd's door.

Every comment posted through django-contrib-comments / django-comments-xtd (the form view, its
API) sends ``comment_will_be_posted`` before it is saved. This receiver refuses any comment that
is not a reply to a topic the author may reply to (``communities.access``), whose parent is not a
visible reply of the same topic, or that goes deeper than the maximum thread level. The
discussions views put their own checks (with proper 404/403 answers) in front of the endpoint;
this is the line that holds even if someone posts to the library's URL directly.
"""

from __future__ import annotations

from django.dispatch import receiver
from django_comments.signals import comment_will_be_posted

from communities import access

from .models import Reply, Topic


def may_post(user, topic, parent=None) -> bool:
    """Whether ``user`` may post a reply to ``topic`` (under ``parent``, if given)."""
    if not isinstance(topic, Topic) or not access.can(user, access.Action.REPLY, topic):
        return False
    return parent is None or (
        parent.topic_id == topic.pk and parent.is_public and not parent.is_removed
    )


@receiver(comment_will_be_posted, dispatch_uid="discussions_gate")
def enforce_policy(sender, comment, request, **kwargs):
    topic = comment.content_object
    if not isinstance(topic, Topic):
        return False  # the portal takes comments on topics only
    user = getattr(request, "user", None)
    parent = None
    if comment.parent_id and comment.parent_id != getattr(comment, "pk", None):
        parent = Reply.objects.filter(pk=comment.parent_id).select_related("topic").first()
        if parent is None:
            return False
    if not may_post(user, topic, parent):
        return False
    if isinstance(comment, Reply):
        comment.topic = topic
        comment.space_id = topic.space_id
    return True
