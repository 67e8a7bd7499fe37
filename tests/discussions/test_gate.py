"""The gate: every role x (read, open topic, reply, flag, moderate), through the site's views
and straight through django-comments' posting endpoint (``comments-post-comment``).

Non-members (and visitors) get 404 everywhere: a topic's existence is not disclosed. Members
without the right get 403. Posting to the library's URL directly stores nothing that the policy
would refuse.
"""

import pytest
from django.urls import reverse
from django_comments_xtd.forms import XtdCommentForm

from discussions import signals
from discussions.models import Flag, Reply, Topic

from .conftest import COLUMNS, user_for
from .factories import ReplyFactory

pytestmark = pytest.mark.django_db

READERS = {"participant", "designated", "wg_member", "wg_coordinator", "coordinator", "support"}
OPENERS = {"designated", "wg_member", "wg_coordinator", "coordinator", "support"}
GROUP_READERS = {"wg_member", "wg_coordinator", "coordinator", "support"}
MANAGERS = {"coordinator", "support"}


def login(client, disc, column):
    user = user_for(disc, column)
    if user.is_authenticated:
        client.force_login(user)
    return user


def _expected(column, readers, allowed):
    if column not in readers:
        return 404
    return "ok" if column in allowed else 403


def _check(response, expected, *, anonymous_login=False):
    if anonymous_login and response.status_code == 302:
        # Moderation endpoints send visitors to sign in, whatever the id (they learn nothing).
        assert "/accedi/" in response["Location"]
        return
    if expected == "ok":
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == expected, (response.status_code, expected)
    if expected == 403:
        assert "communities/refused.html" in [t.name for t in response.templates] or (
            response.status_code == 403
        )


@pytest.mark.parametrize("where", ["community", "group"])
@pytest.mark.parametrize("column", COLUMNS)
def test_read_topic_list_and_topic(client, disc, column, where):
    login(client, disc, column)
    topic = disc.topic if where == "community" else disc.group_topic
    readers = READERS if where == "community" else GROUP_READERS
    expected = _expected(column, readers, readers)
    _check(client.get(topic.get_absolute_url()), expected)
    _check(client.get(reverse("discussions:topic_list", args=[topic.space_id])), expected)
    if expected == 404:
        # learn nothing: same answer as for a topic that does not exist
        missing = client.get(reverse("discussions:topic", args=[999999, "x"]))
        assert missing.status_code == 404


@pytest.mark.parametrize("where", ["community", "group"])
@pytest.mark.parametrize("column", COLUMNS)
def test_open_topic(client, disc, column, where):
    login(client, disc, column)
    space = disc.community if where == "community" else disc.group
    readers = READERS if where == "community" else GROUP_READERS
    expected = _expected(column, readers, OPENERS)
    url = reverse("discussions:topic_new", args=[space.pk])
    _check(client.get(url), expected)
    response = client.post(url, {"title": f"Nuovo da {column}", "body": "Testo"})
    _check(response, expected)
    assert Topic.objects.filter(title=f"Nuovo da {column}").exists() == (expected == "ok")


@pytest.mark.parametrize("where", ["community", "group", "locked"])
@pytest.mark.parametrize("column", COLUMNS)
def test_reply(client, disc, column, where):
    login(client, disc, column)
    topic = disc.group_topic if where == "group" else disc.topic
    if where == "locked":
        Topic.objects.filter(pk=topic.pk).update(locked=True)
    readers = GROUP_READERS if where == "group" else READERS
    repliers = MANAGERS if where == "locked" else readers
    expected = _expected(column, readers, repliers)
    text = f"Risposta di {column} ({where})"
    response = client.post(reverse("discussions:reply", args=[topic.pk]), {"text": text})
    _check(response, expected)
    assert Reply.objects.filter(comment=text).exists() == (expected == "ok")


@pytest.mark.parametrize("where", ["community", "group"])
@pytest.mark.parametrize("column", COLUMNS)
def test_flag(client, disc, column, where):
    login(client, disc, column)
    topic = disc.topic if where == "community" else disc.group_topic
    reply = ReplyFactory(topic=topic, user=disc.subject)  # nobody's own reply
    readers = READERS if where == "community" else GROUP_READERS
    expected = _expected(column, readers, readers)
    if column == "staff":
        expected = 403  # staff moderate (the policy) but do not take part
    url = reverse("discussions:flag_reply", args=[reply.pk])
    response = client.post(url, {"reason": "off_topic"})
    _check(response, expected, anonymous_login=column == "anonymous")
    assert Flag.objects.filter(reply=reply).exists() == (expected == "ok")
    if column == "anonymous":
        missing = client.post(reverse("discussions:flag_reply", args=[999999]), {"reason": "spam"})
        assert missing.status_code == response.status_code


