"""Moderation of topics' opening posts, as for replies (issue 12): members report them; the
coordinator and the support team (and staff) hide, restore, edit and delete them; authors edit
their own within the window but never once hidden; every moderation action is in the moderation
log and in the audit trail. Through the site and the API, as each role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from discussions import permissions as discussion_permissions
from discussions.models import Flag, ModerationLog, Reply, Topic, TopicRevision
from discussions.services import moderation
from membership.models import Ente
from search import engine

from .conftest import user_for
from .factories import ReplyFactory, TopicFactory

pytestmark = pytest.mark.django_db

Log = ModerationLog.Action
MODERATORS = ["coordinator", "support", "staff"]
MEMBERS_NOT_MODERATORS = ["participant", "designated", "wg_member", "wg_coordinator"]


def site(user=None):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def durl(name, *args):
    return reverse(f"discussions:{name}", args=args)


def aurl(name, *args):
    return reverse(f"community_api:{name}", args=args)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def audited(action, obj):
    return ModelLogEntry.objects.filter(action=f"discussions.{action}", object_id=str(obj.pk))


def hide(disc, topic=None, reason="Dati personali nel testo"):
    topic = topic or disc.topic
    return moderation.hide_topic(user_for(disc, "coordinator"), topic, reason)


# --- Members report an opening post -------------------------------------------------------------


def test_member_flags_a_topic_on_the_site(disc):
    participant = disc.users["participant"]
    page = site(participant).get(disc.topic.get_absolute_url())
    assert durl("flag_topic", disc.topic.pk) in page.text
    response = site(participant).post(
        durl("flag_topic", disc.topic.pk), {"reason": Flag.Reason.PERSONAL_DATA, "note": "CF"}
    )
    assert response.status_code == 302
    flag = Flag.objects.get(topic=disc.topic)
    assert flag.user == participant and flag.reply is None and flag.note == "CF"
    # Once: the second report is not stored, the member is told.
    again = site(participant).post(
        durl("flag_topic", disc.topic.pk), {"reason": Flag.Reason.SPAM}, follow=True
    )
    assert again.status_code == 200
    assert Flag.objects.filter(topic=disc.topic).count() == 1
    # The page now says it was reported.
    page = site(participant).get(disc.topic.get_absolute_url())
    assert durl("flag_topic", disc.topic.pk) not in page.text


def test_flag_topic_form_keeps_input_on_error(disc):
    response = site(disc.users["participant"]).post(
        durl("flag_topic", disc.topic.pk), {"reason": "boh", "note": "il mio testo"}
    )
    assert response.status_code == 400
    assert "il mio testo" in response.text
    assert not Flag.objects.exists()


def test_author_cannot_flag_own_topic_and_outsiders_learn_nothing(disc):
    author = disc.users["designated"]
    assert site(author).post(durl("flag_topic", disc.topic.pk), {"reason": "spam"}).status_code == (
        403
    )
    for column in ("registered", "other_member"):
        response = site(disc.users[column]).post(
            durl("flag_topic", disc.topic.pk), {"reason": "spam"}
        )
        assert response.status_code == 404, column
    # A working group's topic: the community's other members learn nothing.
    response = site(disc.users["participant"]).post(
        durl("flag_topic", disc.group_topic.pk), {"reason": "spam"}
    )
    assert response.status_code == 404
    assert not Flag.objects.exists()


def test_member_flags_a_topic_through_the_api(disc):
    client = api(disc.users["participant"])
    response = client.post(
        aurl("discussion_topic_flag", disc.topic.pk), {"reason": "spam"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["topic_id"] == disc.topic.pk
    assert response.json()["reply_id"] is None
    second = client.post(
        aurl("discussion_topic_flag", disc.topic.pk), {"reason": "spam"}, format="json"
    )
    assert second.status_code == 409
    own = api(disc.users["designated"]).post(
        aurl("discussion_topic_flag", disc.topic.pk), {"reason": "spam"}, format="json"
    )
    assert own.status_code == 403
    outsider = api(disc.users["other_member"]).post(
        aurl("discussion_topic_flag", disc.topic.pk), {"reason": "spam"}, format="json"
    )
    assert outsider.status_code == 404
    detail = client.get(aurl("discussion_topic", disc.topic.pk)).json()
    assert detail["flagged_by_me"] is True
    assert detail["permissions"]["flag_topic"] is True


def test_moderation_queue_lists_reported_topics(disc):
    moderation.flag_topic(user_for(disc, "participant"), disc.topic, "spam", "pubblicità")
    queue = site(disc.users["coordinator"]).get(durl("moderation_queue", disc.community.pk))
    assert queue.status_code == 200
    assert f'id="flagged-topic-{disc.topic.pk}"' in queue.text
    assert "pubblicità" in queue.text
    # Dismissing closes the report, logs and audits it.
    response = site(disc.users["coordinator"]).post(durl("dismiss_topic_flags", disc.topic.pk))
    assert response.status_code == 302
    assert Flag.objects.get(topic=disc.topic).resolved_at is not None
    assert ModerationLog.objects.filter(action=Log.DISMISS_FLAGS, topic=disc.topic).exists()
    assert audited("dismiss", disc.topic).exists()


# --- Moderators hide and restore an opening post ------------------------------------------------


@pytest.mark.parametrize("column", MODERATORS)
def test_moderator_hides_and_restores_a_topic_on_the_site(disc, column):
    moderation.flag_topic(user_for(disc, "participant"), disc.topic, "spam")
    client = site(disc.users[column])
    form = client.get(durl("hide_topic", disc.topic.pk))
    assert form.status_code == 200
    assert client.post(durl("hide_topic", disc.topic.pk), {"reason": ""}).status_code == 400
    response = client.post(durl("hide_topic", disc.topic.pk), {"reason": "Dati personali"})
    assert response.status_code == 302
    topic = reload(disc.topic)
    assert topic.is_hidden and topic.hidden_reason == "Dati personali"
    assert topic.hidden_by == disc.users[column]
    assert Flag.objects.get(topic=topic).resolved_at is not None
    entry = ModerationLog.objects.get(action=Log.HIDE_TOPIC)
    assert entry.actor == disc.users[column] and entry.topic == topic
    audit_entry = audited("hide_topic", topic).get()
    assert audit_entry.user_id == disc.users[column].pk
    assert audit_entry.data["topic"] == topic.pk and audit_entry.data["reports"] == 1
    assert "Dati personali" not in str(audit_entry.data)  # ids only: the reason stays local

    queue = site(disc.users["coordinator"]).get(durl("moderation_queue", disc.community.pk))
    assert f'id="hidden-topic-{topic.pk}"' in queue.text

    assert client.post(durl("unhide_topic", topic.pk)).status_code == 302
    topic = reload(topic)
    assert not topic.is_hidden and topic.hidden_reason == ""
    assert ModerationLog.objects.filter(action=Log.UNHIDE_TOPIC).count() == 1
    assert audited("unhide_topic", topic).exists()


@pytest.mark.parametrize("column", MEMBERS_NOT_MODERATORS)
def test_non_moderators_cannot_hide(disc, column):
    client = site(disc.users[column])
    topic = disc.group_topic if column.startswith("wg") else disc.topic
    assert client.post(durl("hide_topic", topic.pk), {"reason": "No"}).status_code == 403
    assert client.post(durl("unhide_topic", topic.pk)).status_code == 403
    assert client.post(durl("dismiss_topic_flags", topic.pk)).status_code == 403
    response = api(disc.users[column]).post(
        aurl("discussion_topic_hide", topic.pk), {"reason": "No"}, format="json"
    )
    assert response.status_code == 403
    reply_hide = api(disc.users[column]).post(
        aurl("discussion_reply_hide", disc.reply.pk), {"reason": "No"}, format="json"
    )
    assert reply_hide.status_code == 403
    assert not reload(topic).is_hidden and reload(disc.reply).is_public
    assert not ModerationLog.objects.exists()


def test_outsiders_cannot_hide_and_learn_nothing(disc):
    for column in ("registered", "other_member"):
        client = site(disc.users[column])
        assert client.post(durl("hide_topic", disc.topic.pk), {"reason": "x"}).status_code == 404
        response = api(disc.users[column]).post(
            aurl("discussion_topic_hide", disc.topic.pk), {"reason": "x"}, format="json"
        )
        assert response.status_code == 404


def test_moderator_hides_and_restores_through_the_api(disc):
    client = api(disc.users["support"])
    response = client.post(
        aurl("discussion_topic_hide", disc.topic.pk), {"reason": "Fuori tema"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "hidden"
    assert response.json()["body"] == disc.topic.body  # the moderators still read it
    again = client.post(
        aurl("discussion_topic_hide", disc.topic.pk), {"reason": "x"}, format="json"
    )
    assert again.status_code == 409
    assert client.post(aurl("discussion_topic_unhide", disc.topic.pk)).status_code == 200
    assert client.post(aurl("discussion_topic_unhide", disc.topic.pk)).status_code == 409
    # Replies too.
    response = client.post(
        aurl("discussion_reply_hide", disc.reply.pk), {"reason": "Spam"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "hidden"
    assert audited("hide", disc.reply).exists()
    assert client.post(aurl("discussion_reply_unhide", disc.reply.pk)).status_code == 200
    assert reload(disc.reply).is_public


# --- What members see of a hidden opening post --------------------------------------------------


def test_hidden_topic_keeps_title_and_replies_hides_the_text(disc):
    hide(disc)
    with translation.override("it"):
        page = site(disc.users["participant"]).get(disc.topic.get_absolute_url())
    assert page.status_code == 200
    assert disc.topic.title in page.text
    assert "Messaggio di apertura nascosto dalla moderazione" in page.text
    assert "Nascosto dalla moderazione" in page.text
    assert "piano</strong>" not in page.text  # the body's rendering
    assert "Dati personali nel testo" not in page.text  # the reason: author and moderators
    assert disc.reply.comment in page.text  # the replies stay
    # The author reads the reason, not the text; the moderators read both.
    author_page = site(disc.users["designated"]).get(disc.topic.get_absolute_url())
    assert "Dati personali nel testo" in author_page.text
    assert "piano</strong>" not in author_page.text
    moderator_page = site(disc.users["coordinator"]).get(disc.topic.get_absolute_url())
    assert "piano</strong>" in moderator_page.text
    assert durl("unhide_topic", disc.topic.pk) in moderator_page.text
    # The list marks it.
    listing = site(disc.users["participant"]).get(durl("topic_list", disc.community.pk))
    assert disc.topic.title in listing.text


def test_hidden_topic_takes_replies_from_the_managers_only(disc):
    hide(disc)
    member = site(disc.users["participant"]).post(durl("reply", disc.topic.pk), {"text": "Io"})
    assert member.status_code == 403
    coordinator = site(disc.users["coordinator"]).post(
        durl("reply", disc.topic.pk), {"text": "Chiarimento della moderazione"}
    )
    assert coordinator.status_code == 302
    api_member = api(disc.users["participant"]).post(
        aurl("discussion_replies", disc.topic.pk), {"text": "Io"}, format="json"
    )
    assert api_member.status_code == 403


def test_hidden_topic_in_the_api(disc):
    hide(disc)
    member = api(disc.users["participant"]).get(aurl("discussion_topic", disc.topic.pk)).json()
    assert member["state"] == "hidden"
    assert member["body"] is None and member["body_html"] is None
    assert member["hidden_reason"] is None
    assert member["title"] == disc.topic.title
    assert member["threads"]["count"] == 1  # the replies stay
    assert member["permissions"]["flag_topic"] is False
    author = api(disc.users["designated"]).get(aurl("discussion_topic", disc.topic.pk)).json()
    assert author["body"] is None and author["hidden_reason"] == "Dati personali nel testo"
    listing = api(disc.users["participant"]).get(aurl("discussion_topics", disc.community.pk))
    states = {row["id"]: row["state"] for row in listing.json()["results"]}
    assert states[disc.topic.pk] == "hidden"


def test_hidden_topic_leaves_search(disc, django_capture_on_commit_callbacks):
    word = "ornitorinco"
    topic = TopicFactory(space=disc.community, author=disc.users["designated"], body=f"Un {word}")

    def found():
        outcome = engine.search(engine.SearchRequest(user=user_for(disc, "participant"), text=word))
        return {hit.obj.pk for hit in outcome.hits if hit.kind == "topic"}

    assert topic.pk in found()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_topic(user_for(disc, "coordinator"), topic, "Spam")
    assert topic.pk not in found()
    assert not Topic.get_indexed_objects().filter(pk=topic.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.unhide_topic(user_for(disc, "coordinator"), topic)
    assert topic.pk in found()
    # Even with a stale index entry, the query filters hidden opening posts out.
    Topic.objects.filter(pk=topic.pk).update(hidden_at=timezone.now())
    assert topic.pk not in found()
    # ... while the member still reads it in the list (title and replies).
    assert topic in discussion_permissions.visible_topics(user_for(disc, "participant"))


# --- Editing and deleting -----------------------------------------------------------------------


def test_author_edits_own_topic_within_the_window(disc):
    author = disc.users["designated"]
    response = site(author).post(
        durl("topic_edit", disc.topic.pk), {"title": "Piano aggiornato", "body": "Nuovo testo"}
    )
    assert response.status_code == 302
    topic = reload(disc.topic)
    assert topic.title == "Piano aggiornato" and topic.edited_at is not None
    revision = TopicRevision.objects.get(topic=topic)
    assert revision.title == "Piano di continuità operativa" and revision.edited_by == author
    assert not ModerationLog.objects.exists()  # the author's own edit is not moderation
    # After the window: refused, with the reason.
    Topic.objects.filter(pk=topic.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    late = site(author).post(durl("topic_edit", topic.pk), {"title": "Ancora", "body": "x"})
    assert late.status_code == 403


def test_others_cannot_edit_or_delete_a_topic(disc):
    for column in ("participant", "wg_member"):
        client = site(disc.users[column])
        assert client.get(durl("topic_edit", disc.topic.pk)).status_code == 403
        assert client.post(durl("topic_delete", disc.topic.pk)).status_code == 403
    assert site(disc.users["other_member"]).get(durl("topic_edit", disc.topic.pk)).status_code == (
        404
    )
    response = api(disc.users["participant"]).patch(
        aurl("discussion_topic", disc.topic.pk), {"title": "Mio"}, format="json"
    )
    assert response.status_code == 403
    assert reload(disc.topic).title == "Piano di continuità operativa"


def test_author_cannot_edit_a_hidden_topic_site_and_api(disc):
    hide(disc)
    author = disc.users["designated"]
    page = site(author).get(durl("topic_edit", disc.topic.pk))
    assert page.status_code == 403
    post = site(author).post(durl("topic_edit", disc.topic.pk), {"title": "Io", "body": "Io"})
    assert post.status_code == 403
    response = api(author).patch(
        aurl("discussion_topic", disc.topic.pk), {"body": "Riscritto"}, format="json"
    )
    assert response.status_code == 403
    assert "nascost" in response.json()["detail"] or "hid" in response.json()["detail"]
    assert site(author).post(durl("topic_delete", disc.topic.pk)).status_code == 403
    assert api(author).delete(aurl("discussion_topic", disc.topic.pk)).status_code == 403
    assert reload(disc.topic).body.startswith("Come avete scritto")


def test_author_cannot_edit_a_hidden_reply_site_and_api(disc):
    author = disc.users["participant"]
    reply = disc.reply
    # Before hiding: the author may edit (within the window).
    response = api(author).patch(
        aurl("discussion_reply", reply.pk), {"text": "Testo corretto."}, format="json"
    )
    assert response.status_code == 200 and response.json()["text"] == "Testo corretto."
    moderation.hide_reply(user_for(disc, "coordinator"), reply, "Offensiva")
    edit_page = site(author).get(durl("reply_edit", disc.topic.pk, reply.pk))
    assert edit_page.status_code == 403
    post = site(author).post(durl("reply_edit", disc.topic.pk, reply.pk), {"text": "Riscritto"})
    assert post.status_code == 403
    refused = api(author).patch(
        aurl("discussion_reply", reply.pk), {"text": "Riscritto"}, format="json"
    )
    assert refused.status_code == 403
    assert reload(reply).comment == "Testo corretto."


@pytest.mark.parametrize("column", MODERATORS)
def test_moderator_edits_someone_elses_topic(disc, column):
    client = site(disc.users[column])
    form = client.get(durl("topic_edit", disc.topic.pk))
    assert form.status_code == 200 and 'name="reason"' in form.text
    response = client.post(
        durl("topic_edit", disc.topic.pk),
        {"title": "Titolo corretto", "body": disc.topic.body, "reason": "Dati nel titolo"},
    )
    assert response.status_code == 302
    assert reload(disc.topic).title == "Titolo corretto"
    entry = ModerationLog.objects.get(action=Log.EDIT_TOPIC)
    assert entry.actor == disc.users[column] and entry.reason == "Dati nel titolo"
    assert audited("edit_topic", disc.topic).exists()
    assert TopicRevision.objects.get(topic=disc.topic).edited_by == disc.users[column]


def test_moderator_edits_a_hidden_topic_through_the_api(disc):
    hide(disc)
    response = api(disc.users["coordinator"]).patch(
        aurl("discussion_topic", disc.topic.pk),
        {"body": "Testo senza dati personali", "reason": "Ripulito"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["body"] == "Testo senza dati personali"
    assert ModerationLog.objects.filter(action=Log.EDIT_TOPIC, reason="Ripulito").exists()


@pytest.mark.parametrize("column", MODERATORS)
def test_moderator_deletes_a_topic_with_a_reason(disc, column):
    client = site(disc.users[column])
    topic_id = disc.topic.pk
    assert client.get(durl("topic_delete", topic_id)).status_code == 200
    missing = client.post(durl("topic_delete", topic_id), {"reason": ""})
    assert missing.status_code == 400
    assert Topic.objects.filter(pk=topic_id).exists()
    response = client.post(durl("topic_delete", topic_id), {"reason": "Spam ripetuto"})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic_id).exists()
    assert not Reply.objects.filter(topic_id=topic_id).exists()
    entry = ModerationLog.objects.get(action=Log.DELETE_TOPIC)
    assert entry.topic is None and entry.reason == "Spam ripetuto"  # the log entry stays
    assert entry.details["replies"] == 1
    assert ModelLogEntry.objects.filter(
        action="discussions.delete_topic", object_id=str(topic_id)
    ).exists()
    assert site(disc.users["participant"]).get(durl("topic_short", topic_id)).status_code == 404


def test_moderator_deletes_through_the_api(disc):
    client = api(disc.users["support"])
    url = aurl("discussion_topic", disc.topic.pk)
    assert client.delete(url).status_code == 400  # a reason is required
    assert client.delete(url + "?reason=Spam").status_code == 204
    assert not Topic.objects.filter(pk=disc.topic.pk).exists()


def test_author_deletes_own_topic_while_nobody_replied(disc):
    author = disc.users["designated"]
    fresh_topic = TopicFactory(space=disc.community, author=author)
    response = site(author).post(durl("topic_delete", fresh_topic.pk))
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=fresh_topic.pk).exists()
    assert not ModerationLog.objects.exists()  # not a moderation action
    # With a reply from someone else: the moderators only.
    refused = site(author).post(durl("topic_delete", disc.topic.pk))
    assert refused.status_code == 403
    another = TopicFactory(space=disc.community, author=author)
    assert api(author).delete(aurl("discussion_topic", another.pk)).status_code == 204


def test_author_deletes_own_reply_through_the_api(disc):
    reply = ReplyFactory(topic=disc.topic, user=disc.users["participant"])
    target = aurl("discussion_reply", reply.pk)
    assert api(disc.users["designated"]).delete(target).status_code == 403
    assert api(disc.users["participant"]).delete(target).status_code == 204
    assert reload(reply).is_removed


# --- Every moderation action is in the audit trail ----------------------------------------------


def test_every_reply_and_topic_action_is_audited(disc):
    coordinator = user_for(disc, "coordinator")
    moderation.flag_reply(user_for(disc, "designated"), disc.reply, "spam")
    moderation.dismiss_flags(coordinator, disc.reply)
    moderation.hide_reply(coordinator, disc.reply, "Spam")
    moderation.unhide_reply(coordinator, reload(disc.reply))
    moderation.set_locked(coordinator, disc.topic, True)
    moderation.set_locked(coordinator, disc.topic, False)
    moderation.set_pinned(coordinator, disc.topic, True)
    moderation.set_pinned(coordinator, disc.topic, False)
    moderation.move_topic(coordinator, disc.topic, disc.group)
    logged = list(ModerationLog.objects.values_list("action", flat=True))
    audit = list(
        ModelLogEntry.objects.filter(action__startswith="discussions.").values_list(
            "action", flat=True
        )
    )
    assert sorted(f"discussions.{action}" for action in logged) == sorted(audit)
    assert set(logged) == {"dismiss", "hide", "unhide", "lock", "unlock", "pin", "unpin", "move"}
    move = ModelLogEntry.objects.get(action="discussions.move")
    assert move.data["to_space"] == disc.group.pk
    assert "to_title" not in move.data  # titles stay in the moderation log
    assert move.label == f"topic #{disc.topic.pk}"


def test_audit_actions_are_registered():
    from wagtail.log_actions import registry

    for value, _label in ModerationLog.Action.choices:
        assert registry.action_exists(f"discussions.{value}"), value


# --- The author line: a claimed authority is "in verifica" --------------------------------------


def test_pending_authority_is_under_verification_in_discussions(disc):
    author = disc.users["designated"]
    author.ente = Ente.objects.create(
        name="Comune di Nuovaterra", status=Ente.Status.PENDING, proposed_by=author
    )
    author.save()
    replier = disc.users["participant"]
    replier.ente = Ente.objects.create(name="Comune di Anzio", province_code="RM")
    replier.save()
    with translation.override("it"):
        page = site(disc.users["coordinator"]).get(disc.topic.get_absolute_url())
    assert "Comune di Nuovaterra (in verifica)" in page.text
    assert "Comune di Anzio (RM)" in page.text
    assert "Comune di Anzio (RM) (in verifica)" not in page.text
    data = (
        api(disc.users["coordinator"])
        .get(aurl("discussion_topic", disc.topic.pk), HTTP_ACCEPT_LANGUAGE="it")
        .json()
    )
    assert data["author"]["ente"] == "Comune di Nuovaterra"
    assert data["author"]["ente_verified"] is False
    assert data["author"]["ente_label"] == "Comune di Nuovaterra (in verifica)"
    reply = data["threads"]["results"][0]
    assert reply["author"]["ente_verified"] is True
    assert reply["author"]["ente_label"] == "Comune di Anzio (RM)"


def test_rejected_authority_is_not_shown(disc):
    author = disc.users["designated"]
    author.ente = Ente.objects.create(name="Ente Respinto", status=Ente.Status.REJECTED)
    author.save()
    page = site(disc.users["participant"]).get(disc.topic.get_absolute_url())
    assert "Ente Respinto" not in page.text
    data = api(disc.users["participant"]).get(aurl("discussion_topic", disc.topic.pk)).json()
    assert data["author"]["ente"] is None and data["author"]["ente_label"] is None
