"""Follow and notify (issue 5, item 5): follows, in-portal notifications and the header's unread
count, notification emails through Django's task framework, one-click unsubscribe."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.tasks import TaskResultStatus
from django.tasks.signals import task_enqueued, task_finished
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from communities.models import Membership
from discussions import notifications, services
from discussions.models import Follow, Notification, Reply, Topic
from discussions.signals import reply_posted
from discussions.tasks import send_notification_emails
from tests.communities.conftest import make_member

from .conftest import fresh
from .factories import ReplyFactory

pytestmark = pytest.mark.django_db


def _reply(disc, column, topic=None, text="Ecco il nostro piano.", **kwargs):
    """A reply through the services (counters, signals), as the site's form posts it."""
    topic = topic or disc.topic
    return services.post_reply(fresh(disc.users[column]), topic, text, **kwargs)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notified(topic):
    return set(Notification.objects.filter(topic=topic).values_list("user_id", flat=True))


# --- following ---------------------------------------------------------------------------------


def test_follow_unfollow_and_state(disc, django_assert_num_queries):
    participant = fresh(disc.users["participant"])
    assert notifications.follow_state(participant, disc.topic) is False
    notifications.follow(participant, topic=disc.topic)
    notifications.follow(participant, topic=disc.topic)  # idempotent
    assert Follow.objects.filter(user=participant, topic=disc.topic).count() == 1
    with django_assert_num_queries(1):
        assert notifications.follow_state(participant, disc.topic) is True
    assert notifications.unfollow(participant, topic=disc.topic) is True
    assert notifications.follow_state(participant, disc.topic) is False
    assert notifications.unfollow(participant, topic=disc.topic) is False


def test_only_readers_may_follow(disc):
    with pytest.raises(PermissionDenied):
        notifications.follow(fresh(disc.users["other_member"]), topic=disc.topic)
    with pytest.raises(PermissionDenied):  # a community member outside the working group
        notifications.follow(fresh(disc.users["participant"]), topic=disc.group_topic)
    with pytest.raises(PermissionDenied):
        notifications.follow(fresh(disc.users["registered"]), community=disc.community)
    assert not Follow.objects.exists()


def test_follow_buttons_post_with_csrf(disc):
    participant = disc.users["participant"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    url = reverse("discussions:follow_topic", kwargs={"pk": disc.topic.pk})
    assert client.post(url).status_code == 403  # no CSRF token
    assert client.get(url).status_code == 405

    client = _signed_in(participant)
    response = client.post(url, {"action": "follow", "next": "/discussioni/"})
    assert response.status_code == 302
    assert response["Location"] == "/discussioni/"
    assert Follow.objects.filter(user=participant, topic=disc.topic).exists()
    response = client.post(url, {"action": "unfollow", "next": "https://evil.example/"})
    assert response["Location"] == disc.topic.get_absolute_url()  # no open redirect
    assert not Follow.objects.filter(user=participant, topic=disc.topic).exists()

    community_url = reverse("discussions:follow_community", kwargs={"pk": disc.community.pk})
    assert client.post(community_url, {"action": "follow"}).status_code == 302
    assert Follow.objects.filter(user=participant, community=disc.community).exists()
    assert notifications.follow_state(fresh(participant), community=disc.community)


def test_follow_buttons_are_404_for_non_members(disc):
    client = _signed_in(disc.users["other_member"])
    for url in (
        reverse("discussions:follow_topic", kwargs={"pk": disc.topic.pk}),
        reverse("discussions:follow_topic", kwargs={"pk": 999_999}),
        reverse("discussions:follow_community", kwargs={"pk": disc.community.pk}),
    ):
        assert client.post(url, {"action": "follow"}).status_code == 404
    participant = _signed_in(disc.users["participant"])
    url = reverse("discussions:follow_topic", kwargs={"pk": disc.group_topic.pk})
    assert participant.post(url, {"action": "follow"}).status_code == 404
    assert not Follow.objects.exists()
    anonymous = Client().post(reverse("discussions:follow_topic", kwargs={"pk": disc.topic.pk}))
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]