@pytest.mark.parametrize("column", COLUMNS)
def test_moderate(client, disc, column):
    user = login(client, disc, column)
    expected = _expected(column, READERS | {"staff"}, MANAGERS | {"staff"})
    response = client.get(reverse("discussions:moderation_queue", args=[disc.community.pk]))
    _check(response, expected, anonymous_login=column == "anonymous")
    # The topic page offers moderation to the managers only (computed once per page)
    if column in READERS:
        perms = client.get(disc.topic.get_absolute_url()).context["perms"]
        assert perms["moderate"] == (column in MANAGERS)
    assert user is not None


# --- Straight to django-comments' endpoint ----------------------------------------------------


def _comment_data(topic, text, parent=0):
    data = XtdCommentForm(topic).initial.copy()
    data.update({"comment": text, "name": "X", "email": "x@example.it", "reply_to": parent})
    data.update({"followup": "", "honeypot": ""})
    return data


@pytest.mark.parametrize(
    ("column", "where", "allowed"),
    [
        ("participant", "community", True),
        ("participant", "group", False),  # not in the group
        ("participant", "locked", False),
        ("coordinator", "locked", True),
        ("other_member", "community", False),  # non-member
        ("registered", "community", False),
        ("anonymous", "community", False),
        ("staff", "community", False),
        ("wg_member", "group", True),
    ],
)
def test_direct_post_to_comment_endpoint(client, disc, column, where, allowed):
    login(client, disc, column)
    topic = disc.group_topic if where == "group" else disc.topic
    if where == "locked":
        Topic.objects.filter(pk=topic.pk).update(locked=True)
        topic.refresh_from_db()
    before = Topic.objects.get(pk=topic.pk).reply_count
    sent = []

    def listener(sender, reply, **kwargs):
        sent.append(reply.pk)

    signals.reply_posted.connect(listener)
    try:
        text = f"Diretto da {column} **grassetto** <b>html</b>"
        response = client.post(reverse("comments-post-comment"), _comment_data(topic, text))
    finally:
        signals.reply_posted.disconnect(listener)
    stored = Reply.objects.filter(comment=text)
    if allowed:
        assert response.status_code == 302, response.status_code
        reply = stored.get()
        assert reply.topic_id == topic.pk and reply.space_id == topic.space_id
        assert "<strong>grassetto</strong>" in reply.body_html
        assert "<b>" not in reply.body_html
        assert sent == [reply.pk]  # exactly once
        assert Topic.objects.get(pk=topic.pk).reply_count == before + 1
    else:
        assert response.status_code == 400
        assert not stored.exists()
        assert sent == []
        assert Topic.objects.get(pk=topic.pk).reply_count == before


def test_direct_post_cannot_answer_a_reply_of_another_topic(client, disc):
    login(client, disc, "participant")
    data = _comment_data(disc.topic, "Figlia abusiva", parent=disc.group_reply.pk)
    response = client.post(reverse("comments-post-comment"), data)
    assert response.status_code == 400
    assert not Reply.objects.filter(comment="Figlia abusiva").exists()


def test_direct_post_is_rate_limited(client, disc, settings):
    settings.DISCUSSIONS_RATE_LIMITS = {"reply": [(1, 60)]}
    login(client, disc, "participant")
    url = reverse("comments-post-comment")
    assert client.post(url, _comment_data(disc.topic, "prima")).status_code == 302
    assert client.post(url, _comment_data(disc.topic, "seconda")).status_code == 400
    assert not Reply.objects.filter(comment="seconda").exists()


def test_library_urls_that_would_leak_are_not_mounted(client, disc):
    login(client, disc, "other_member")
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Topic)
    for url in (
        f"/commenti/api/{ct.app_label}-{ct.model}/{disc.topic.pk}/",
        f"/commenti/cr/{ct.pk}/{disc.topic.pk}/",
        "/commenti/flag/1/",
    ):
        assert client.get(url).status_code == 404
