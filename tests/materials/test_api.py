"""The materials in the community API (tags ``materials`` and ``validation``): documents,
versions, comments, consent to be credited, validation rounds from opening to publication;
as every role, with wrong inputs and direct ids (401, 403, 404, 400, 409), and the schema."""

import copy
import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from materials import services
from materials.models import (
    AuthorCredit,
    DocumentVersion,
    RoundAnswer,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)
from tests.communities.conftest import build_world, fresh
from tests.conftest import build_site, module_transaction

from .conftest import deadline, docx_bytes, pdf_upload

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.fixture(scope="module")
def _rows(django_db_setup, django_db_blocker):
    """The communities' world (one user per role) built once for the module."""
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def w(_rows, db):
    return copy.deepcopy(_rows)


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(fresh(user))
    return client


def as_(w, key):
    return client_for(w.users[key])


def _draft(w, key="wg_member", body="# Linee guida\n\nPrima stesura."):
    return services.create_document(
        fresh(w.users[key]), w.group, title="Linee guida", kind="text", body=body
    )


def _submitted(w):
    """A draft and its version submitted to an open round (by the group's coordinator)."""
    document = _draft(w)
    round_ = services.open_round(
        fresh(w.users["wg_coordinator"]), document.latest_version, deadline=deadline()
    )
    return document, round_


# --- Anonymous and outsiders ------------------------------------------------------------------


def test_every_endpoint_answers_401_to_anonymous(w):
    document, round_ = _submitted(w)
    version = document.latest_version
    comment = services.add_comment(fresh(w.users["wg_member"]), version, "Da rivedere")
    client = client_for()
    calls = [
        ("get", url("material_documents", w.group.pk)),
        ("post", url("material_documents", w.group.pk)),
        ("put", url("material_author_credit", w.group.pk)),
        ("delete", url("material_author_credit", w.group.pk)),
        ("get", url("material_document", document.pk)),
        ("post", url("material_versions", document.pk)),
        ("get", url("material_version", version.pk)),
        ("get", url("material_comments", version.pk)),
        ("post", url("material_comments", version.pk)),
        ("post", url("material_comment_resolve", comment.pk)),
        ("post", url("material_comment_reopen", comment.pk)),
        ("post", url("validation_open", version.pk)),
        ("get", url("validation_rounds")),
        ("get", url("validation_round", round_.pk)),
        ("post", url("validation_answer", round_.pk)),
        ("post", url("validation_close", round_.pk)),
        ("post", url("validation_cancel", round_.pk)),
        ("post", url("validation_publish", round_.pk)),
        ("post", url("validation_send_back", round_.pk)),
    ]
    for method, path in calls:
        assert getattr(client, method)(path).status_code == 401, (method, path)


@pytest.mark.parametrize(
    "key", ["registered", "participant", "designated", "other_member", "staff"]
)
def test_the_workspace_is_not_found_for_who_may_not_see_it(w, key):
    document = _draft(w)
    version = document.latest_version
    comment = services.add_comment(fresh(w.users["wg_member"]), version, "Da rivedere")
    client = as_(w, key)
    for method, path in [
        ("get", url("material_documents", w.group.pk)),
        ("post", url("material_documents", w.group.pk)),
        ("put", url("material_author_credit", w.group.pk)),
        ("get", url("material_document", document.pk)),
        ("post", url("material_versions", document.pk)),
        ("get", url("material_version", version.pk)),
        ("get", url("material_comments", version.pk)),
        ("post", url("material_comments", version.pk)),
        ("post", url("material_comment_resolve", comment.pk)),
        ("post", url("validation_open", version.pk)),
    ]:
        response = getattr(client, method)(path, {"title": "X", "kind": "text", "body": "x"})
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
    assert WorkingDocument.objects.count() == 1
    assert not AuthorCredit.objects.exists()


def test_ids_that_do_not_exist_are_not_found(w):
    client = as_(w, "coordinator")
    for name in ("material_documents", "material_document", "material_version", "validation_round"):
        for pk in (0, 999_999, HUGE):
            assert client.get(url(name, pk)).status_code == 404, (name, pk)


# --- Documents and versions --------------------------------------------------------------------


