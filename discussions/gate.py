"""The access policy at django-comments-xtd's door.

Every comment posted through django-contrib-comments / django-comments-xtd's endpoint
(``comments-post-comment``, mounted at /commenti/post/ by cms/urls.py) sends
``comment_will_be_posted`` before it is saved. This receiver refuses any comment that is not a
reply to a topic the author may reply to (``communities.access``), whose parent is not a visible
reply of the same topic, that goes deeper than the maximum thread level, or whose author is over
the posting rate limit. The library then answers 400 and stores nothing. The discussions' own
views put their checks (with proper 404/403/429 answers) in front; this line holds even if
someone posts to the library's URL directly.

A comment the gate lets through is stored by django-comments-xtd (as a ``Reply``: the
``COMMENTS_XTD_MODEL``); ``confirmation_received`` then completes it like ``services.post_reply``
does (topic counters, rate-limit count, ``reply_posted`` once).

Search: a reply that is hidden or deleted leaves the search index (``Reply.get_indexed_objects``
excludes it, and ``unindex_unpublished`` removes it when saved so).
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_comments.signals import comment_will_be_posted
from django_comments_xtd.signals import confirmation_received
from wagtail.search import index

from communities import access

from . import markdown
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
    from . import services

    topic = comment.content_object
    if not isinstance(topic, Topic):
        return False  # the portal takes comments on topics only
    topic = Topic.objects.for_listing().filter(pk=topic.pk).first()
    if topic is None:
        return False
    user = getattr(request, "user", None)
    parent = None
    parent_id = comment.parent_id
    if parent_id and parent_id != getattr(comment, "pk", None):
        parent = Reply.objects.filter(pk=parent_id).first()
        if parent is None or parent.level >= services.max_thread_level():
            return False
    if not may_post(user, topic, parent):
        return False
    text = (comment.comment or "").strip()
    if not text:
        return False
    try:
        services.check_rate(user, "reply")
    except services.RateLimited:
        return False
    # A TmpXtdComment (the library's dict) or a Reply: attribute assignment works for both.
    comment.topic = topic
    comment.space_id = topic.space_id
    comment.body_html = markdown.render(text)
    comment.followup = False  # follows and notifications: discussions.notifications
    return True


@receiver(confirmation_received, dispatch_uid="discussions_reply_from_endpoint")
def complete_reply(sender, comment, request, **kwargs):
    """A reply stored by django-comments-xtd's endpoint: finish it as ``post_reply`` does."""
    from . import services

    reply = getattr(comment, "xtd_comment", None)
    if isinstance(reply, Reply):
        services.reply_published(reply)


@receiver(post_save, sender=Reply, dispatch_uid="discussions_unindex_unpublished")
def unindex_unpublished(sender, instance, raw=False, **kwargs):
    if not raw and (instance.is_removed or not instance.is_public):
        index.remove_object(instance)
