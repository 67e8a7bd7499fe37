"""The materials' core: documents and versions, rounds and their rule, the Wagtail workflow,
publication."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import WorkflowState

from cms import errors
from materials import services
from materials.models import MaterialPage, RoundAnswer, ValidationRound, WorkingDocument
from tests.communities.conftest import fresh

from .conftest import deadline, docx_bytes, odt_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def _doc(w, user_key="wg_member"):
    return services.create_document(
        fresh(w.users[user_key]),
        w.group,
        title="Linee guida per la gestione degli incidenti",
        kind=WorkingDocument.Kind.FILE,
        file=pdf_upload(),
    )


def test_upload_and_versions(world):
    document = _doc(world)
    version = document.latest_version
    assert version.number == 1 and version.media_type == "application/pdf"
    assert version.file.name.startswith(f"materials/{world.group.pk}/{document.pk}/v1-")
    assert len(version.sha256) == 64
    second = services.add_version(
        fresh(world.users["wg_coordinator"]), document, file=pdf_upload(text="due"), note="Rivista"
    )
    assert second.number == 2 and document.latest_version == second


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("a.docx", docx_bytes(), True),
        ("a.odt", odt_bytes(), True),
        ("a.pdf", docx_bytes(), False),  # extension lies
        ("a.docx", b"MZ\x90\x00 not a document", False),
        ("a.exe", b"MZ\x90\x00", False),
    ],
)
def test_file_type_checked_by_content(world, name, content, accepted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content)
    call = lambda: services.create_document(  # noqa: E731
        fresh(world.users["wg_member"]), world.group, title="X", kind="file", file=upload
    )
    if accepted:
        assert call().latest_version.file_size == len(content)
    else:
        with pytest.raises(errors.Invalid) as info:
            call()
        assert "file" in info.value.message_dict
        assert not WorkingDocument.objects.exists()


def test_too_large(world, settings):
    settings.MATERIALS_MAX_FILE_SIZE = 100
    with pytest.raises(errors.Invalid) as info:
        _doc(world)
    assert (
        "limite" in info.value.message_dict["file"][0]
        or "limit" in (info.value.message_dict["file"][0])
    )


def test_outsiders_cannot_upload(world):
    for key in ("participant", "designated", "other_member", "registered"):
        with pytest.raises(errors.Refused):
            _doc(world, key)


def test_round_rule_and_publication(world, django_capture_on_commit_callbacks, mailoutbox):
    document = _doc(world)
    with django_capture_on_commit_callbacks(execute=True):
        round_ = services.open_round(
            fresh(world.users["wg_coordinator"]),
            document.latest_version,
            deadline=deadline(),
            quorum_percent=20,
        )
    assert round_.eligible_count == 5  # participant, designated, wg member and coordinator, subject
    page = round_.page
    assert not page.live and page.get_parent().pk == world.tree.resources.pk
    state = WorkflowState.objects.get(pk=round_.workflow_state_id)
    assert state.current_task_state.task.specific.__class__.__name__ == "ParticipantValidationTask"
    # Nobody publishes it before the participants approve.
    with pytest.raises(errors.Conflict):
        services.publish(fresh(world.users["coordinator"]), round_)
    assert not page.permissions_for_user(world.users["staff"]).can_publish()

    services.answer_round(
        fresh(world.users["participant"]),
        round_,
        RoundAnswer.Verdict.APPROVE_WITH_COMMENTS,
        "Aggiungere un glossario",
    )
    with pytest.raises(errors.Conflict) as info:
        services.answer_round(fresh(world.users["participant"]), round_, "approve")
    assert info.value.code == "already_answered"
    with pytest.raises(errors.Refused):
        services.answer_round(fresh(world.users["other_member"]), round_, "approve")
    with pytest.raises(errors.Refused):
        services.answer_round(fresh(world.users["coordinator"]), round_, "approve")
    services.answer_round(fresh(world.users["designated"]), round_, "approve")

    round_ = services.close_round(round_, now=round_.deadline + timedelta(seconds=1))
    assert round_.status == ValidationRound.Status.APPROVED
    assert round_.outcome["answers"] == 2 and round_.outcome["quorum_needed"] == 1
    state.refresh_from_db()
    assert state.current_task_state.task.specific.__class__.__name__ == "PublicationTask"

    with pytest.raises(errors.Refused):
        services.publish(fresh(world.users["wg_coordinator"]), round_)
    with django_capture_on_commit_callbacks(execute=True):
        page = services.publish(fresh(world.users["coordinator"]), round_)
    assert page.live and page.document is not None and page.version_label == "v1"
    assert page.document.collection.get_view_restrictions().count() == 0
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert "Gestione incidenti" in page.authors
    from cms.models import NewsPage

    assert NewsPage.objects.filter(live=False, title__contains=page.title).exists()


def test_round_rejected_without_quorum(world):
    document = _doc(world)
    round_ = services.open_round(
        fresh(world.users["coordinator"]),
        document.latest_version,
        deadline=deadline(),
        quorum_percent=100,
    )
    services.answer_round(fresh(world.users["participant"]), round_, "approve")
    round_ = services.close_round(round_, now=timezone.now() + timedelta(days=8))
    assert round_.status == ValidationRound.Status.REJECTED
    assert not round_.outcome["quorum_reached"]
    with pytest.raises(errors.Conflict) as info:
        services.publish(fresh(world.users["coordinator"]), round_)
    assert info.value.code == "not_approved"
    assert not MaterialPage.objects.live().exists()


def test_answer_after_deadline(world):
    document = _doc(world)
    round_ = services.open_round(
        fresh(world.users["coordinator"]), document.latest_version, deadline=deadline()
    )
    ValidationRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    round_.refresh_from_db()
    with pytest.raises(errors.Conflict) as info:
        services.answer_round(fresh(world.users["participant"]), round_, "approve")
    assert info.value.code == "deadline_passed"


def test_second_open_round_conflicts(world):
    document = _doc(world)
    services.open_round(
        fresh(world.users["coordinator"]), document.latest_version, deadline=deadline()
    )
    with pytest.raises(errors.Conflict) as info:
        services.open_round(
            fresh(world.users["coordinator"]), document.latest_version, deadline=deadline()
        )
    assert info.value.code == "already_open"


def test_sent_back_version_is_not_published(world):
    document = _doc(world)
    round_ = services.open_round(
        fresh(world.users["coordinator"]), document.latest_version, deadline=deadline()
    )
    services.answer_round(fresh(world.users["participant"]), round_, "approve")
    round_ = services.close_round(round_, now=round_.deadline + timedelta(seconds=1))
    page = MaterialPage.objects.get(pk=round_.page_id)
    # The page row itself (what the admin's tester reads) knows the validated version.
    assert page.source_version_id == document.latest_version.pk
    assert page.publication_allowed()
    services.send_back(fresh(world.users["coordinator"]), round_, "Manca l'indice")
    page.refresh_from_db()
    assert not page.publication_allowed()
    with pytest.raises(errors.Conflict) as info:
        services.publish(fresh(world.users["support"]), round_)
    assert info.value.code == "sent_back"
