"""GDPR rights in full, from the outside: a member with a whole life on the portal (joined as
designated with an appointment act, the act replaced, a working group, topics, replies with their
IP address and an edit, reactions, reports, follows, notifications, read markers, an API token)
downloads their data (art. 15 and 20), then deletes their account (art. 17): the pages, the API,
the managers' CSV, the storage and the database keep nothing that names them. The replies' IP
addresses are kept for a limited time. The audit trail records tokens, exports, consents and the
deletion (with the user id only)."""

import datetime
import io
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from communities import services
from communities.models import Designation, Membership, WorkingGroupMembership
from discussions.models import (
    Flag,
    Follow,
    Notification,
    Reaction,
    Reply,
    ReplyRevision,
    Topic,
    TopicRead,
)
from membership.models import Consent
from tests import factories as base
from tests.communities.conftest import build_world, fresh
from tests.communities.factories import RegisteredUserFactory
from tests.discussions.conftest import build_discussions
from tests.discussions.factories import ReplyFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

PDF = b"%PDF-1.4\n% atto di nomina\n%%EOF\n"
SECOND_PDF = b"%PDF-1.4\n% atto di nomina, copia firmata\n%%EOF\n"
IP = "203.0.113.7"


def pdf(content=PDF):
    return SimpleUploadedFile("atto.pdf", content, content_type="application/pdf")


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def it(message):
    with translation.override("it"):
        return str(translation.gettext(message))


