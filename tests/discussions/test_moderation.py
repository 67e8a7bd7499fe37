"""Moderation: flags, hiding and restoring replies, locking, pinning and moving topics, the
moderation queue, the log, the tools on the topic page and the Wagtail audit views.

Every moderation action by the coordinator and the support team (and staff) is allowed and
logged; members who may not moderate are refused (403), anyone else gets a 404."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from discussions import permissions as discussion_permissions
from discussions.models import Flag, ModerationLog, Reply
from discussions.services import moderation

from .conftest import user_for
from .factories import ReplyFactory, TopicFactory

pytestmark = pytest.mark.django_db

Log = ModerationLog.Action
MODERATORS = ["coordinator", "support", "staff"]
MEMBERS_NOT_MODERATORS = ["participant", "designated", "wg_member", "wg_coordinator"]
OUTSIDERS = ["registered", "other_member"]


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def logged(disc, action, **filters):
    return ModerationLog.objects.filter(community=disc.community, action=action, **filters)


# --- Services: every action by every role -------------------------------------------------------


ACTIONS = {
    "hide": lambda user, d: moderation.hide_reply(user, d.reply, "Fuori tema"),
    "unhide": lambda user, d: moderation.unhide_reply(user, d.hidden),
    "lock": lambda user, d: moderation.set_locked(user, d.topic, True),
    "unlock": lambda user, d: moderation.set_locked(user, d.locked_topic, False),
    "pin": lambda user, d: moderation.set_pinned(user, d.topic, True),
    "unpin": lambda user, d: moderation.set_pinned(user, d.pinned_topic, False),
    "move": lambda user, d: moderation.move_topic(user, d.topic, d.group),
    "dismiss": lambda user, d: moderation.dismiss_flags(user, d.reply),
}


@pytest.fixture
def mod(disc):
    """The discussions world plus a hidden reply, a locked and a pinned topic, and a report."""
    d = disc
    d.hidden = ReplyFactory(topic=d.topic, user=d.users["designated"], comment="Da nascondere.")
    Reply.objects.filter(pk=d.hidden.pk).update(is_public=False, hidden_reason="Spam")
    from django.utils import timezone

    Reply.objects.filter(pk=d.hidden.pk).update(hidden_at=timezone.now())
    d.hidden = reload(d.hidden)
    d.locked_topic = TopicFactory(space=d.community, author=d.users["designated"], locked=True)
    d.pinned_topic = TopicFactory(space=d.community, author=d.users["designated"], pinned=True)
    Flag.objects.create(reply=d.reply, user=d.users["designated"], reason=Flag.Reason.SPAM)
    return d


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("column", MODERATORS)
def test_moderators_take_every_action_and_it_is_logged(mod, column, action):
    user = user_for(mod, column)
    ACTIONS[action](user, mod)
    entry = ModerationLog.objects.get(community=mod.community)
    assert entry.actor == mod.users[column]
    assert entry.action == Log(action if action != "dismiss" else "dismiss")


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("column", MEMBERS_NOT_MODERATORS)
def test_members_who_do_not_moderate_are_refused(mod, column, action):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](user_for(mod, column), mod)
    assert not ModerationLog.objects.exists()
    assert reload(mod.reply).is_public and not reload(mod.topic).locked


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("column", OUTSIDERS)
def test_outsiders_learn_nothing(mod, column, action):
    with pytest.raises(Http404):
        ACTIONS[action](user_for(mod, column), mod)
    assert not ModerationLog.objects.exists()


def test_moderation_actions_change_the_objects(mod):
    coordinator = user_for(mod, "coordinator")
    moderation.hide_reply(coordinator, mod.reply, "  Dati personali  ")
    reply = reload(mod.reply)
    assert not reply.is_public and reply.is_hidden
    assert reply.hidden_by == mod.users["coordinator"] and reply.hidden_reason == "Dati personali"
    assert Flag.objects.get(reply=reply).resolved_at is not None  # hiding closes the reports
    entry = logged(mod, Log.HIDE).get()
    assert entry.reply == reply and entry.reason == "Dati personali"
    assert entry.details == {"reports": 1}

    moderation.unhide_reply(coordinator, reply)
    reply = reload(reply)
    assert reply.is_public and not reply.is_hidden and reply.hidden_reason == ""
    assert logged(mod, Log.UNHIDE).get().details == {"hidden_reason": "Dati personali"}

    moderation.set_locked(coordinator, mod.topic, True)
    moderation.set_pinned(coordinator, mod.topic, True)
    topic = reload(mod.topic)
    assert topic.locked and topic.pinned
    # Setting what is already set changes and logs nothing.
    moderation.set_locked(coordinator, topic, True)
    assert logged(mod, Log.LOCK).count() == 1


def test_hiding_needs_a_reason_and_happens_once(mod):
    coordinator = user_for(mod, "coordinator")
    for reason in ("", "   ", "x" * (moderation.REASON_MAX_LENGTH + 1)):
        with pytest.raises(ValidationError) as error:
            moderation.hide_reply(coordinator, mod.reply, reason)
        assert "reason" in error.value.message_dict
    assert reload(mod.reply).is_public
    with pytest.raises(ValidationError) as error:
        moderation.hide_reply(coordinator, mod.hidden, "Ancora")
    assert error.value.code == "already"
    with pytest.raises(ValidationError):
        moderation.unhide_reply(coordinator, mod.reply)  # not hidden
    with pytest.raises(ValidationError):
        moderation.dismiss_flags(coordinator, mod.hidden)  # no open report
    assert not ModerationLog.objects.exists()


def test_a_failed_action_logs_nothing_and_changes_nothing(mod, monkeypatch):
    """The log entry and the change are one transaction."""
    coordinator = user_for(mod, "coordinator")

    def broken(*args, **kwargs):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(moderation, "_log", broken)
    with pytest.raises(RuntimeError):
        moderation.hide_reply(coordinator, mod.reply, "Fuori tema")
    assert reload(mod.reply).is_public
    assert Flag.objects.get(reply=mod.reply).resolved_at is None


# --- Flags --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column", ["designated", "wg_member", "wg_coordinator", "coordinator", "support"]
)
def test_members_flag_a_reply_once(disc, column):
    user = user_for(disc, column)
    flag = moderation.flag_reply(user, disc.reply, Flag.Reason.OFF_TOPIC, " non c'entra ")
    assert flag.user == disc.users[column] and flag.note == "non c'entra"
    with pytest.raises(ValidationError) as error:
        moderation.flag_reply(user, disc.reply, Flag.Reason.SPAM)
    assert error.value.code == "already"
    assert Flag.objects.filter(reply=disc.reply).count() == 1
    assert moderation.flag_state(user, [disc.reply]) == {disc.reply.pk}


def test_flag_rules(disc):
    participant = user_for(disc, "participant")
    with pytest.raises(PermissionDenied):
        moderation.flag_reply(participant, disc.reply, Flag.Reason.SPAM)  # own reply
    with pytest.raises(ValidationError):
        moderation.flag_reply(user_for(disc, "designated"), disc.reply, "boh")
    with pytest.raises(ValidationError):
        moderation.flag_reply(user_for(disc, "designated"), disc.reply, "spam", "x" * 501)
    # A working group's replies: its members only; the community's other members learn nothing.
    with pytest.raises(Http404):
        moderation.flag_reply(participant, disc.group_reply, Flag.Reason.SPAM)
    for column in ("registered", "other_member", "staff"):
        with pytest.raises(Http404):
            moderation.flag_reply(user_for(disc, column), disc.reply, Flag.Reason.SPAM)
    assert not Flag.objects.exists()


def test_flag_state_is_one_query(disc, django_assert_num_queries):
    designated = user_for(disc, "designated")
    replies = [ReplyFactory(topic=disc.topic) for _ in range(5)]
    moderation.flag_reply(designated, replies[1], Flag.Reason.SPAM)
    moderation.flag_reply(designated, replies[3], Flag.Reason.OTHER)
    with django_assert_num_queries(1):
        assert moderation.flag_state(designated, replies) == {replies[1].pk, replies[3].pk}
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert moderation.flag_state(AnonymousUser(), replies) == set()


# --- Hidden replies: placeholder, listings, search ----------------------------------------------


def test_hidden_replies_vanish_from_visible_replies_and_search(
    disc, django_capture_on_commit_callbacks
):
    from wagtail.search.backends import get_search_backend

    coordinator = user_for(disc, "coordinator")
    secret = ReplyFactory(
        topic=disc.topic, user=disc.users["designated"], comment="Zanzibarite riservatissima"
    )
    backend = get_search_backend()

    def found():
        return [r.pk for r in backend.search("Zanzibarite", Reply.objects.all())]

    assert secret.pk in found()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_reply(coordinator, secret, "Dati personali")
    member = user_for(disc, "participant")
    assert secret.pk not in set(
        discussion_permissions.visible_replies(member).values_list("pk", flat=True)
    )
    assert secret.pk not in found()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.unhide_reply(coordinator, secret)
    assert secret.pk in found()
    assert secret.pk in set(
        discussion_permissions.visible_replies(member).values_list("pk", flat=True)
    )


def test_the_topic_page_shows_a_placeholder_to_members_and_the_reason_to_moderators(disc, client):
    from django.utils.translation import gettext

    moderation.hide_reply(user_for(disc, "coordinator"), disc.reply, "Contiene un codice fiscale")
    url = disc.topic.get_absolute_url()
    client.force_login(disc.users["designated"])
    content = client.get(url).content.decode()
    assert "Noi abbiamo usato il modello AgID." not in content
    assert gettext("Reply hidden by the moderators") in content
    assert "Contiene un codice fiscale" not in content
    client.force_login(disc.users["support"])
    content = client.get(url).content.decode()
    assert "Noi abbiamo usato il modello AgID." in content
    assert "Contiene un codice fiscale" in content
    assert reverse("discussions:unhide_reply", args=[disc.reply.pk]) in content


# --- Moving a topic -----------------------------------------------------------------------------


def test_moving_a_topic_into_a_working_group_hides_it_from_community_only_members(disc):
    coordinator = user_for(disc, "coordinator")
    moderation.move_topic(coordinator, disc.topic, disc.group)
    topic = reload(disc.topic)
    assert topic.space_id == disc.group.pk and topic.community_id == disc.community.pk
    assert set(Reply.objects.filter(topic=topic).values_list("space_id", flat=True)) == {
        disc.group.pk
    }
    entry = logged(disc, Log.MOVE).get()
    assert entry.details["from_space"] == disc.community.pk
    assert entry.details["to_space"] == disc.group.pk
    for column in ("participant", "designated"):
        user = user_for(disc, column)
        assert not discussion_permissions.visible_topics(user).filter(pk=topic.pk).exists()
        assert not discussion_permissions.visible_replies(user).filter(topic=topic).exists()
    for column in ("wg_member", "coordinator"):
        assert (
            discussion_permissions.visible_topics(user_for(disc, column))
            .filter(pk=topic.pk)
            .exists()
        )
    client_for = _client(disc, "participant")
    assert client_for.get(topic.get_absolute_url()).status_code == 404
    # And back to the community.
    moderation.move_topic(coordinator, topic, disc.community)
    assert (
        discussion_permissions.visible_topics(user_for(disc, "participant"))
        .filter(pk=topic.pk)
        .exists()
    )


def test_a_topic_moves_only_within_its_community(disc):
    coordinator = user_for(disc, "coordinator")
    with pytest.raises(ValidationError):
        moderation.move_topic(coordinator, disc.topic, disc.community)  # already there
    with pytest.raises((ValidationError, PermissionDenied)):
        moderation.move_topic(coordinator, disc.topic, disc.other)  # another community
    with pytest.raises(ValidationError):
        moderation.move_topic(coordinator, disc.topic, disc.area)  # not a space
    assert [s.pk for s in moderation.move_targets(coordinator, disc.topic)] == [disc.group.pk]
    assert reload(disc.topic).space_id == disc.community.pk
    assert not ModerationLog.objects.exists()


# --- Views: the queue and the forms ---------------------------------------------------------------


def _client(disc, column):
    from django.test import Client

    client = Client()
    if disc.users[column] is not None:
        client.force_login(disc.users[column])
    return client


def queue_url(disc):
    return reverse("discussions:moderation_queue", args=[disc.community.pk])


@pytest.mark.parametrize(
    "column,status",
    [
        ("registered", 404),
        ("other_member", 404),
        ("participant", 403),
        ("designated", 403),
        ("wg_member", 403),
        ("wg_coordinator", 403),
        ("coordinator", 200),
        ("support", 200),
        ("staff", 200),
    ],
)
def test_the_queue_per_role(mod, column, status):
    response = _client(mod, column).get(queue_url(mod))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "Noi abbiamo usato il modello AgID." in content  # the reported reply
        assert "Da nascondere." in content  # the hidden one
        assert (
            response["Cache-Control"].startswith("max-age=0")
            or "private" in response["Cache-Control"]
            or "no-cache" in response["Cache-Control"]
        )


def test_the_queue_sends_visitors_to_sign_in(mod):
    response = _client(mod, "anonymous").get(queue_url(mod))
    assert response.status_code == 302


def test_the_queue_lists_reports_with_counts_and_reasons_and_the_log(mod):
    ReplyFactory(topic=mod.topic)  # not reported: not listed
    Flag.objects.create(
        reply=mod.reply, user=mod.users["coordinator"], reason=Flag.Reason.SPAM, note="Pubblicità"
    )
    Flag.objects.create(reply=mod.group_reply, user=mod.users["wg_member"], reason="off_topic")
    moderation.set_pinned(user_for(mod, "support"), mod.topic, True)
    flagged = moderation.flagged_replies(mod.community)
    assert [r.pk for r in flagged] == [mod.reply.pk, mod.group_reply.pk]
    assert flagged[0].open_reports == 2
    assert flagged[0].report_reasons == [(str(Flag.Reason.SPAM.label), 2)]
    assert flagged[0].report_notes == ["Pubblicità"]
    content = _client(mod, "coordinator").get(queue_url(mod)).content.decode()
    assert "Pubblicità" in content and "Prima bozza pronta." in content
    assert str(Log.PIN.label) in content or "pin" in content


def test_hide_through_the_form_requires_a_reason_and_keeps_the_text(mod):
    client = _client(mod, "coordinator")
    url = reverse("discussions:hide_reply", args=[mod.reply.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert reload(mod.reply).is_public
    response = client.post(url, {"reason": "x" * 301})
    assert response.status_code == 400 and "x" * 301 in response.content.decode()
    response = client.post(url, {"reason": "Offensiva", "next": queue_url(mod)})
    assert response.status_code == 302 and response["Location"] == queue_url(mod)
    assert not reload(mod.reply).is_public
    # An outside ``next`` is ignored.
    response = client.post(
        reverse("discussions:unhide_reply", args=[mod.reply.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert reload(mod.reply).is_public


@pytest.mark.parametrize(
    "column,status",
    [("participant", 403), ("wg_member", 403), ("registered", 404), ("other_member", 404)],
)
def test_moderation_endpoints_refuse_who_may_not_moderate(mod, column, status):
    client = _client(mod, column)
    posts = [
        (reverse("discussions:hide_reply", args=[mod.reply.pk]), {"reason": "No"}),
        (reverse("discussions:unhide_reply", args=[mod.hidden.pk]), {}),
        (reverse("discussions:dismiss_flags", args=[mod.reply.pk]), {}),
        (reverse("discussions:lock_topic", args=[mod.topic.pk]), {"locked": "1"}),
        (reverse("discussions:pin_topic", args=[mod.topic.pk]), {"pinned": "1"}),
        (reverse("discussions:move_topic", args=[mod.topic.pk]), {"space": mod.group.pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == status, url
    assert client.get(reverse("discussions:move_topic", args=[mod.topic.pk])).status_code == status
    assert not ModerationLog.objects.exists()
    assert reload(mod.reply).is_public and not reload(mod.topic).locked


def test_topic_tools_through_the_views(mod):
    client = _client(mod, "support")
    topic_url = mod.topic.get_absolute_url()
    response = client.post(reverse("discussions:lock_topic", args=[mod.topic.pk]), {"locked": "1"})
    assert response.status_code == 302 and response["Location"] == topic_url
    response = client.post(reverse("discussions:pin_topic", args=[mod.topic.pk]), {"pinned": "1"})
    topic = reload(mod.topic)
    assert topic.locked and topic.pinned
    move = reverse("discussions:move_topic", args=[mod.topic.pk])
    page = client.get(move).content.decode()
    assert f'value="{mod.group.pk}"' in page and f'value="{mod.other.pk}"' not in page
    assert client.post(move, {"space": mod.other.pk}).status_code == 400
    assert client.post(move, {"space": mod.group.pk}).status_code == 302
    assert reload(mod.topic).space_id == mod.group.pk
    assert [e.action for e in ModerationLog.objects.order_by("created_at", "pk")] == [
        Log.LOCK,
        Log.PIN,
        Log.MOVE,
    ]


def test_flag_through_the_form_without_javascript(disc):
    client = _client(disc, "designated")
    url = reverse("discussions:flag_reply", args=[disc.reply.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "", "note": "Link sospetto"})
    assert response.status_code == 400 and "Link sospetto" in response.content.decode()
    response = client.post(url, {"reason": "spam", "note": "Link sospetto"})
    assert response.status_code == 302
    assert response["Location"] == disc.topic.get_absolute_url() + f"#r{disc.reply.pk}"
    assert Flag.objects.get(reply=disc.reply).note == "Link sospetto"
    # Twice: a message, nothing new.
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert Flag.objects.count() == 1
    # Own reply: 403; a working group's reply for a non-member: 404.
    assert _client(disc, "participant").post(url, {"reason": "spam"}).status_code == 403
    group_url = reverse("discussions:flag_reply", args=[disc.group_reply.pk])
    assert _client(disc, "participant").post(group_url, {"reason": "spam"}).status_code == 404
    assert _client(disc, "other_member").post(url, {"reason": "spam"}).status_code == 404
    assert Flag.objects.count() == 1


def test_the_topic_page_shows_the_tools_by_role(disc):
    url = disc.topic.get_absolute_url()
    flag = reverse("discussions:flag_reply", args=[disc.reply.pk])
    hide = reverse("discussions:hide_reply", args=[disc.reply.pk])
    lock = reverse("discussions:lock_topic", args=[disc.topic.pk])
    content = _client(disc, "designated").get(url).content.decode()
    assert flag in content and hide not in content and lock not in content
    content = _client(disc, "participant").get(url).content.decode()
    assert flag not in content  # their own reply
    content = _client(disc, "coordinator").get(url).content.decode()
    assert hide in content and lock in content and flag in content
    moderation.flag_reply(user_for(disc, "designated"), disc.reply, "spam")
    content = _client(disc, "designated").get(url).content.decode()
    assert flag not in content


def test_the_reserved_area_links_the_queue_for_moderators(disc):
    area_url = disc.area.url
    assert queue_url(disc) in _client(disc, "coordinator").get(area_url).content.decode()
    assert queue_url(disc) not in _client(disc, "participant").get(area_url).content.decode()


# --- Wagtail: read-only audit views -------------------------------------------------------------


def test_staff_audit_the_log_and_the_reports_in_wagtail(mod, client, django_user_model):
    from django.contrib.auth.models import Permission

    moderation.hide_reply(user_for(mod, "coordinator"), mod.reply, "Offensiva")
    admin = django_user_model.objects.create_superuser("redazione", "r@example.org", "pw")
    client.force_login(admin)
    response = client.get(reverse("discussions_moderationlog:index"))
    assert response.status_code == 200 and "Offensiva" in response.content.decode()
    response = client.get(reverse("discussions_flag:index"))
    assert response.status_code == 200
    # Read-only: nothing can be added, changed or deleted, even by a superuser.
    entry = ModerationLog.objects.get()
    assert client.get(reverse("discussions_moderationlog:add")).status_code in (302, 403)
    client.post(reverse("discussions_moderationlog:delete", args=[entry.pk]))
    client.post(reverse("discussions_moderationlog:edit", args=[entry.pk]), {"reason": "Altro"})
    assert reload(entry).reason == "Offensiva"
    inspect = reverse("discussions_moderationlog:inspect", args=[entry.pk])
    assert client.get(inspect).status_code == 200
    assert Permission.objects.filter(codename="view_moderationlog").exists()