def test_follow_button_include_renders_state(disc, rf):
    from django.template.loader import render_to_string

    participant = fresh(disc.users["participant"])
    request = rf.get("/")
    request.user = participant
    html = render_to_string(
        "discussions/includes/follow_button.html", {"topic": disc.topic}, request=request
    )
    assert 'value="follow"' in html and "csrfmiddlewaretoken" in html
    notifications.follow(participant, topic=disc.topic)
    html = render_to_string(
        "discussions/includes/follow_button.html", {"topic": disc.topic}, request=request
    )
    assert 'value="unfollow"' in html
    html = render_to_string(
        "discussions/includes/follow_button.html",
        {"topic": disc.topic, "following": False},
        request=request,
    )
    assert 'value="follow"' in html  # the view's answer wins, no query
    html = render_to_string(
        "discussions/includes/follow_button.html", {"community": disc.community}, request=request
    )
    assert reverse("discussions:follow_community", kwargs={"pk": disc.community.pk}) in html


# --- who is notified ---------------------------------------------------------------------------


def test_authors_follow_their_topics_and_replies(disc, no_rate_limits):
    designated = fresh(disc.users["designated"])
    topic = services.create_topic(designated, disc.community, title="Nuovo tema", body="Testo.")
    assert Follow.objects.filter(user=designated, topic=topic, email=True).exists()
    _reply(disc, "participant", topic=topic)
    assert Follow.objects.filter(user=disc.users["participant"], topic=topic).exists()


def test_reply_notifies_followers_but_not_its_author(
    disc, no_rate_limits, django_capture_on_commit_callbacks
):
    notifications.follow(fresh(disc.users["designated"]), topic=disc.topic)
    notifications.follow(fresh(disc.users["coordinator"]), community=disc.community)
    notifications.follow(fresh(disc.users["participant"]), topic=disc.topic)
    with django_capture_on_commit_callbacks(execute=True):
        reply = _reply(disc, "participant")
    assert _notified(disc.topic) == {disc.users["designated"].pk, disc.users["coordinator"].pk}
    notification = Notification.objects.get(user=disc.users["designated"])
    assert notification.kind == Notification.Kind.REPLY
    assert notification.reply_id == reply.pk and notification.read_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [disc.users["designated"].contact_email, disc.users["coordinator"].contact_email]
    )


def test_new_topic_notifies_community_followers(
    disc, no_rate_limits, django_capture_on_commit_callbacks
):
    participant = disc.users["participant"]
    notifications.follow(fresh(participant), community=disc.community)
    notifications.follow(fresh(disc.users["designated"]), community=disc.community)
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.create_topic(
            fresh(disc.users["designated"]), disc.community, title="Esercitazione", body="Chi c'è?"
        )
    notification = Notification.objects.get(topic=topic)
    assert notification.user_id == participant.pk  # not the author
    assert notification.kind == Notification.Kind.TOPIC and notification.reply is None
    assert len(mail.outbox) == 1 and "Esercitazione" in mail.outbox[0].subject


def test_working_group_topics_reach_only_who_may_read_them(
    disc, no_rate_limits, django_capture_on_commit_callbacks
):
    """A community follow covers a working group's topics only for those who may read them."""
    for column in ("participant", "designated", "coordinator", "wg_coordinator"):
        notifications.follow(fresh(disc.users[column]), community=disc.community)
    with django_capture_on_commit_callbacks(execute=True):
        _reply(disc, "wg_member", topic=disc.group_topic)
    assert _notified(disc.group_topic) == {
        disc.users["coordinator"].pk,
        disc.users["wg_coordinator"].pk,
    }
    recipients = {m.to[0] for m in mail.outbox}
    assert disc.users["participant"].contact_email not in recipients
    assert disc.users["designated"].contact_email not in recipients


