"""What the rounds' tests share (test_round_views, test_publication, test_mailings): the
communities' world built once per module, and a document with an open, approved or published
round made through the services."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from materials import services
from materials.models import ValidationRound, WorkingDocument
from tests.communities.conftest import build_world, fresh
from tests.conftest import build_site, module_transaction

from .conftest import deadline, pdf_upload

TITLE = "Linee guida sulla gestione degli incidenti informatici"


@pytest.fixture(scope="module")
def _world_rows(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def world(_world_rows, db):
    """The module's world (each test's writes rolled back), a fresh copy of its objects."""
    return copy.deepcopy(_world_rows)


def make_document(w, *, kind="file", title=TITLE, body="", summary="Come rispondere."):
    return services.create_document(
        fresh(w.users["wg_member"]),
        w.group,
        title=title,
        summary=summary,
        kind=kind,
        file=pdf_upload() if kind == WorkingDocument.Kind.FILE else None,
        body=body,
    )


def open_round(w, document=None, *, days=7, quorum_percent=20, **kwargs) -> ValidationRound:
    document = document or make_document(w)
    return services.open_round(
        fresh(w.users["wg_coordinator"]),
        document.latest_version,
        deadline=deadline(days),
        quorum_percent=quorum_percent,
        **kwargs,
    )


def approved_round(w, document=None) -> ValidationRound:
    """A round answered by two participants and closed at its deadline: approved."""
    round_ = open_round(w, document)
    services.answer_round(fresh(w.users["participant"]), round_, "approve")
    services.answer_round(
        fresh(w.users["designated"]), round_, "approve_with_comments", "Un glossario, grazie."
    )
    return services.close_round(round_, now=round_.deadline + timedelta(seconds=1))


def past_deadline(round_) -> ValidationRound:
    ValidationRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    round_.refresh_from_db()
    return round_
