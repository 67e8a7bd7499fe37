"""Files attached to topics and replies: uploaded with the topic and reply forms (the site's and
django-comments' endpoint), checked by their content, served only through
``discussions:attachment`` to whoever may read the post, listed by the API, erased with their
uploader. Everything from the outside: the test client as each role."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_comments_xtd.forms import XtdCommentForm
from rest_framework.test import APIClient

from discussions.models import Attachment, Reply, Topic
from discussions.services import moderation
from tests.materials.conftest import docx_bytes, pdf_bytes

from .conftest import user_for

pytestmark = pytest.mark.django_db

ALL_COLUMNS = [
    "anonymous",
    "registered",
    "participant",
    "designated",
    "wg_member",
    "wg_coordinator",
    "coordinator",
    "support",
    "other_member",
    "staff",
]
#: Who downloads a working group's files: the group, the community's coordinator and support.
GROUP_READERS = {"wg_member", "wg_coordinator", "coordinator", "support"}
#: Who downloads a community topic's files: every member of the community.
COMMUNITY_READERS = {"participant", "designated", "wg_member", "wg_coordinator"} | {
    "coordinator",
    "support",
}


def pdf(name="verbale.pdf", text="verbale"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_bytes(size=(40, 20)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(40, 20)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _client(disc, column):
    from django.test import Client

    client = Client()
    user = disc.users[column]
    if user is not None:
        client.force_login(user)
    return client


def _new_topic(client, space, files, title="Verbale della riunione", body="Ecco il verbale."):
    return client.post(
        reverse("discussions:topic_new", args=[space.pk]),
        {"title": title, "body": body, "tags": "", "attachments": files},
    )


def _reply(client, topic, files, text="Allego la mia proposta."):
    return client.post(
        reverse("discussions:reply", args=[topic.pk]), {"text": text, "attachments": files}
    )


def _group_topic_with_file(disc):
    client = _client(disc, "wg_member")
    response = _new_topic(client, disc.group, [pdf()])
    assert response.status_code == 302, response.content[:2000]
    topic = Topic.objects.get(title="Verbale della riunione")
    return topic, topic.attachments.get()


# --- Upload -----------------------------------------------------------------------------------


def test_group_member_attaches_files_to_a_topic_and_they_are_shown(disc):
    client = _client(disc, "wg_member")
    files = [
        pdf(),
        SimpleUploadedFile("bozza.docx", docx_bytes("bozza")),
        SimpleUploadedFile("schermata.png", png_bytes()),
    ]
    response = _new_topic(client, disc.group, files)
    assert response.status_code == 302
    topic = Topic.objects.get(title="Verbale della riunione")
    rows = list(topic.attachments.order_by("pk"))
    assert [a.file_name for a in rows] == ["verbale.pdf", "bozza.docx", "schermata.png"]
    first = rows[0]
    assert first.media_type == "application/pdf" and first.file_size == len(pdf_bytes("verbale"))
    assert len(first.sha256) == 64 and first.uploaded_by_id == disc.users["wg_member"].pk
    # Stored under a random name on the private storage, outside MEDIA_ROOT
    assert "verbale" not in first.file.name
    assert first.file.name.startswith("discussions/attachments/")
    path = Path(first.file.path)
    assert path.is_file() and Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    page = client.get(topic.get_absolute_url())
    html = page.content.decode()
    assert first.get_absolute_url() in html and "verbale.pdf" in html
    assert "(PDF," in html and "(DOCX," in html and "(PNG," in html


def test_group_member_attaches_a_file_to_a_reply(disc):
    client = _client(disc, "wg_member")
    response = _reply(client, disc.group_topic, [SimpleUploadedFile("foto.jpeg", jpeg_bytes())])
    assert response.status_code == 302
    reply = Reply.objects.get(comment="Allego la mia proposta.")
    attachment = reply.attachments.get()
    assert attachment.media_type == "image/jpeg" and attachment.topic_id is None
    page = client.get(disc.group_topic.get_absolute_url())
    assert attachment.get_absolute_url() in page.content.decode()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == jpeg_bytes()


def test_reply_with_a_file_through_the_comments_endpoint(disc):
    client = _client(disc, "wg_member")
    data = XtdCommentForm(disc.group_topic).initial.copy()
    data.update({"comment": "Dal modulo della libreria", "reply_to": 0, "followup": ""})
    data["attachments"] = [pdf("allegato.pdf")]
    response = client.post(reverse("comments-post-comment"), data)
    assert response.status_code == 302
    reply = Reply.objects.get(comment="Dal modulo della libreria")
    assert reply.attachments.get().file_name == "allegato.pdf"


def test_bad_file_through_the_comments_endpoint_keeps_the_text(disc):
    client = _client(disc, "wg_member")
    data = XtdCommentForm(disc.group_topic).initial.copy()
    data.update({"comment": "Testo da non perdere", "reply_to": 0, "followup": ""})
    data["attachments"] = [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03 program")]
    response = client.post(reverse("comments-post-comment"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form["text"].value() == "Testo da non perdere"
    assert "virus.pdf" in " ".join(form.errors["attachments"])
    assert not Reply.objects.filter(comment="Testo da non perdere").exists()
    assert not Attachment.objects.exists()


def test_community_topic_files_follow_the_community_rules(disc):
    client = _client(disc, "designated")
    response = _new_topic(client, disc.community, [pdf()])
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    for column in ALL_COLUMNS:
        response = _client(disc, column).get(attachment.get_absolute_url())
        expected = 200 if column in COMMUNITY_READERS else 404
        assert response.status_code == expected, column


# --- Download: who, how -------------------------------------------------------------------------


def test_download_as_every_role(disc):
    topic, attachment = _group_topic_with_file(disc)
    url = attachment.get_absolute_url()
    assert url == f"/discussioni/allegati/{attachment.pk}/"
    for column in ALL_COLUMNS:
        response = _client(disc, column).get(url)
        expected = 200 if column in GROUP_READERS else 404
        assert response.status_code == expected, column
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment;")
            assert 'filename="verbale.pdf"' in response["Content-Disposition"]
            assert response["Content-Type"] == "application/pdf"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "private" in response["Cache-Control"]
            assert b"".join(response.streaming_content) == pdf_bytes("verbale")


def test_storage_path_is_not_reachable_under_media(disc, client):
    _topic, attachment = _group_topic_with_file(disc)
    client.force_login(disc.users["wg_member"])
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    assert client.get(f"/media/{Path(attachment.file.name).name}").status_code == 404


def test_unknown_attachment_is_a_404(disc, client):
    client.force_login(disc.users["coordinator"])
    assert client.get(reverse("discussions:attachment", args=[999999])).status_code == 404


def test_hidden_reply_hides_its_files_from_members_not_from_moderators(disc):
    client = _client(disc, "wg_member")
    assert _reply(client, disc.group_topic, [pdf()]).status_code == 302
    reply = Reply.objects.get(comment="Allego la mia proposta.")
    attachment = reply.attachments.get()
    moderation.hide_reply(user_for(disc, "coordinator"), reply, "Dati personali")
    for column in ("wg_member", "wg_coordinator"):
        assert _client(disc, column).get(attachment.get_absolute_url()).status_code == 404
        page = _client(disc, column).get(disc.group_topic.get_absolute_url())
        assert attachment.get_absolute_url() not in page.content.decode()
    coordinator = _client(disc, "coordinator")
    assert coordinator.get(attachment.get_absolute_url()).status_code == 200
    page = coordinator.get(disc.group_topic.get_absolute_url())
    assert attachment.get_absolute_url() in page.content.decode()


def test_deleted_reply_hides_its_files_from_everyone(disc):
    client = _client(disc, "wg_member")
    assert _reply(client, disc.group_topic, [pdf()]).status_code == 302
    reply = Reply.objects.get(comment="Allego la mia proposta.")
    attachment = reply.attachments.get()
    response = client.post(
        reverse("discussions:reply_delete", args=[disc.group_topic.pk, reply.pk])
    )
    assert response.status_code == 302
    for column in ("wg_member", "coordinator", "support"):
        assert _client(disc, column).get(attachment.get_absolute_url()).status_code == 404


def test_hidden_opening_post_hides_its_files_from_members(disc):
    topic, attachment = _group_topic_with_file(disc)
    moderation.hide_topic(user_for(disc, "support"), topic, "Fuori tema")
    assert _client(disc, "wg_coordinator").get(attachment.get_absolute_url()).status_code == 404
    assert _client(disc, "wg_member").get(attachment.get_absolute_url()).status_code == 404
    assert _client(disc, "coordinator").get(attachment.get_absolute_url()).status_code == 200


# --- Refused files: 400, the message by the field, the text kept, nothing stored --------------


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ([SimpleUploadedFile("manuale.pdf", b"MZ\x90\x00\x03\x00 program")], "manuale.pdf"),
        ([SimpleUploadedFile("vuoto.pdf", b"")], "vuoto.pdf"),
        ([SimpleUploadedFile("bozza.pdf", docx_bytes())], ".pdf"),  # the name lies
        ([SimpleUploadedFile("rotta.png", png_bytes()[:60])], "rotta.png"),  # truncated
        ([pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf"), pdf("d.pdf")], "3"),  # too many
    ],
)
def test_refused_files_on_the_topic_form(disc, files, fragment):
    client = _client(disc, "wg_member")
    response = _new_topic(client, disc.group, files, body="Un testo lungo da non perdere.")
    assert response.status_code == 400
    form = response.context["form"]
    assert form["title"].value() == "Verbale della riunione"
    assert form["body"].value() == "Un testo lungo da non perdere."
    errors = " ".join(form.errors["attachments"])
    assert fragment in errors
    html = response.content.decode()
    assert 'id="id_attachments_error"' in html
    assert not Topic.objects.filter(title="Verbale della riunione").exists()
    assert not Attachment.objects.exists()


def test_too_large_file_on_the_reply_form(disc, settings):
    settings.DISCUSSIONS_ATTACHMENT_MAX_SIZE = 100
    client = _client(disc, "wg_member")
    response = _reply(client, disc.group_topic, [pdf()], text="Risposta da tenere")
    assert response.status_code == 400
    form = response.context["form"]
    assert form["text"].value() == "Risposta da tenere"
    assert "100" in " ".join(form.errors["attachments"])
    assert not Reply.objects.filter(comment="Risposta da tenere").exists()
    assert not Attachment.objects.exists()


def test_executable_refused_on_the_reply_form(disc):
    client = _client(disc, "wg_member")
    response = client.post(
        reverse("discussions:reply", args=[disc.group_topic.pk]),
        {"text": "Ciao", "attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\x00")]},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"]


def test_files_checked_even_when_the_text_is_missing(disc):
    client = _client(disc, "wg_member")
    response = _new_topic(
        client, disc.group, [SimpleUploadedFile("x.pdf", b"MZ")], title="", body="Testo"
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "title" in form.errors and "attachments" in form.errors
    assert form["body"].value() == "Testo"


# --- Topic deleted, member erased ----------------------------------------------------------


def test_deleting_the_topic_removes_the_files(disc, django_capture_on_commit_callbacks):
    topic, attachment = _group_topic_with_file(disc)
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert not path.exists()
    assert not Attachment.objects.exists()


def test_export_lists_and_erasure_deletes_the_files(disc, django_capture_on_commit_callbacks):
    from membership.erasure import erase_user
    from membership.export import export_user_data

    topic, attachment = _group_topic_with_file(disc)
    path = Path(attachment.file.path)
    user = user_for(disc, "wg_member")
    exported = export_user_data(user)["attachments"]
    assert exported == [
        {
            "id": attachment.pk,
            "name": "verbale.pdf",
            "size": attachment.file_size,
            "media_type": "application/pdf",
            "sha256": attachment.sha256,
            "topic_id": topic.pk,
            "reply_id": None,
            "uploaded_at": attachment.created_at.isoformat(),
            "url": attachment.get_absolute_url(),
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        erase_user(user)
    assert not path.exists()
    assert not Attachment.objects.exists()
    assert Topic.objects.filter(pk=topic.pk).exists()  # the text stays


# --- API --------------------------------------------------------------------------------------


def test_api_lists_the_attachments_of_topics_and_replies(disc):
    client = _client(disc, "wg_member")
    topic, attachment = _group_topic_with_file(disc)
    assert _reply(client, topic, [SimpleUploadedFile("dati.png", png_bytes())]).status_code == 302
    reply_attachment = Attachment.objects.get(reply__isnull=False)
    api = APIClient()
    api.force_authenticate(user_for(disc, "wg_coordinator"))
    response = api.get(f"/api/community/v1/discussions/topics/{topic.pk}/")
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert data["attachments"] == [
        {
            "id": attachment.pk,
            "name": "verbale.pdf",
            "size": attachment.file_size,
            "media_type": "application/pdf",
            "format": "PDF",
            "url": f"http://testserver{attachment.get_absolute_url()}",
        }
    ]
    reply = data["threads"]["results"][0]
    assert reply["attachments"][0]["name"] == "dati.png"
    assert reply["attachments"][0]["url"].endswith(reply_attachment.get_absolute_url())
    assert reply["attachments"][0]["format"] == "PNG"
