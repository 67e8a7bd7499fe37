"""Every receiver the discussions app connects (imported by ``DiscussionsConfig.ready``).

- django-comments-xtd's pipeline, a second line behind ``discussions.gate.post_comment``:
  ``enforce_policy`` refuses at ``comment_will_be_posted`` any comment that is not a reply the
  author may post (``cms.access``; parent, depth, rate limit), ``complete_reply`` finishes a
  reply stored by the library's endpoint as ``services.post_reply`` does;
- search: ``unindex_unpublished`` removes a hidden or deleted reply from the index when saved so;
- follows and notifications (``discussions.notifications``): ``topic_opened`` and
  ``reply_posted`` (``discussions.signals``) notify the followers; a membership of a community
  or working group that ends ends the follows it allowed, in the same transaction, whatever
  ended it (``communities.services.leave``, ``switch_role``, a revoked designation, staff in the
  admin).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_comments.signals import comment_will_be_posted
from django_comments_xtd.signals import confirmation_received
from wagtail.search import index

from communities.models import Membership, WorkingGroupMembership

from . import markdown, notifications, services
from .models import Reply, Topic
from .permissions import may_post
from .signals import reply_posted, topic_opened

# --- django-comments-xtd's pipeline and the search index ----------------------------------------


@receiver(comment_will_be_posted, dispatch_uid="discussions_gate")
def enforce_policy(sender, comment, request, **kwargs):
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
    reply = getattr(comment, "xtd_comment", None)
    if isinstance(reply, Reply):
        services.reply_published(reply)


@receiver(post_save, sender=Reply, dispatch_uid="discussions_unindex_unpublished")
def unindex_unpublished(sender, instance, raw=False, **kwargs):
    if not raw and (instance.is_removed or not instance.is_public):
        index.remove_object(instance)


# --- Follows and notifications -----------------------------------------------------------------


@receiver(topic_opened, dispatch_uid="discussions_notify_topic_opened")
def notify_topic_opened(sender, topic, **kwargs):
    notifications.notify_topic_opened(topic)


@receiver(reply_posted, dispatch_uid="discussions_notify_reply_posted")
def notify_reply_posted(sender, reply, **kwargs):
    notifications.notify_reply_posted(reply)


def membership_changed(sender, instance, raw=False, **kwargs):
    """A saved or deleted ``Membership`` or ``WorkingGroupMembership``: if it ended, so do the
    follows it allowed."""
    if raw:
        return
    ended = kwargs.get("signal") is post_delete or getattr(instance, "left_at", None) is not None
    status = getattr(instance, "status", None)
    if status is not None and status != instance.Status.ACTIVE:
        ended = True
    if ended:
        notifications.end_unreadable_follows(instance.user)


for _model in (Membership, WorkingGroupMembership):
    _uid = f"discussions_follows_{_model._meta.label_lower}"
    post_save.connect(membership_changed, sender=_model, dispatch_uid=_uid)
    post_delete.connect(membership_changed, sender=_model, dispatch_uid=_uid)
