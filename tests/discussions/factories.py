"""Factories for discussions: topics and replies (threaded django-comments-xtd comments).

``ReplyFactory`` saves through ``XtdComment.save`` (thread data computed by the library) but
skips the services (no rate limit, no signals, no topic counters): use
``discussions.services`` when a test is about those. ``make_replies`` builds many quickly.
"""

import factory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from discussions.markdown import render
from discussions.models import Reaction, Reply, Topic
from tests.communities.factories import RegisteredUserFactory


def _community_of(space):
    """The community of a space page (itself for a community; the ancestor for a group)."""
    from communities.models import CommunityPage

    specific = space.specific
    if isinstance(specific, CommunityPage):
        return specific
    return CommunityPage.objects.ancestor_of(space).get()


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic in ``space`` (a CommunityPage or a WorkingGroupPage; required)."""

    class Meta:
        model = Topic
        skip_postgeneration_save = True

    space = None
    community = factory.LazyAttribute(lambda o: _community_of(o.space))
    title = factory.Sequence(lambda n: f"Argomento di discussione {n}")
    body = "Come gestite il **piano di continuità operativa**?"
    body_html = factory.LazyAttribute(lambda o: render(o.body))
    author = factory.SubFactory(RegisteredUserFactory)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            from discussions.services import set_tags

            set_tags(obj, extracted)


class ReplyFactory(factory.django.DjangoModelFactory):
    """A published reply to ``topic`` (required), under ``parent`` if given."""

    class Meta:
        model = Reply
        exclude = ("parent",)

    topic = None
    parent = None
    space_id = factory.LazyAttribute(lambda o: o.topic.space_id)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Topic))
    object_pk = factory.LazyAttribute(lambda o: str(o.topic.pk))
    site_id = factory.LazyFunction(lambda: settings.SITE_ID)
    user = factory.SubFactory(RegisteredUserFactory)
    user_name = factory.LazyAttribute(lambda o: o.user.get_full_name() if o.user else "")
    comment = factory.Sequence(lambda n: f"Una risposta utile numero {n}.")
    body_html = factory.LazyAttribute(lambda o: render(o.comment))
    submit_date = factory.LazyFunction(timezone.now)
    parent_id = factory.LazyAttribute(lambda o: o.parent.pk if o.parent else 0)
    is_public = True
    is_removed = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        reply = super()._create(model_class, *args, **kwargs)
        Topic.objects.filter(pk=reply.topic_id).update(
            reply_count=F("reply_count") + 1,
            last_activity_at=reply.submit_date,
            last_reply_author=reply.user,
        )
        return reply


def make_replies(topic, count, users, *, children=0, grandchildren=0):
    """``count`` top-level replies to ``topic`` by ``users`` (in turn), each with ``children``
    replies and each of those with ``grandchildren`` (depth 3); returns the top-level ones."""
    top = []
    for i in range(count):
        reply = ReplyFactory(topic=topic, user=users[i % len(users)])
        top.append(reply)
        for j in range(children):
            child = ReplyFactory(topic=topic, user=users[(i + j + 1) % len(users)], parent=reply)
            for k in range(grandchildren):
                ReplyFactory(topic=topic, user=users[(i + k + 2) % len(users)], parent=child)
    return top


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reaction

    reply = None
    user = factory.SubFactory(RegisteredUserFactory)
    kind = Reaction.Kind.LIKE
