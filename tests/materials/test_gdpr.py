"""The materials in a member's own-data export and in their account's erasure."""

import copy
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from materials import services
from materials.models import (
    AuthorCredit,
    DocumentVersion,
    RoundAnswer,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)
from membership.erasure import erase_user
from membership.export import export_user_data
from tests.communities.conftest import build_world, fresh
from tests.conftest import build_site, module_transaction

from .conftest import deadline, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _rows(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def w(_rows, db):
    return copy.deepcopy(_rows)


def _activity(w):
    """The group's coordinator writes a draft and a file, comments, consents to be credited and
    answers a round; the member adds a version and comments."""
    writer = fresh(w.users["wg_coordinator"])
    draft = services.create_document(
        writer, w.group, title="Glossario", kind="text", body="Testo del coordinatore"
    )
    upload = services.create_document(
        writer, w.group, title="Relazione", kind="file", file=pdf_upload()
    )
    services.add_version(fresh(w.users["wg_member"]), draft, body="Testo rivisto")
    version = draft.latest_version
    thread = services.add_comment(writer, version, "Serve un esempio")
    services.add_comment(fresh(w.users["wg_member"]), version, "Aggiunto", parent=thread)
    services.resolve_comment(writer, thread)
    services.set_author_credit(writer, w.group, True)
    round_ = services.open_round(writer, version, deadline=deadline())
    services.answer_round(writer, round_, "changes", "La sezione 3 è incompleta")
    services.answer_round(fresh(w.users["participant"]), round_, "approve")
    return draft, upload, round_


def test_the_export_has_my_documents_versions_comments_answers_and_consents(w):
    draft, upload, round_ = _activity(w)
    data = export_user_data(fresh(w.users["wg_coordinator"]))
    json.dumps(data, cls=DjangoJSONEncoder)  # serialisable

    assert {d["title"] for d in data["material_documents"]} == {"Glossario", "Relazione"}
    versions = {(v["document"]["title"], v["number"]): v for v in data["material_versions"]}
    assert set(versions) == {("Glossario", 1), ("Relazione", 1)}  # v2 is the member's
    assert versions[("Glossario", 1)]["text"] == "Testo del coordinatore"
    assert versions[("Relazione", 1)]["text"] is None
    assert versions[("Relazione", 1)]["media_type"] == "application/pdf"
    assert len(versions[("Relazione", 1)]["sha256"]) == 64
    comments = data["material_comments"]
    assert [c["text"] for c in comments["comments"]] == ["Serve un esempio"]
    assert [r["comment_id"] for r in comments["threads_resolved"]] == [
        comments["comments"][0]["id"]
    ]
    assert data["validation_answers"] == [
        {
            "round_id": round_.pk,
            "document": {"id": draft.pk, "title": "Glossario"},
            "version": 2,
            "verdict": "changes",
            "comment": "La sezione 3 è incompleta",
            "answered_at": data["validation_answers"][0]["answered_at"],
        }
    ]
    assert [r["round_id"] for r in data["validation_rounds_managed"]["opened"]] == [round_.pk]
    assert [c["working_group"]["id"] for c in data["material_author_credits"]] == [w.group.pk]

    # Another member's export has only theirs.
    member = export_user_data(fresh(w.users["wg_member"]))
    assert member["material_documents"] == []
    assert [(v["document"]["title"], v["number"]) for v in member["material_versions"]] == [
        ("Glossario", 2)
    ]
    assert member["material_versions"][0]["text"] == "Testo rivisto"
    assert [c["in_reply_to"] for c in member["material_comments"]["comments"]] == [
        comments["comments"][0]["id"]
    ]


def test_erasure_keeps_the_group_s_work_and_the_round_s_outcome_without_the_person(w):
    draft, upload, round_ = _activity(w)
    user = fresh(w.users["wg_coordinator"])
    tally_before = round_.tally()
    services.close_round(round_, fresh(w.users["coordinator"]))
    ValidationRound.objects.filter(pk=round_.pk).update(
        outcome={"sent_back": {"by": user.pk, "comment": "Da rifare"}}
    )

    erase_user(user)
    erase_user(user, record=False)  # idempotent

    # The documents, versions and comments stay, without their author.
    assert WorkingDocument.objects.filter(pk__in=[draft.pk, upload.pk]).count() == 2
    assert not WorkingDocument.objects.filter(created_by=user).exists()
    assert DocumentVersion.objects.filter(document=draft).count() == 2
    assert not DocumentVersion.objects.filter(author=user).exists()
    assert DocumentVersion.objects.get(document=draft, number=1).body == "Testo del coordinatore"
    thread = VersionComment.objects.get(body="Serve un esempio")
    assert thread.author is None and thread.resolved_by is None
    assert thread.resolved_at is not None
    assert VersionComment.objects.filter(parent=thread).get().author == w.users["wg_member"]
    # The answers stay, detached: the outcome can still be checked against them.
    assert not RoundAnswer.objects.filter(user=user).exists()
    round_.refresh_from_db()
    assert round_.answers.count() == 2
    assert round_.tally() == tally_before
    assert round_.opened_by is None
    assert round_.outcome["sent_back"] == {"by": None, "comment": "Da rifare"}
    # The consent to be named goes.
    assert not AuthorCredit.objects.filter(user=user).exists()
    # The other members' data is untouched.
    assert RoundAnswer.objects.filter(user=w.users["participant"]).count() == 1
    assert DocumentVersion.objects.filter(author=w.users["wg_member"]).count() == 1

    data = export_user_data(user)
    for section in (
        "material_documents",
        "material_versions",
        "validation_answers",
        "material_author_credits",
    ):
        assert data[section] == [], section
    assert data["material_comments"] == {"comments": [], "threads_resolved": []}


def test_an_erased_author_shows_as_a_former_member_in_the_api(w):
    from django.urls import reverse
    from rest_framework.test import APIClient

    draft, _upload, _round = _activity(w)
    erase_user(fresh(w.users["wg_coordinator"]))
    client = APIClient()
    client.force_login(fresh(w.users["wg_member"]))
    data = client.get(reverse("community_api:material_document", args=[draft.pk])).json()
    assert data["created_by"]["name"] in ("Ex partecipante", "Former member")
    assert data["versions"][-1]["author"]["ente"] is None