def test_a_member_uploads_a_file_and_a_new_version(w):
    client = as_(w, "wg_member")
    path = url("material_documents", w.group.pk)
    response = client.post(
        path,
        {
            "title": "Linee guida per la gestione degli incidenti",
            "summary": "Bozza del gruppo",
            "kind": "file",
            "file": pdf_upload(),
            "note": "Prima bozza",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    document = WorkingDocument.objects.get()
    assert data["id"] == document.pk and data["kind"] == "file"
    assert data["working_group"] == {"id": w.group.pk, "title": w.group.title}
    assert data["latest_version"]["number"] == 1
    version = data["versions"][0]
    assert version["file_name"] == "linee-guida.pdf"
    assert version["media_type"] == "application/pdf"
    assert version["note"] == "Prima bozza"
    assert data["permissions"] == {"contribute": True, "open_validation": False}
    assert data["url"] == reverse("materials:document", args=[document.pk])

    response = client.post(
        url("material_versions", document.pk),
        {"file": pdf_upload(text="seconda"), "note": "Rivista"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    detail = response.json()
    assert detail["number"] == 2 and detail["text"] is None and len(detail["sha256"]) == 64
    assert detail["file_url"] == reverse("materials:version_file", args=[detail["id"]])
    assert detail["comments"] == []

    listing = client.get(path).json()
    assert [d["latest_version"]["number"] for d in listing] == [2]
    full = client.get(url("material_document", document.pk)).json()
    assert [v["number"] for v in full["versions"]] == [2, 1]


def test_a_draft_written_in_the_portal_and_an_unchanged_text(w):
    client = as_(w, "wg_coordinator")
    response = client.post(
        url("material_documents", w.group.pk),
        {"title": "Glossario", "kind": "text", "body": "Primo testo"},
        format="json",
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["permissions"]["open_validation"] is True
    version_id = document["versions"][0]["id"]
    version = client.get(url("material_version", version_id)).json()
    assert version["text"] == "Primo testo" and version["file_url"] is None
    assert version["kind"] == "text" and version["sha256"] is None

    again = client.post(
        url("material_versions", document["id"]), {"body": "Primo testo\r\n"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "unchanged"
    assert DocumentVersion.objects.count() == 1
    changed = client.post(
        url("material_versions", document["id"]),
        {"body": "Secondo testo", "note": "Più chiaro"},
        format="json",
    )
    assert changed.status_code == 201 and changed.json()["number"] == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "text", "body": "x"}, "title"),
        ({"title": "X", "kind": "video"}, "kind"),
        ({"title": "X", "kind": "file"}, "file"),
        ({"title": "X", "kind": "text", "body": "   "}, "body"),
        ({"title": "X" * 201, "kind": "text", "body": "x"}, "title"),
        ({"title": "X\x00", "kind": "text", "body": "x"}, "title"),
    ],
)
def test_wrong_inputs_for_a_document_are_400_by_field(w, payload, field):
    response = as_(w, "wg_member").post(
        url("material_documents", w.group.pk), payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not WorkingDocument.objects.exists()


def test_a_file_that_lies_about_its_type_is_refused(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("relazione.pdf", docx_bytes(), content_type="application/pdf")
    response = as_(w, "wg_member").post(
        url("material_documents", w.group.pk),
        {"title": "Relazione", "kind": "file", "file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not WorkingDocument.objects.exists()


# --- Comments -------------------------------------------------------------------------------------


def test_comments_threads_and_their_resolution(w):
    version = _draft(w).latest_version
    member = as_(w, "wg_member")
    path = url("material_comments", version.pk)
    first = member.post(path, {"body": "Manca la definizione di incidente"}, format="json")
    assert first.status_code == 201, first.content
    thread = first.json()
    assert thread["resolved"] is False and thread["may_resolve"] is True
    assert thread["author"]["name"] == fresh(w.users["wg_member"]).get_full_name()

    reply = as_(w, "designated")  # not in the group: nothing to see
    assert reply.post(path, {"body": "?"}, format="json").status_code == 404
    coordinator = as_(w, "wg_coordinator")
    answer = coordinator.post(path, {"body": "Aggiunta", "parent": thread["id"]}, format="json")
    assert answer.status_code == 201
    assert [r["body"] for r in answer.json()["replies"]] == ["Aggiunta"]
    reply_id = answer.json()["replies"][0]["id"]

    # A reply's id resolves its thread (the member's own).
    assert member.post(url("material_comment_resolve", reply_id)).status_code == 200
    again = member.post(url("material_comment_resolve", thread["id"]))
    assert again.status_code == 409 and again.json()["code"] == "already"
    reopened = coordinator.post(url("material_comment_reopen", thread["id"]))
    assert reopened.status_code == 200 and reopened.json()["resolved"] is False
    assert VersionComment.objects.get(pk=thread["id"]).resolved_at is None

    listing = member.get(path).json()
    assert [t["id"] for t in listing] == [thread["id"]]
    assert [r["id"] for r in listing[0]["replies"]] == [reply_id]


def test_a_member_may_not_resolve_another_member_s_thread(w):
    version = _draft(w).latest_version
    thread = services.add_comment(fresh(w.users["wg_coordinator"]), version, "Da rivedere")
    response = as_(w, "wg_member").post(url("material_comment_resolve", thread.pk))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    thread.refresh_from_db()
    assert thread.resolved_at is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x", "parent": HUGE}, "parent"),
        ({"body": "x", "parent": 999_999}, "parent"),
    ],
)
def test_wrong_comments_are_400(w, payload, field):
    version = _draft(w).latest_version
    response = as_(w, "wg_member").post(
        url("material_comments", version.pk), payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not VersionComment.objects.exists()


def test_a_reply_to_a_comment_of_another_version_is_refused(w):
    document = _draft(w)
    first = document.latest_version
    second = services.add_version(fresh(w.users["wg_member"]), document, body="Nuovo testo")
    comment = services.add_comment(fresh(w.users["wg_member"]), first, "Su v1")
    response = as_(w, "wg_member").post(
        url("material_comments", second.pk), {"body": "x", "parent": comment.pk}, format="json"
    )
    assert response.status_code == 400 and "parent" in response.json()


# --- Consent to be credited ----------------------------------------------------------------------


def test_author_credit_is_my_consent(w):
    client = as_(w, "wg_member")
    path = url("material_author_credit", w.group.pk)
    response = client.put(path)
    assert response.status_code == 200
    assert response.json()["agreed"] is True and response.json()["working_group"] == w.group.pk
    assert client.put(path).status_code == 200  # idempotent
    assert AuthorCredit.objects.filter(user=w.users["wg_member"]).count() == 1
    assert client.delete(path).status_code == 204
    assert client.delete(path).status_code == 204
    assert not AuthorCredit.objects.exists()


# --- Validation rounds ----------------------------------------------------------------------------


def test_open_a_round_as_the_group_s_coordinator(w):
    version = _draft(w).latest_version
    path = url("validation_open", version.pk)
    payload = {
        "deadline": (timezone.now() + datetime.timedelta(days=10)).isoformat(),
        "quorum_percent": 50,
        "majority": "two_thirds",
        "instructions": "Controllate la sezione 2",
    }
    member = as_(w, "wg_member").post(path, payload, format="json")
    assert member.status_code == 403
    support = as_(w, "support").post(path, {"deadline": "domani"}, format="json")
    assert support.status_code == 403  # refused before the input is read
    response = as_(w, "wg_coordinator").post(path, payload, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "open" and data["quorum_percent"] == 50
    assert data["majority"] == "two_thirds" and data["instructions"] == "Controllate la sezione 2"
    assert "50%" in data["rule"]
    assert data["may_follow"] is True and data["tally"]["answers"] == 0
    assert data["answers"] == []
    assert data["may_answer"] is True  # the group's coordinator is a designated participant
    second = as_(w, "coordinator").post(path, payload, format="json")
    assert second.status_code == 409 and second.json()["code"] == "already_open"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "deadline"),
        ({"deadline": "domani"}, "deadline"),
        ({"deadline": "2020-01-01T10:00:00"}, "deadline"),  # in the past
        ({"deadline": "2099-01-01T10:00:00"}, "deadline"),  # beyond 90 days
        ({"deadline": "2099-01-01T10:00", "quorum_percent": 101}, "quorum_percent"),
        ({"deadline": "2099-01-01T10:00", "majority": "most"}, "majority"),
    ],
)
def test_wrong_inputs_for_a_round_are_400(w, payload, field):
    version = _draft(w).latest_version
    response = as_(w, "coordinator").post(
        url("validation_open", version.pk), payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ValidationRound.objects.exists()


def test_a_participant_reads_the_submitted_version_and_answers_once(w):
    document, round_ = _submitted(w)
    version = document.latest_version
    participant = as_(w, "participant")
    # The submitted version, without the workspace.
    detail = participant.get(url("material_version", version.pk)).json()
    assert detail["text"].startswith("# Linee guida")
    assert detail["comments"] is None and detail["permissions"]["view_materials"] is False
    assert participant.get(url("material_document", document.pk)).status_code == 404
    assert participant.get(url("material_comments", version.pk)).status_code == 404
    # Not the other versions.
    draft = services.add_version(fresh(w.users["wg_member"]), document, body="v2")
    assert participant.get(url("material_version", draft.pk)).status_code == 404

    listing = participant.get(url("validation_rounds"), {"state": "open"}).json()
    assert [r["id"] for r in listing] == [round_.pk]
    assert listing[0]["may_answer"] is True and listing[0]["my_answer"] is None
    seen = participant.get(url("validation_round", round_.pk)).json()
    assert seen["tally"] is None and seen["answers"] is None and seen["may_follow"] is False

    path = url("validation_answer", round_.pk)
    missing = participant.post(path, {"verdict": "changes"}, format="json")
    assert missing.status_code == 400 and "comment" in missing.json()
    response = participant.post(path, {"verdict": "approve"}, format="json")
    assert response.status_code == 201
    assert response.json()["verdict"] == "approve"
    twice = participant.post(path, {"verdict": "approve"}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_answered"
    assert RoundAnswer.objects.filter(round=round_).count() == 1
    mine = participant.get(url("validation_round", round_.pk)).json()["my_answer"]
    assert mine["verdict"] == "approve"
    assert participant.get(url("validation_rounds"), {"state": "closed"}).json() == []
    wrong = participant.get(url("validation_rounds"), {"state": "later"})
    assert wrong.status_code == 400 and "state" in wrong.json()


def test_who_may_not_answer(w):
    _document, round_ = _submitted(w)
    path = url("validation_answer", round_.pk)
    for key in ("coordinator", "support", "staff"):
        response = as_(w, key).post(path, {"verdict": "approve"}, format="json")
        assert response.status_code == 403, key
    for key in ("registered", "other_member"):
        assert as_(w, key).post(path, {"verdict": "approve"}, format="json").status_code == 404
        assert as_(w, key).get(url("validation_round", round_.pk)).status_code == 404
        assert as_(w, key).get(url("validation_rounds")).json() == []
    assert not RoundAnswer.objects.exists()


def test_answers_after_the_deadline_or_the_close_conflict(w):
    _document, round_ = _submitted(w)
    path = url("validation_answer", round_.pk)
    ValidationRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    late = as_(w, "participant").post(path, {"verdict": "approve"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "deadline_passed"
    ValidationRound.objects.filter(pk=round_.pk).update(status="rejected")
    closed = as_(w, "participant").post(path, {"verdict": "approve"}, format="json")
    assert closed.status_code == 409 and closed.json()["code"] == "closed"
    assert not RoundAnswer.objects.exists()


def test_followers_see_the_tally_and_close_publish(w, django_capture_on_commit_callbacks):
    _document, round_ = _submitted(w)
    for key in ("participant", "designated", "wg_member"):
        services.answer_round(fresh(w.users[key]), round_, "approve")
    coordinator = as_(w, "coordinator")
    seen = coordinator.get(url("validation_round", round_.pk)).json()
    assert seen["tally"]["answers"] == 3 and seen["tally"]["approve"] == 3
    assert {a["verdict"] for a in seen["answers"]} == {"approve"}
    assert seen["may_publish"] is True and seen["may_answer"] is False
    follows = coordinator.get(url("validation_rounds")).json()
    assert follows[0]["may_follow"] is True

    early = coordinator.post(url("validation_publish", round_.pk))
    assert early.status_code == 409 and early.json()["code"] == "not_approved"
    assert as_(w, "wg_member").post(url("validation_close", round_.pk)).status_code == 403
    closed = as_(w, "wg_coordinator").post(url("validation_close", round_.pk))
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "approved"
    assert closed.json()["outcome"]["approved"] is True
    again = coordinator.post(url("validation_close", round_.pk))
    assert again.status_code == 409 and again.json()["code"] == "closed"
    assert as_(w, "wg_coordinator").post(url("validation_publish", round_.pk)).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        published = as_(w, "support").post(url("validation_publish", round_.pk))
    assert published.status_code == 200, published.content
    data = published.json()
    assert data["round"]["page"]["id"] == data["page_id"]
    assert data["url"] and data["round"]["published_at"]
    twice = coordinator.post(url("validation_publish", round_.pk))
    assert twice.status_code == 409 and twice.json()["code"] == "already"


def test_send_back_and_cancel(w):
    _document, round_ = _submitted(w)
    services.answer_round(fresh(w.users["participant"]), round_, "approve")
    services.answer_round(fresh(w.users["designated"]), round_, "approve")
    services.close_round(round_, fresh(w.users["coordinator"]))
    path = url("validation_send_back", round_.pk)
    assert as_(w, "wg_coordinator").post(path, {"comment": "x"}, format="json").status_code == 403
    response = as_(w, "coordinator").post(path, {"comment": "Manca l'allegato"}, format="json")
    assert response.status_code == 200
    assert response.json()["outcome"]["sent_back"]["comment"] == "Manca l'allegato"

    document, second = _submitted_again(w)
    assert as_(w, "support").post(url("validation_cancel", second.pk)).status_code == 403
    cancelled = as_(w, "wg_coordinator").post(url("validation_cancel", second.pk))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = as_(w, "wg_coordinator").post(url("validation_cancel", second.pk))
    assert again.status_code == 409 and again.json()["code"] == "closed"
    assert document.pk


def _submitted_again(w):
    document = _draft(w, body="Altro documento")
    return document, services.open_round(
        fresh(w.users["coordinator"]), document.latest_version, deadline=deadline()
    )


def test_staff_follow_without_reading_the_workspace(w):
    document, round_ = _submitted(w)
    staff = as_(w, "staff")
    # They read the version they may publish, not the group's workspace nor its comments.
    version = staff.get(url("material_version", document.latest_version.pk))
    assert version.status_code == 200 and version.json()["comments"] is None
    assert staff.get(url("material_document", document.pk)).status_code == 404
    seen = staff.get(url("validation_round", round_.pk))
    assert seen.status_code == 200 and seen.json()["may_follow"] is True
    assert [r["id"] for r in staff.get(url("validation_rounds")).json()] == [round_.pk]


# --- Schema -------------------------------------------------------------------------------------


def test_the_schema_lists_the_materials_endpoints_under_their_tags(db):
    from drf_spectacular.validation import validate_schema

    schema = json.loads(APIClient().get(url("schema"), {"format": "json"}).content)
    validate_schema(schema)
    prefix = "/api/community/v1/"
    materials = {
        f"{prefix}working-groups/{{id}}/documents/": {"get", "post"},
        f"{prefix}working-groups/{{id}}/author-credit/": {"put", "delete"},
        f"{prefix}documents/{{id}}/": {"get"},
        f"{prefix}documents/{{id}}/versions/": {"post"},
        f"{prefix}versions/{{id}}/": {"get"},
        f"{prefix}versions/{{id}}/comments/": {"get", "post"},
        f"{prefix}comments/{{id}}/resolve/": {"post"},
        f"{prefix}comments/{{id}}/reopen/": {"post"},
    }
    validation = {
        f"{prefix}versions/{{id}}/rounds/": {"post"},
        f"{prefix}rounds/": {"get"},
        f"{prefix}rounds/{{id}}/": {"get"},
        f"{prefix}rounds/{{id}}/answer/": {"post"},
        f"{prefix}rounds/{{id}}/close/": {"post"},
        f"{prefix}rounds/{{id}}/cancel/": {"post"},
        f"{prefix}rounds/{{id}}/publish/": {"post"},
        f"{prefix}rounds/{{id}}/send-back/": {"post"},
    }
    for tag, expected in (("materials", materials), ("validation", validation)):
        for path, methods in expected.items():
            assert set(schema["paths"][path]) == methods, path
            for method in methods:
                operation = schema["paths"][path][method]
                assert operation["tags"] == [tag]
                assert operation["description"] and operation["summary"]
                assert {"401", "403", "404"} <= set(operation["responses"])
    create = schema["paths"][f"{prefix}working-groups/{{id}}/documents/"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert {"201", "400"} <= set(create["responses"])
    answer = schema["paths"][f"{prefix}rounds/{{id}}/answer/"]["post"]
    assert {"201", "400", "403", "409"} <= set(answer["responses"])
    publish = schema["paths"][f"{prefix}rounds/{{id}}/publish/"]["post"]
    assert "409" in publish["responses"]