def test_who_left_the_community_gets_nothing(
    disc, no_rate_limits, django_capture_on_commit_callbacks
):
    leaver = make_member(disc.community)
    notifications.follow(fresh(leaver), topic=disc.topic)
    notifications.follow(fresh(leaver), community=disc.community)
    Membership.objects.filter(user=leaver).update(left_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        _reply(disc, "participant")
    assert leaver.pk not in _notified(disc.topic)
    assert leaver.contact_email not in {m.to[0] for m in mail.outbox}


def test_the_email_task_checks_the_policy_again_when_it_sends(disc, no_rate_limits):
    """The database backend may run the task later: who left meanwhile gets no email."""
    leaver = make_member(disc.community)
    follow = notifications.follow(fresh(leaver), topic=disc.topic)
    stayer = notifications.follow(fresh(disc.users["coordinator"]), topic=disc.topic)
    reply = ReplyFactory(topic=disc.topic, user=disc.users["participant"])
    Membership.objects.filter(user=leaver).update(left_at=timezone.now())
    sent = send_notification_emails.call(
        kind="reply", topic_id=disc.topic.pk, reply_id=reply.pk, follow_ids=[follow.pk, stayer.pk]
    )
    assert sent == 1 and [m.to for m in mail.outbox] == [[disc.users["coordinator"].contact_email]]
    Reply.objects.filter(pk=reply.pk).update(is_removed=True)  # deleted before the task ran
    assert (
        send_notification_emails.call(
            kind="reply", topic_id=disc.topic.pk, reply_id=reply.pk, follow_ids=[stayer.pk]
        )
        == 0
    )


def test_notifying_does_not_query_per_follower(disc, django_capture_on_commit_callbacks):
    """Notifications and emails for 2 or for 12 followers take the same number of queries."""

    def notify_with(followers):
        users = [make_member(disc.community) for _ in range(followers)]
        topic = Topic.objects.create(
            space=disc.community, community=disc.community, title="T", body="b"
        )
        for user in users:
            Follow.objects.create(user=user, topic=topic)
        reply = ReplyFactory(topic=topic, user=disc.users["participant"])
        Follow.objects.create(user=disc.users["participant"], topic=topic)
        mail.outbox.clear()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            reply_posted.send(sender=Reply, reply=reply)
        assert Notification.objects.filter(topic=topic).count() == followers
        assert len(mail.outbox) == followers
        return len(queries.captured_queries)

    few, many = notify_with(2), notify_with(12)
    assert few == many
    assert many <= 14


# --- emails ------------------------------------------------------------------------------------


@pytest.fixture
def emailed(disc, no_rate_limits, django_capture_on_commit_callbacks):
    """The coordinator follows the topic; a participant replies: one email."""
    follow = notifications.follow(fresh(disc.users["coordinator"]), topic=disc.topic)
    with django_capture_on_commit_callbacks(execute=True):
        reply = _reply(disc, "participant", text="Abbiamo adottato il **modello AgID**.")
    assert len(mail.outbox) == 1
    return mail.outbox[0], follow, reply


def test_email_content_and_headers(disc, emailed):
    message, follow, reply = emailed
    assert message.to == [disc.users["coordinator"].contact_email]
    assert disc.topic.title in message.subject
    with translation.override("it"):  # the recipient's language, whatever a test left active
        reply_url = "http://testserver" + reply.get_absolute_url()
    assert reply_url in message.body
    assert "modello AgID" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and reply_url in html
    match = re.fullmatch(
        r"<(http://testserver/discussioni/notifiche/disiscrizione/[^>]+/)>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert match, message.extra_headers["List-Unsubscribe"]
    assert match.group(1) in message.body and match.group(1) in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with translation.override("it"):
        assert gettext("New reply in “%(topic)s”") % {"topic": disc.topic.title} == (
            message.subject
        )


def _unsubscribe_path(message):
    return message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")


def test_one_click_unsubscribe(disc, emailed, django_capture_on_commit_callbacks):
    message, follow, _reply_obj = emailed
    path = _unsubscribe_path(message)
    client = Client(enforce_csrf_checks=True)  # not signed in, no CSRF token: as a mail client

    response = client.get(path)
    assert response.status_code == 200
    assert disc.topic.title in response.text and 'method="post"' in response.text
    follow.refresh_from_db()
    assert follow.email is True  # GET only asks

    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    follow.refresh_from_db()
    assert follow.email is False

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _reply(disc, "designated", text="Un'altra risposta.")
    assert disc.users["coordinator"].contact_email not in {m.to[0] for m in mail.outbox}
    assert (
        Notification.objects.filter(user=disc.users["coordinator"]).count() == 2
    )  # ...but still notified


def test_bad_unsubscribe_token_is_refused(disc, emailed):
    message, follow, _reply_obj = emailed
    path = _unsubscribe_path(message)
    tampered = path.replace("disiscrizione/", "disiscrizione/x")
    forged = reverse("discussions:unsubscribe", kwargs={"token": "eyJmIjoxLCJ1IjoxfQ:abc:def"})
    with translation.override("it"):
        expected = gettext("This unsubscribe link is not valid or no longer exists.")
    for url in (tampered, forged):
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            assert response.status_code == 400
            assert expected in response.text
    follow.refresh_from_db()
    assert follow.email is True


def test_emails_go_through_the_task_framework(
    disc, emailed, settings, no_rate_limits, django_capture_on_commit_callbacks
):
    finished = []

    def on_finished(sender, task_result, **kwargs):
        finished.append(task_result)

    task_finished.connect(on_finished)
    try:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _reply(disc, "designated", text="Seconda risposta.")
    finally:
        task_finished.disconnect(on_finished)
    finished = [r for r in finished if r.task.name == "send_notification_emails"]
    assert len(finished) == 1  # one task for the event, whatever the number of recipients
    assert finished[0].status == TaskResultStatus.SUCCESSFUL
    # the coordinator, and the participant who follows since replying
    assert finished[0].return_value == len(mail.outbox) == 2

    # With a backend that only stores tasks (as the database backend until its worker runs),
    # the reply enqueues the task and no email leaves yet.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    enqueued = []

    def on_enqueued(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(on_enqueued)
    try:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _reply(disc, "designated", text="Terza risposta.")
    finally:
        task_enqueued.disconnect(on_enqueued)
    assert mail.outbox == []
    enqueued = [r for r in enqueued if r.task.name == "send_notification_emails"]
    assert len(enqueued) == 1 and enqueued[0].status == TaskResultStatus.READY
    assert enqueued[0].kwargs["topic_id"] == disc.topic.pk


# --- in the portal -----------------------------------------------------------------------------


def _count_in_header(html):
    match = re.search(r'data-unread-count="(\d+)"', html)
    return int(match.group(1)) if match else 0


def test_unread_count_in_the_header_and_opening_marks_read(
    disc, emailed, django_capture_on_commit_callbacks
):
    _message, _follow, reply = emailed
    client = _signed_in(disc.users["coordinator"])
    page = client.get(reverse("discussions:notifications"))
    assert page.status_code == 200
    assert _count_in_header(page.text) == 1
    with translation.override("it"):
        assert (
            translation.ngettext(
                "%(counter)s unread notification", "%(counter)s unread notifications", 1
            )
            % {"counter": 1}
            in page.text
        )
    assert disc.topic.title in page.text

    # A new reply: the cached count is forgotten at once.
    with django_capture_on_commit_callbacks(execute=True):
        _reply(disc, "designated", text="Ancora una risposta.")
    assert _count_in_header(client.get(reverse("discussions:notifications")).text) == 2
    notifications.mark_all_read(disc.users["coordinator"])
    assert _count_in_header(client.get(reverse("discussions:notifications")).text) == 0
    Notification.objects.filter(user=disc.users["coordinator"]).update(read_at=None)
    notifications.forget_unread_count([disc.users["coordinator"]])

    notification = Notification.objects.filter(user=disc.users["coordinator"]).last()
    response = client.get(reverse("discussions:notification_open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert _count_in_header(client.get(reverse("discussions:notifications")).text) == 1
    # Someone else's notification is not found.
    other = _signed_in(disc.users["designated"])
    url = reverse("discussions:notification_open", kwargs={"pk": notification.pk})
    assert other.get(url).status_code == 404


def test_the_header_count_costs_at_most_one_query_and_none_when_signed_out(disc, rf):
    from discussions.context_processors import notifications as processor

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert processor(request) == {}
    request.user = fresh(disc.users["staff"])  # an editor's account: no discussions
    assert processor(request) == {}
    request.user = fresh(disc.users["coordinator"])
    Notification.objects.create(user=request.user, kind="reply", topic=disc.topic)
    context = processor(request)
    with CaptureQueriesContext(connection) as queries:
        assert context["discussion_notifications"].unread == 1
        assert context["discussion_notifications"].unread == 1
    assert len(queries.captured_queries) == 1
    # The next requests read it from the cache, until something changes it.
    with CaptureQueriesContext(connection) as queries:
        assert processor(request)["discussion_notifications"].unread == 1
    assert len(queries.captured_queries) == 0


def test_mark_all_read_and_pagination(disc):
    coordinator = disc.users["coordinator"]
    Notification.objects.bulk_create(
        [Notification(user=coordinator, kind="reply", topic=disc.topic) for _ in range(25)]
    )
    client = _signed_in(coordinator)
    page = client.get(reverse("discussions:notifications"))
    assert len(re.findall(r'href="/discussioni/notifiche/\d+/"', page.text)) == 20
    assert _count_in_header(page.text) == 25
    second = client.get(reverse("discussions:notifications") + "?page=2")
    assert len(re.findall(r'href="/discussioni/notifiche/\d+/"', second.text)) == 5
    response = client.post(reverse("discussions:notifications_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=coordinator, read_at__isnull=True).exists()
    assert Client().get(reverse("discussions:notifications")).status_code == 302


def test_notifications_of_topics_no_longer_readable_are_dropped(disc):
    leaver = make_member(disc.community)
    Notification.objects.create(user=leaver, kind="reply", topic=disc.topic)
    Membership.objects.filter(user=leaver).update(left_at=timezone.now())
    client = _signed_in(leaver)
    page = client.get(reverse("discussions:notifications"))
    assert disc.topic.title not in page.text
    assert _count_in_header(page.text) == 0


def test_email_switch_per_follow(disc):
    coordinator = disc.users["coordinator"]
    follow = notifications.follow(fresh(coordinator), topic=disc.topic)
    client = _signed_in(coordinator)
    url = reverse("discussions:follow_email", kwargs={"pk": follow.pk})
    assert client.post(url, {"email": "off"}).status_code == 302
    follow.refresh_from_db()
    assert follow.email is False
    client.post(url, {"email": "on"})
    follow.refresh_from_db()
    assert follow.email is True
    other = _signed_in(disc.users["designated"])
    assert other.post(url, {"email": "off"}).status_code == 404


def test_access_prime_answers_for_many_users_without_queries(disc, django_assert_num_queries):
    """``community_permissions.prime`` (used to notify followers) gives the same answers as
    one user at a time."""
    from cms import access
    from communities import permissions as community_permissions

    columns = ("participant", "wg_member", "coordinator", "other_member", "registered")
    topic = Topic.objects.select_related("community", "space").get(pk=disc.group_topic.pk)
    expected = [
        access.can(fresh(disc.users[c]), community_permissions.Action.READ_DISCUSSIONS, topic)
        for c in columns
    ]
    assert expected == [False, True, True, False, False]
    users = [fresh(disc.users[c]) for c in columns]
    with django_assert_num_queries(2):
        community_permissions.prime(users)
    with django_assert_num_queries(0):
        answers = [
            access.can(u, community_permissions.Action.READ_DISCUSSIONS, topic) for u in users
        ]
    assert answers == expected


def test_follow_buttons_on_the_topic_and_the_topic_list(disc):
    participant = disc.users["participant"]
    client = _signed_in(participant)
    page = client.get(disc.topic.get_absolute_url())
    assert page.status_code == 200
    follow_url = reverse("discussions:follow_topic", kwargs={"pk": disc.topic.pk})
    assert f'action="{follow_url}"' in page.text and 'value="follow"' in page.text
    client.post(follow_url, {"action": "follow"})
    page = client.get(disc.topic.get_absolute_url())
    assert 'name="action" value="unfollow"' in page.text

    listing = client.get(reverse("discussions:topic_list", kwargs={"space_id": disc.community.pk}))
    assert listing.status_code == 200
    community_url = reverse("discussions:follow_community", kwargs={"pk": disc.community.pk})
    assert f'action="{community_url}"' in listing.text
    client.post(community_url, {"action": "follow"})
    listing = client.get(reverse("discussions:topic_list", kwargs={"space_id": disc.community.pk}))
    assert listing.text.count('name="action" value="unfollow"') == 1


# --- leaving ends the follows (issue 12) -------------------------------------------------------


def _what_you_follow(page_text: str) -> str:
    return page_text.split('id="followed"', 1)[1]


def test_leaving_a_community_ends_its_follows(disc):
    """A member who leaves no longer follows the community nor its topics (nothing would be
    sent): "What you follow" does not list them with emails on."""
    wg_member = fresh(disc.users["wg_member"])
    notifications.follow(wg_member, community=disc.community)
    notifications.follow(wg_member, topic=disc.topic)
    notifications.follow(wg_member, topic=disc.group_topic)
    other = make_member(disc.other)
    notifications.follow(fresh(other), community=disc.other)
    client = _signed_in(wg_member)
    before = _what_you_follow(client.get(reverse("discussions:notifications")).text)
    assert disc.topic.title in before and disc.community.title in before

    response = client.post(reverse("participation:leave", args=[disc.community.pk]))
    assert response.status_code == 302
    assert not Follow.objects.filter(user=wg_member).exists()
    after = _what_you_follow(client.get(reverse("discussions:notifications")).text)
    for gone in (disc.topic.title, disc.group_topic.title, disc.community.title):
        assert gone not in after
    assert gettext("emails on") not in after
    # Nobody else's follows are touched.
    assert Follow.objects.filter(user=other, community=disc.other).exists()


def test_leaving_a_working_group_ends_only_its_topic_follows(disc):
    from communities import services as community_services

    designated = fresh(disc.users["wg_member"])
    notifications.follow(designated, topic=disc.topic)
    notifications.follow(designated, topic=disc.group_topic)
    # Becoming a simple participant leaves the community's working groups.
    community_services.switch_role(fresh(designated), disc.community, Membership.Role.PARTICIPANT)
    followed = set(Follow.objects.filter(user=designated).values_list("topic_id", flat=True))
    assert followed == {disc.topic.pk}


def test_managers_keep_their_working_group_follows_when_a_group_membership_ends(disc):
    coordinator = fresh(disc.users["coordinator"])
    notifications.follow(coordinator, topic=disc.group_topic)
    assert notifications.end_unreadable_follows(coordinator) == 0
    assert Follow.objects.filter(user=coordinator, topic=disc.group_topic).exists()


def test_stale_follows_of_a_left_community_are_not_listed(disc):
    """Follows left behind before leaving ended them (older data) are not shown either."""
    leaver = make_member(disc.community)
    Follow.objects.create(user=leaver, community=disc.community, email=True)
    Follow.objects.create(user=leaver, topic=disc.topic, email=True)
    Membership.objects.filter(user=leaver).update(left_at=timezone.now())  # no signal
    page = _signed_in(leaver).get(reverse("discussions:notifications"))
    followed = _what_you_follow(page.text)
    assert disc.community.title not in followed
    assert disc.topic.title not in followed
