"""Daily and weekly digests: only what the member may see, nothing for who has nothing new,
``last_digest_at`` recorded, a fixed number of queries whatever the number of members."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Membership
from mailing import digest, services
from mailing.models import Subscription
from tests.communities import factories
from tests.discussions.factories import ReplyFactory, TopicFactory

from .conftest import publish, set_frequency

pytestmark = pytest.mark.django_db


def _digest_of(user):
    found = [message for message in mail.outbox if message.to == [user.email]]
    assert len(found) <= 1
    return found[0].body if found else None


def test_digest_holds_only_what_the_member_may_see(world, django_capture_on_commit_callbacks):
    participant, wg_member = world.users["participant"], world.users["wg_member"]
    set_frequency(participant, world.community, "daily")
    set_frequency(wg_member, world.community, "daily")
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.area, title="Annuncio per tutti")
        publish(world.area, title="Solo designati", audience="designated")
        publish(world.group, title="Annuncio del gruppo")
    TopicFactory(space=world.community, author=world.users["designated"], title="Tema aperto")
    TopicFactory(space=world.group, author=world.users["wg_coordinator"], title="Tema del gruppo")
    followed = TopicFactory(space=world.community, author=wg_member, title="Tema seguito")
    ReplyFactory(topic=followed, user=world.users["coordinator"])
    from discussions.models import Follow

    Follow.objects.get_or_create(user=wg_member, topic=followed)
    mail.outbox.clear()

    sent = digest.send_batch("daily", [participant.pk, wg_member.pk], timezone.now())
    assert sent == 2
    body = _digest_of(participant)
    assert "Annuncio per tutti" in body and "Tema aperto" in body
    for hidden in ("Solo designati", "Annuncio del gruppo", "Tema del gruppo"):
        assert hidden not in body
    body = _digest_of(wg_member)
    for shown in ("Annuncio per tutti", "Solo designati", "Annuncio del gruppo", "Tema del gruppo"):
        assert shown in body
    assert "Tema seguito" in body  # a reply by someone else in a topic they follow
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert Subscription.objects.get(user=participant).last_digest_at is not None

    # Nothing new since: nothing sent. Members receiving each message get no digest.
    mail.outbox.clear()
    assert digest.send_batch("daily", [participant.pk, wg_member.pk], timezone.now()) == 0
    assert digest.send_batch("daily", [world.users["designated"].pk], timezone.now()) == 0
    assert mail.outbox == []


def _members(world, count):
    users = []
    for _ in range(count):
        user = factories.RegisteredUserFactory()
        factories.MembershipFactory(user=user, community=world.community)
        users.append(user)
    services.subscribe_current_members()
    Subscription.objects.filter(user__in=users).update(frequency="weekly")
    return users


def test_digest_queries_do_not_grow_with_members(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.area, title="Annuncio")
    TopicFactory(space=world.community, author=world.users["designated"])
    until = timezone.now() + timedelta(seconds=1)
    counts = []
    for size in (10, 50):
        users = _members(world, size)
        with CaptureQueriesContext(connection) as queries:
            assert digest.send_batch("weekly", [user.pk for user in users], until) == size
        counts.append(len(queries))
    # The first batch may also fill the policy's snapshots (the space pages): a few more.
    # Every app's digest section (discussions, events) is in the count.
    assert counts[1] <= counts[0] <= 20, counts
    assert Membership.objects.count() > 60