def signed_in(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(fresh(user))
    return client


def act_path(designation) -> Path:
    return Path(designation.act_file.path)


@pytest.fixture
def life(site_tree, settings, django_capture_on_commit_callbacks):
    """The communities' and discussions' world plus Giulia Ferrari, who did everything."""
    settings.DISCUSSIONS_RATE_LIMITS = {}
    w = build_discussions(build_world(site_tree))
    w.member = RegisteredUserFactory(
        first_name="Giulia",
        last_name="Ferrari",
        email="giulia.ferrari@spid.example",
        contact_email="g.ferrari@comune.castelritaldi.pg.it",
        ente=base.EnteFactory(name="Castel Ritaldi", province_code="PG"),
    )
    w.coordinator = w.users["coordinator"]
    member = signed_in(w.member)
    coordinator = signed_in(w.coordinator)
    act_date = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()

    # Joins as designated participant with the appointment act…
    response = member.post(
        en("participation:join", w.community.pk),
        {"role": "designated", "signed_by": "sindaco", "act_date": act_date, "act_file": pdf()},
    )
    assert response.status_code == 302
    designation = Designation.objects.get(membership__user=w.member)
    w.first_act = act_path(designation)
    assert w.first_act.read_bytes() == PDF
    # …the coordination asks for a signed copy, and the member replaces the act.
    response = coordinator.post(
        reverse(
            "communities:manage_designation", args=[w.community.pk, designation.pk, "request-copy"]
        )
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            en("participation:upload_act", w.community.pk), {"act_file": pdf(SECOND_PDF)}
        )
    assert response.status_code == 302
    designation.refresh_from_db()
    w.designation = designation
    w.second_act = act_path(designation)
    assert w.second_act.read_bytes() == SECOND_PDF
    assert not w.first_act.exists()  # the replaced act left the storage
    # A working group.
    assert member.post(en("participation:request_to_join", w.group.pk)).status_code == 302
    services.answer_request(fresh(w.coordinator), fresh(w.member), w.group, True)

    # The coordinator follows the topic the member will reply to (a notification, an email).
    follow_url = reverse("discussions:follow_topic", kwargs={"pk": w.topic.pk})
    assert coordinator.post(follow_url, {"action": "follow"}).status_code == 302
    # A topic, a reply from a known address, then an edit (a revision).
    response = member.post(
        reverse("discussions:topic_new", args=[w.community.pk]),
        {"title": "Backup dei dati comunali", "body": "Come fate il **backup**?", "tags": "backup"},
    )
    assert response.status_code == 302
    w.own_topic = Topic.objects.get(title="Backup dei dati comunali")
    response = member.post(
        reverse("discussions:reply", args=[w.topic.pk]),
        {"text": "Noi usiamo la regola 3-2-1."},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    w.own_reply = Reply.objects.get(comment="Noi usiamo la regola 3-2-1.")
    response = member.post(
        reverse("discussions:reply_edit", args=[w.topic.pk, w.own_reply.pk]),
        {"text": "Noi usiamo la regola 3-2-1, con una copia offline."},
    )
    assert response.status_code == 302
    # A reaction, a report (through the API), a follow.
    react = reverse("discussions:reply_react", args=[w.topic.pk, w.reply.pk])
    assert member.post(react, {"kind": "thanks"}).status_code == 302
    api = signed_in(w.member, api=True)
    response = api.post(
        reverse("community_api:discussion_flag", args=[w.reply.pk]),
        {"reason": "off_topic", "note": "Lo segnala Giulia Ferrari"},
    )
    assert response.status_code == 201
    follow_community = reverse("discussions:follow_community", kwargs={"pk": w.community.pk})
    assert member.post(follow_community, {"action": "follow"}).status_code == 302
    # Someone answers in the member's topic: a notification for its author.
    other = signed_in(w.users["participant"])
    response = other.post(
        reverse("discussions:reply", args=[w.own_topic.pk]), {"text": "Anche noi, grazie."}
    )
    assert response.status_code == 302
    # Reading a topic leaves a read marker.
    assert member.get(w.topic.get_absolute_url()).status_code == 200
    # An API token.
    response = api.post(reverse("community_api:token"))
    assert response.status_code == 201
    w.token = response.json()["token"]
    w.client = member
    return w


def _replies(payload):
    """Every reply of a discussions API page, children included."""
    for reply in payload["results"]:
        yield reply
        yield from _replies({"results": reply.get("children") or []})


def test_the_export_holds_every_section_of_a_full_life(life):
    response = life.client.get("/profilo/dati.json")
    assert response.status_code == 200
    assert life.token not in response.content.decode()  # never the secret
    data = json.loads(response.content)

    assert data["user"]["last_name"] == "Ferrari"
    assert data["ente"]["name"] == "Castel Ritaldi"
    assert len(data["consents"]) == 2

    (membership,) = data["memberships"]
    assert membership["community"] == {"id": life.community.pk, "title": life.community.title}
    assert membership["role"] == "designated" and membership["active"] is True
    designation = membership["designation"]
    assert designation["signed_by"] == "sindaco" and designation["status"] == "copy_requested"
    act_url = designation["act_file"]
    assert act_url.startswith("http://testserver/")
    download = life.client.get(act_url.removeprefix("http://testserver"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == SECOND_PDF

    (group,) = data["working_groups"]
    assert group["group"]["id"] == life.group.pk and group["status"] == "active"

    topic = next(t for t in data["topics"] if t["id"] == life.own_topic.pk)
    assert topic["text"] == "Come fate il **backup**?" and topic["tags"] == ["backup"]

    (reply,) = data["replies"]
    assert reply["text"] == "Noi usiamo la regola 3-2-1, con una copia offline."
    assert reply["ip_address"] == IP
    assert reply["name"] == "Giulia Ferrari"
    assert [r["text"] for r in reply["revisions"]] == ["Noi usiamo la regola 3-2-1."]

    assert data["reactions"] == [
        {
            "reply_id": life.reply.pk,
            "kind": "thanks",
            "created_at": data["reactions"][0]["created_at"],
        }
    ]
    (report,) = data["reports"]
    assert report["reason"] == "off_topic" and report["note"] == "Lo segnala Giulia Ferrari"
    follows = {(f["kind"], f["id"]) for f in data["follows"]}
    assert ("community", life.community.pk) in follows
    assert ("topic", life.own_topic.pk) in follows  # authors follow their topics
    assert [n["topic_id"] for n in data["notifications"]] == [life.own_topic.pk]
    assert life.topic.pk in {r["topic_id"] for r in data["topic_reads"]}

    (token,) = [t for t in data["api_tokens"] if t["api"] == "community"]
    assert token["key_prefix"] == life.token[:4] and token["created"]

    actions = [entry["action"] for entry in data["audit_trail"]]
    assert "membership.token_create" in actions
    # The export itself is recorded (after it was built).
    assert ModelLogEntry.objects.filter(
        action="membership.data_export", object_id=str(life.member.pk), user_id=life.member.pk
    ).exists()


def test_deleting_the_account_erases_what_names_the_member(
    life, django_capture_on_commit_callbacks
):
    pk = life.member.pk
    topic_api_url = reverse("community_api:discussion_topic", args=[life.topic.pk])
    coordinator_api = signed_in(life.coordinator, api=True)
    coordinator = signed_in(life.coordinator)
    community_page = coordinator.get(life.community.url).content.decode()
    members_before = int(re.search(r"(\d+) membri", community_page).group(1))
    assert "Ferrari" in coordinator.get(
        reverse("communities:manage_members_csv", args=[life.community.pk])
    ).content.decode("utf-8-sig")

    with django_capture_on_commit_callbacks(execute=True):
        response = life.client.post("/profilo/elimina/")
    assert response.status_code == 302

    # The pages: the text stays, signed "ex partecipante", without name or Ente.
    for topic in (life.topic, life.own_topic):
        html = coordinator.get(topic.get_absolute_url()).content.decode()
        assert "Ferrari" not in html and "Castel Ritaldi" not in html
        assert it("former member") in html
    html = coordinator.get(life.topic.get_absolute_url()).content.decode()
    assert "con una copia offline" in html
    assert "Backup dei dati comunali" in coordinator.get(life.own_topic.get_absolute_url()).text
    listing = coordinator.get(reverse("discussions:topic_list", args=[life.community.pk])).text
    assert "Ferrari" not in listing
    notifications = coordinator.get(reverse("discussions:notifications")).text
    assert "Ferrari" not in notifications

    # The API: the same.
    payload = coordinator_api.get(topic_api_url).json()["threads"]
    assert "Ferrari" not in json.dumps(payload) and "Castel Ritaldi" not in json.dumps(payload)
    (own,) = [r for r in _replies(payload) if r["id"] == life.own_reply.pk]
    assert own["author"] == {
        "name": it("Former member"),
        "ente": None,
        "ente_verified": None,
        "ente_label": None,
    }
    assert own["text"] == "Noi usiamo la regola 3-2-1, con una copia offline."
    topics = coordinator_api.get(
        reverse("community_api:discussion_topics", args=[life.community.pk])
    ).json()
    assert "Ferrari" not in json.dumps(topics)

    # An email about the reply, sent after the deletion, does not name them either.
    from discussions.tasks import send_notification_emails

    follow = Follow.objects.get(user=life.coordinator, topic=life.topic)
    mail.outbox.clear()
    send_notification_emails.enqueue("reply", life.topic.pk, life.own_reply.pk, [follow.pk])
    (email,) = mail.outbox
    assert "Ferrari" not in email.body and "con una copia offline" in email.body

    # The managers' CSV and the community page: the membership has ended.
    csv = coordinator.get(
        reverse("communities:manage_members_csv", args=[life.community.pk])
    ).content.decode("utf-8-sig")
    assert "Ferrari" not in csv and "deleted-" not in csv and "g.ferrari@" not in csv
    community_page = coordinator.get(life.community.url).content.decode()
    assert int(re.search(r"(\d+) membri", community_page).group(1)) == members_before - 1

    # The storage: the act is gone (the one it replaced went when it was replaced).
    assert not life.first_act.exists() and not life.second_act.exists()

    # The token no longer authenticates.
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {life.token}")
    assert token_client.get(reverse("community_api:community_list")).status_code == 401

    # The database.
    user = User.objects.get(pk=pk)
    assert user.ente is None and not user.is_active and user.get_full_name() == ""
    rows = Reply.objects.filter(user_id=pk)
    assert rows.count() == 1
    assert set(rows.values_list("user_name", "user_email", "ip_address")) == {("", "", None)}
    assert ReplyRevision.objects.filter(reply__user_id=pk).exists()  # the text's history stays
    assert Topic.objects.filter(author_id=pk).exists()
    assert not Topic.objects.filter(last_reply_author_id=pk).exists()
    for model in (Reaction, Follow, Notification, TopicRead, Consent):
        assert not model.objects.filter(user_id=pk).exists(), model
    assert list(Flag.objects.filter(user_id=pk).values_list("note", flat=True)) == [""]
    assert not Membership.objects.filter(user_id=pk, left_at__isnull=True).exists()
    assert Membership.objects.filter(user_id=pk).exists()  # ended, anonymous
    assert set(
        WorkingGroupMembership.objects.filter(user_id=pk).values_list("status", flat=True)
    ) == {WorkingGroupMembership.Status.LEFT}
    assert not Designation.objects.filter(membership__user_id=pk).exists()

    # The audit trail: the deletion with the id only; no entry keeps the name.
    entry = ModelLogEntry.objects.get(action="membership.account_delete", object_id=str(pk))
    assert entry.data == {"user_id": pk} and entry.label == f"user #{pk}"
    assert not ModelLogEntry.objects.filter(label__icontains="Ferrari").exists()
    assert ModelLogEntry.objects.filter(action="membership.token_revoke", object_id=str(pk))


def test_a_deleted_coordinator_leaves_the_community_page(site_tree):
    world = build_world(site_tree)
    coordinator = world.users["coordinator"]
    name = coordinator.get_full_name()
    viewer = signed_in(world.users["registered"])  # signed in: never a cached page
    assert name in viewer.get(world.community.url).text
    assert signed_in(coordinator).post("/profilo/elimina/").status_code == 302
    page = viewer.get(world.community.url).text
    assert name not in page and "deleted-" not in page


def test_a_replaced_act_leaves_the_storage(site_tree, django_capture_on_commit_callbacks):
    """Whatever replaces the act (here: back to participant, then designated again with a new
    act) deletes the old file once the change is committed."""
    world = build_world(site_tree)
    user = world.users["participant"]
    client = signed_in(user)
    act_date = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    declaration = {"role": "designated", "signed_by": "rtd", "act_date": act_date}
    switch = en("participation:switch_role", world.community.pk)
    assert client.post(switch, {**declaration, "act_file": pdf()}).status_code == 302
    first = act_path(Designation.objects.get(membership__user=user))
    assert first.exists()
    assert client.post(switch, {"role": "participant"}).status_code == 302
    assert first.exists()  # the designation (and its act) is kept while nothing replaces it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(switch, {**declaration, "act_file": pdf(SECOND_PDF)})
    assert response.status_code == 302
    second = act_path(Designation.objects.get(membership__user=user))
    assert second != first and second.read_bytes() == SECOND_PDF
    assert not first.exists()


def test_orphan_acts_are_purged(site_tree):
    """Acts replaced before the portal removed them: ``purge_orphan_act_files``."""
    world = build_world(site_tree)
    membership = Membership.objects.get(
        user=world.users["designated"], community=world.community, left_at__isnull=True
    )
    designation = Designation.objects.get(membership=membership)
    designation.act_file.save("kept.pdf", ContentFile(PDF))
    storage = designation.act_file.storage
    old = storage.save("designations/2020/orphan.pdf", ContentFile(PDF))
    recent = storage.save("designations/2020/uploading.pdf", ContentFile(PDF))
    long_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    for name in (old, designation.act_file.name):
        os.utime(storage.path(name), (long_ago, long_ago))
    out = io.StringIO()
    call_command("purge_orphan_act_files", "--dry-run", stdout=out)
    assert old in out.getvalue() and storage.exists(old)
    call_command("purge_orphan_act_files", stdout=io.StringIO())
    assert not storage.exists(old)
    assert storage.exists(recent)  # may belong to an upload not committed yet
    assert storage.exists(designation.act_file.name)


def test_accounts_deleted_earlier_are_erased_again(site_tree, django_capture_on_commit_callbacks):
    """An account deleted before an eraser existed: ``erase_deleted_accounts``."""
    world = build_world(site_tree)
    user = world.users["designated"]
    designation = Designation.objects.get(membership__user=user)
    designation.act_file.save("atto.pdf", ContentFile(PDF))
    path = act_path(designation)
    User.objects.filter(pk=user.pk).update(deleted_at=timezone.now(), is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_deleted_accounts", stdout=io.StringIO())
    assert not Membership.objects.filter(user=user, left_at__isnull=True).exists()
    assert not path.exists()
    assert not ModelLogEntry.objects.filter(action="membership.account_delete").exists()


# --- The replies' IP addresses --------------------------------------------------------------


def test_reply_ip_addresses_are_kept_for_the_retention_period(site_tree, settings):
    world = build_discussions(build_world(site_tree))
    now = timezone.now()
    author = world.users["participant"]
    older = ReplyFactory(
        topic=world.topic,
        user=author,
        ip_address="203.0.113.1",
        submit_date=now - datetime.timedelta(days=31),
    )
    newer = ReplyFactory(
        topic=world.topic,
        user=author,
        ip_address="203.0.113.2",
        submit_date=now - datetime.timedelta(days=29),
    )
    assert django_settings.REPLY_IP_RETENTION_DAYS == 30  # the default

    out = io.StringIO()
    call_command("purge_reply_ips", stdout=out)
    assert out.getvalue().startswith("1 replies")
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.ip_address is None
    assert newer.ip_address == "203.0.113.2"
    assert older.comment  # only the address goes

    # A shorter period, through the task the worker runs.
    settings.REPLY_IP_RETENTION_DAYS = 7
    call_command("purge_reply_ips", "--enqueue", stdout=io.StringIO())
    newer.refresh_from_db()
    assert newer.ip_address is None


# --- Audit --------------------------------------------------------------------------------------


def test_consents_are_recorded_in_the_audit_trail(client, site_tree):
    from cms.models import PortalSettings

    member = base.UserFactory()
    client.force_login(member)
    entries = ModelLogEntry.objects.filter(
        action="membership.consent_accept", object_id=str(member.pk)
    )
    assert {(e.data["kind"], e.data["version"]) for e in entries} == {
        ("rules", "1.0"),
        ("privacy", "1.0"),
    }
    portal = PortalSettings.for_site(site_tree.home.get_site())
    portal.privacy_version = "2.0"
    portal.save()
    response = client.post("/registrazione/", {"accept_privacy": "on", "next": "/"})
    assert response.status_code == 302
    entry = entries.get(data__version="2.0")
    assert entry.user_id == member.pk and "Rossi" not in entry.label
    assert "2.0" in entry.formatter.format_message(entry)


def test_token_revocation_is_recorded(site_tree):
    member = RegisteredUserFactory()
    api = signed_in(member, api=True)
    assert api.post(reverse("community_api:token")).status_code == 201
    assert api.delete(reverse("community_api:token")).status_code == 204
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(member.pk), user_id=member.pk)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["membership.token_create", "membership.token_revoke"]
