"""The discussions' pages: lists, new topic, topic page, replies, edits, deletes, reactions,
quotes, unread markers, rate limits (tests/discussions/test_gate.py has the role matrix)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from discussions.models import Reaction, Reply, ReplyRevision, Topic, TopicRead

from .conftest import user_for
from .factories import ReplyFactory, TopicFactory


def shown(text) -> str:
    """A UI string as the Italian page shows it (translated and escaped)."""
    with translation.override("it"):
        return escape(translation.gettext(text))


pytestmark = pytest.mark.django_db


def login(client, disc, column):
    user = user_for(disc, column)
    client.force_login(user)
    return user


def test_topic_list_sorted_by_activity_with_pinned_first_and_unread_markers(client, disc):
    user = login(client, disc, "participant")
    old = TopicFactory(space=disc.community, title="Argomento vecchio")
    Topic.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - timedelta(days=3))
    pinned = TopicFactory(space=disc.community, title="Argomento fissato", pinned=True)
    Topic.objects.filter(pk=pinned.pk).update(last_activity_at=timezone.now() - timedelta(days=9))
    TopicRead.objects.create(
        user=user, topic=disc.topic, read_at=timezone.now() - timedelta(days=1)
    )
    TopicRead.objects.create(user=user, topic=old, read_at=timezone.now())
    response = client.get(reverse("discussions:topic_list", args=[disc.community.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        html.index("Argomento fissato")
        < html.index(disc.topic.title)
        < html.index("Argomento vecchio")
    )
    topics = {t.pk: t for t in response.context["topics"]}
    assert topics[pinned.pk].is_new  # never opened
    assert topics[disc.topic.pk].is_unread  # activity after the last read
    assert not topics[old.pk].is_unread and not topics[old.pk].is_new
    # group topics are listed in the group's space only
    assert disc.group_topic.title not in html
    assert "no-store" in response["Cache-Control"]


def test_topic_list_is_paginated(client, disc):
    login(client, disc, "participant")
    for _ in range(25):
        TopicFactory(space=disc.community)
    url = reverse("discussions:topic_list", args=[disc.community.pk])
    first = client.get(url)
    assert len(first.context["topics"]) == 20
    second = client.get(url + "?page=2")
    assert len(second.context["topics"]) == 6


def test_new_topic_button_only_for_who_may_open_topics(client, disc):
    url = reverse("discussions:topic_list", args=[disc.community.pk])
    new_url = reverse("discussions:topic_new", args=[disc.community.pk])
    login(client, disc, "participant")
    assert new_url not in client.get(url).content.decode()
    login(client, disc, "designated")
    assert new_url in client.get(url).content.decode()


def test_designated_opens_a_topic_rendered_safely(client, disc):
    user = login(client, disc, "designated")
    response = client.post(
        reverse("discussions:topic_new", args=[disc.community.pk]),
        {
            "title": "Backup dei dati",
            "body": "Usate il **3-2-1**? <script>alert(1)</script> [guida](https://example.it)",
            "tags": "backup, continuità operativa",
        },
    )
    topic = Topic.objects.get(title="Backup dei dati")
    assert response.status_code == 302
    assert response["Location"] == topic.get_absolute_url()
    assert topic.author == user and topic.space_id == disc.community.pk
    assert sorted(topic.tagged_items.values_list("tag__name", flat=True)) == [
        "backup",
        "continuità operativa",
    ]
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>3-2-1</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'rel="nofollow ugc"' in page


def test_participant_gets_403_page_on_new_topic_form(client, disc):
    login(client, disc, "participant")
    url = reverse("discussions:topic_new", args=[disc.community.pk])
    for response in (client.get(url), client.post(url, {"title": "x", "body": "y"})):
        assert response.status_code == 403
        assert "communities/refused.html" in [t.name for t in response.templates]
        assert "designat" in response.context["message"]
    assert not Topic.objects.filter(title="x").exists()


def test_invalid_topic_keeps_the_text(client, disc):
    login(client, disc, "designated")
    response = client.post(
        reverse("discussions:topic_new", args=[disc.community.pk]),
        {"title": "", "body": "Il testo che ho scritto con cura"},
    )
    assert response.status_code == 400
    assert "Il testo che ho scritto con cura" in response.content.decode()
    assert "Please give the topic a title." in response.content.decode() or (
        "titolo" in response.content.decode()
    )


def test_reply_threaded_and_quoted(client, disc):
    user = login(client, disc, "participant")
    url = reverse("discussions:reply", args=[disc.topic.pk])
    response = client.post(url, {"text": "Prima risposta"})
    assert response.status_code == 302
    first = Reply.objects.get(comment="Prima risposta")
    assert response["Location"].endswith(f"#r{first.pk}")
    assert first.user == user and first.level == 0 and first.topic == disc.topic
    # quoting: the form is pre-filled with the quoted text (no JavaScript needed)
    form_page = client.get(url + f"?quote={disc.reply.pk}")
    assert form_page.status_code == 200
    assert "&gt; Noi abbiamo usato il modello AgID." in form_page.content.decode()
    client.post(url, {"text": "> citato\n\nFiglia", "parent": first.pk})
    child = Reply.objects.get(comment__endswith="Figlia")
    assert child.parent_id == first.pk and child.level == 1
    client.post(url, {"text": "Nipote", "parent": child.pk})
    grandchild = Reply.objects.get(comment="Nipote")
    assert grandchild.level == 2
    # deeper than 3 levels: attached to the deepest allowed level
    client.post(url, {"text": "Pronipote", "parent": grandchild.pk})
    assert Reply.objects.get(comment="Pronipote").level == 2
    topic = Topic.objects.get(pk=disc.topic.pk)
    assert topic.reply_count == 5  # the fixture's reply + 4
    assert topic.last_reply_author == user
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "<blockquote>" in page
    assert page.index("Prima risposta") < page.index("Figlia") < page.index("Nipote")


def test_empty_reply_is_refused_with_a_message(client, disc):
    login(client, disc, "participant")
    response = client.post(reverse("discussions:reply", args=[disc.topic.pk]), {"text": "  "})
    assert response.status_code == 400
    assert not Reply.objects.filter(comment="").exists()


def test_edit_within_window_keeps_history_and_shows_edited(client, disc):
    login(client, disc, "participant")
    url = reverse("discussions:reply_edit", args=[disc.topic.pk, disc.reply.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Testo corretto"})
    assert response.status_code == 302
    reply = Reply.objects.get(pk=disc.reply.pk)
    assert reply.comment == "Testo corretto" and reply.edited_at is not None
    assert ReplyRevision.objects.get(reply=reply).comment == "Noi abbiamo usato il modello AgID."
    page = client.get(disc.topic.get_absolute_url()).content.decode()
    assert "Testo corretto" in page
    assert response.wsgi_request  # noqa: B018
    assert shown("edited") in page


def test_edit_after_window_or_by_others_is_refused(client, disc):
    Reply.objects.filter(pk=disc.reply.pk).update(
        submit_date=timezone.now() - timedelta(minutes=16)
    )
    login(client, disc, "participant")
    url = reverse("discussions:reply_edit", args=[disc.topic.pk, disc.reply.pk])
    assert client.post(url, {"text": "tardi"}).status_code == 403
    login(client, disc, "designated")
    assert client.post(url, {"text": "non mia"}).status_code == 403
    assert Reply.objects.get(pk=disc.reply.pk).comment == "Noi abbiamo usato il modello AgID."


def test_soft_delete_keeps_thread_with_placeholder(client, disc):
    child = ReplyFactory(topic=disc.topic, parent=disc.reply, comment="Risposta alla risposta")
    login(client, disc, "designated")
    url = reverse("discussions:reply_delete", args=[disc.topic.pk, disc.reply.pk])
    assert client.post(url).status_code == 403
    login(client, disc, "participant")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    reply = Reply.objects.get(pk=disc.reply.pk)
    assert reply.is_removed and reply.is_deleted
    page = client.get(disc.topic.get_absolute_url()).content.decode()
    assert "Noi abbiamo usato il modello AgID." not in page
    assert child.comment in page
    assert shown("Reply deleted by its author") in page


def test_reactions_toggle_and_count(client, disc):
    url = reverse("discussions:reply_react", args=[disc.topic.pk, disc.reply.pk])
    login(client, disc, "designated")
    assert client.post(url, {"kind": "like"}).status_code == 302
    login(client, disc, "coordinator")
    client.post(url, {"kind": "like"})
    assert Reaction.objects.filter(reply=disc.reply, kind="like").count() == 2
    client.post(url, {"kind": "like"})  # toggles off
    assert Reaction.objects.filter(reply=disc.reply, kind="like").count() == 1
    assert client.post(url, {"kind": "boh"}).status_code == 403
    login(client, disc, "participant")  # the author
    assert client.post(url, {"kind": "thanks"}).status_code == 403
    response = client.get(disc.topic.get_absolute_url())
    (reply,) = [r for r in response.context["threads"] if r.pk == disc.reply.pk]
    like = next(r for r in reply.reactions_list if r["kind"] == "like")
    assert like["count"] == 1 and not like["mine"]


def test_reading_a_topic_marks_it_read(client, disc):
    user = login(client, disc, "participant")
    assert not TopicRead.objects.filter(user=user, topic=disc.topic).exists()
    client.get(disc.topic.get_absolute_url())
    assert TopicRead.objects.filter(user=user, topic=disc.topic).exists()


def test_wrong_slug_redirects_to_canonical(client, disc):
    login(client, disc, "participant")
    response = client.get(reverse("discussions:topic", args=[disc.topic.pk, "altro"]))
    assert response.status_code == 302
    assert response["Location"] == disc.topic.get_absolute_url()


def test_locked_topic_shows_no_form_and_refuses_members(client, disc):
    Topic.objects.filter(pk=disc.topic.pk).update(locked=True)
    login(client, disc, "participant")
    page = client.get(disc.topic.get_absolute_url())
    assert page.context["perms"]["reply"] is False
    response = client.post(reverse("discussions:reply", args=[disc.topic.pk]), {"text": "x"})
    assert response.status_code == 403
    login(client, disc, "coordinator")
    response = client.post(reverse("discussions:reply", args=[disc.topic.pk]), {"text": "ok"})
    assert response.status_code == 302


def test_english_urls(client, disc):
    login(client, disc, "participant")
    response = client.get("/en" + disc.topic.get_absolute_url())
    assert response.status_code in (200, 302)


def test_rate_limit_429_keeps_text(client, disc, rate_limits):
    login(client, disc, "participant")
    url = reverse("discussions:reply", args=[disc.topic.pk])
    for i in range(5):
        assert client.post(url, {"text": f"Risposta {i}"}).status_code == 302
    response = client.post(url, {"text": "Il mio testo da non perdere"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Il mio testo da non perdere" in html
    assert response.context["error"]
    assert Reply.objects.filter(topic=disc.topic).count() == 6
    # the limit is per user: another member still posts
    login(client, disc, "designated")
    assert client.post(url, {"text": "Altro utente"}).status_code == 302


def test_topic_rate_limit(client, disc, settings):
    settings.DISCUSSIONS_RATE_LIMITS = {"topic": [(1, 3600)]}
    login(client, disc, "designated")
    url = reverse("discussions:topic_new", args=[disc.community.pk])
    assert client.post(url, {"title": "Uno", "body": "testo"}).status_code == 302
    response = client.post(url, {"title": "Due", "body": "testo da tenere"})
    assert response.status_code == 429
    assert "testo da tenere" in response.content.decode()
    assert not Topic.objects.filter(title="Due").exists()
