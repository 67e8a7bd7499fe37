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
    refused = client.post(url, _comment_data(disc.topic, "seconda"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "seconda" in refused.content.decode()  # the text is kept, in the reply form
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


# --- What the endpoint answers when it stores nothing (review of issue 12) ---------------------


def _suspend(disc, column="participant"):
    import datetime

    from django.utils import timezone

    from communities import services as community_services
    from communities.models import Membership

    member = disc.users[column]
    membership = Membership.objects.get(user=member, community=disc.community, left_at__isnull=True)
    community_services.suspend_member(
        user_for(disc, "coordinator"),
        membership,
        timezone.now() + datetime.timedelta(days=7),
        "Toni offensivi",
    )
    return member


def _variant(data, variant):
    if variant == "preview":
        data["preview"] = "1"
    elif variant == "empty_comment":
        data["comment"] = "   "
    elif variant == "missing_reply_to":
        del data["reply_to"]
    elif variant == "expired":
        data["timestamp"] = "1000"  # a form from 1970: the security check refuses it
    return data


VARIANTS = ["preview", "empty_comment", "missing_reply_to", "expired"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_endpoint_gives_a_member_the_reply_form_back_with_the_text(
    client, disc, no_rate_limits, variant
):
    login(client, disc, "participant")
    before = Topic.objects.get(pk=disc.topic.pk).reply_count
    text = f"La mia risposta ({variant})"
    data = _variant(_comment_data(disc.topic, text, parent=disc.reply.pk), variant)
    response = client.post(reverse("comments-post-comment"), data)
    assert response.status_code == 400
    assert "discussions/reply_form.html" in [t.name for t in response.templates]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert 'id="form-errors"' in page
    assert reverse("discussions:reply", args=[disc.topic.pk]) in page  # posts to the site's view
    if variant == "empty_comment":
        assert "Scrivi la tua risposta." in page
    else:
        assert text in page  # what was typed is in the form
    if variant == "preview":
        assert "L&#x27;anteprima non è disponibile" in page
    if variant != "missing_reply_to":
        assert response.context["parent"] == disc.reply  # still answering the same reply
    assert not Reply.objects.filter(comment=text).exists()
    assert Topic.objects.get(pk=disc.topic.pk).reply_count == before


def test_the_returned_form_publishes_through_the_site(client, disc, no_rate_limits):
    login(client, disc, "participant")
    data = _variant(_comment_data(disc.topic, "Riletta e pubblicata"), "preview")
    form = client.post(reverse("comments-post-comment"), data).context["form"]
    response = client.post(
        reverse("discussions:reply", args=[disc.topic.pk]),
        {"text": form.initial["text"], "parent": form.initial["parent"] or ""},
    )
    assert response.status_code == 302
    assert Reply.objects.filter(comment="Riletta e pubblicata").exists()


@pytest.mark.parametrize("column", ["anonymous", "other_member", "registered", "suspended"])
@pytest.mark.parametrize("variant", [*VARIANTS, "valid"])
def test_endpoint_discloses_nothing_to_who_may_not_reply(
    client, disc, no_rate_limits, column, variant
):
    if column == "suspended":
        client.force_login(_suspend(disc))
    else:
        login(client, disc, column)
    text = f"Testo di {column} ({variant})"
    data = _variant(_comment_data(disc.topic, text), variant)
    response = client.post(reverse("comments-post-comment"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "discussions/reply_not_posted.html" in [t.name for t in response.templates]
    assert "Questa risposta non può essere pubblicata qui." in page
    assert disc.topic.title not in page
    if variant != "empty_comment":
        assert text in page  # theirs to copy
    assert "no-store" in response["Cache-Control"]
    assert not Reply.objects.filter(comment=text).exists()


def test_endpoint_tells_a_reader_why_a_locked_topic_takes_no_reply(client, disc):
    Topic.objects.filter(pk=disc.topic.pk).update(locked=True)
    login(client, disc, "participant")
    response = client.post(reverse("comments-post-comment"), _comment_data(disc.topic, "Chiuso?"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Questo argomento è chiuso: non accetta nuove risposte." in page
    assert "Chiuso?" in page
    assert not Reply.objects.filter(comment="Chiuso?").exists()


def test_endpoint_answers_json_clients_in_json(client, disc, no_rate_limits):
    login(client, disc, "participant")
    data = _variant(_comment_data(disc.topic, "In JSON"), "missing_reply_to")
    response = client.post(reverse("comments-post-comment"), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "reply_not_posted"
    assert body["detail"].startswith("Il modulo di risposta era incompleto")
    assert "reply_to" in body["errors"]
    client.logout()
    stranger = client.post(
        reverse("comments-post-comment"),
        _comment_data(disc.topic, "In JSON"),
        HTTP_ACCEPT="application/json",
    )
    assert stranger.status_code == 400
    assert set(stranger.json()) == {"detail", "code"}


def test_endpoint_refuses_other_targets_and_garbage(client, disc):
    login(client, disc, "participant")
    url = reverse("comments-post-comment")
    data = _comment_data(disc.topic, "Altrove")
    for changes in (
        {"content_type": "membership.user", "object_pk": str(disc.users["participant"].pk)},
        {"content_type": "discussions.topic", "object_pk": "999999"},
        {"content_type": "nonsense", "object_pk": "x"},
        {"content_type": ""},
    ):
        response = client.post(url, {**data, **changes})
        assert response.status_code == 400, changes
    assert client.get(url).status_code == 405
    assert not Reply.objects.filter(comment="Altrove").exists()


def test_a_published_reply_leads_back_to_the_topic(client, disc, no_rate_limits):
    login(client, disc, "participant")
    response = client.post(reverse("comments-post-comment"), _comment_data(disc.topic, "Eccomi"))
    assert response.status_code == 302
    assert response["Location"].startswith(disc.topic.get_absolute_url())
    assert Reply.objects.filter(comment="Eccomi").exists()
