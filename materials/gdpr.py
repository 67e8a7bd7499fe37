"""The materials' part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``, the map in ``membership.gdpr``).

Export: the documents the member created (metadata), the versions they saved (metadata, and
the whole text of their drafts: what they wrote), their comments, their answers to validation
rounds (verdict and comment), their consents to be named among the authors, and what they did
as a manager (rounds opened, closed, comments resolved: ids and dates).

Erasure: what the member wrote for the working group stays as the group's work, like the
discussions' replies: the documents, versions and comments lose their author (``NULL``: shown as
a former member; the comments' text stays, as a reply's does). Their answers to validation
rounds stay without the person (``user`` emptied): a round's outcome must remain verifiable from
its answers. Their consents to be named are deleted. The records of managers' acts (who opened,
closed or withdrew a round, who resolved a comment, who sent a version back) lose the person as
well. A published output's "authors" line, which named them with their consent, is a public
page: it is the editors' to change (a new revision), not rewritten here.
"""

from __future__ import annotations

from membership.erasure import register_eraser
from membership.export import register_exporter

from .models import (
    AuthorCredit,
    DocumentVersion,
    RoundAnswer,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)


def _iso(value):
    return value.isoformat() if value else None


def _document(document) -> dict:
    return {"id": document.pk, "title": document.title}


@register_exporter("material_documents", covers=["materials.WorkingDocument.created_by"])
def export_documents(user):
    documents = WorkingDocument.objects.filter(created_by=user).select_related("working_group")
    return [
        {
            "id": document.pk,
            "title": document.title,
            "summary": document.summary,
            "kind": document.kind,
            "working_group": {
                "id": document.working_group_id,
                "title": document.working_group.title,
            },
            "created_at": _iso(document.created_at),
        }
        for document in documents.order_by("created_at", "pk")
    ]


@register_exporter("material_versions", covers=["materials.DocumentVersion.author"])
def export_versions(user):
    """Every version the member saved: a file's metadata (the files themselves are the group's
    documents, downloaded from the workspace), a draft's whole text."""
    versions = DocumentVersion.objects.filter(author=user).select_related("document")
    return [
        {
            "document": _document(version.document),
            "number": version.number,
            "note": version.note,
            "created_at": _iso(version.created_at),
            "file_name": version.file_name or None,
            "file_size": version.file_size if version.file else None,
            "media_type": version.media_type or None,
            "sha256": version.sha256 or None,
            "text": version.body if not version.file else None,
        }
        for version in versions.order_by("created_at", "pk")
    ]


@register_exporter(
    "material_comments",
    covers=["materials.VersionComment.author", "materials.VersionComment.resolved_by"],
)
def export_comments(user):
    comments = VersionComment.objects.filter(author=user).select_related("version__document")
    return {
        "comments": [
            {
                "id": comment.pk,
                "document": _document(comment.version.document),
                "version": comment.version.number,
                "in_reply_to": comment.parent_id,
                "text": comment.body,
                "created_at": _iso(comment.created_at),
                "resolved_at": _iso(comment.resolved_at),
            }
            for comment in comments.order_by("created_at", "pk")
        ],
        "threads_resolved": [
            {"comment_id": pk, "resolved_at": _iso(at)}
            for pk, at in VersionComment.objects.filter(resolved_by=user)
            .order_by("resolved_at", "pk")
            .values_list("pk", "resolved_at")
        ],
    }


@register_exporter("validation_answers", covers=["materials.RoundAnswer.user"])
def export_answers(user):
    answers = RoundAnswer.objects.filter(user=user).select_related(
        "round__document", "round__version"
    )
    return [
        {
            "round_id": answer.round_id,
            "document": _document(answer.round.document),
            "version": answer.round.version.number,
            "verdict": answer.verdict,
            "comment": answer.comment,
            "answered_at": _iso(answer.created_at),
        }
        for answer in answers.order_by("created_at", "pk")
    ]


@register_exporter(
    "validation_rounds_managed",
    covers=["materials.ValidationRound.opened_by", "materials.ValidationRound.closed_by"],
)
def export_rounds_managed(user):
    """The rounds the member opened, closed early, withdrew or sent back as a manager."""
    return {
        "opened": [
            {"round_id": pk, "document_id": document_id, "opened_at": _iso(at)}
            for pk, document_id, at in ValidationRound.objects.filter(opened_by=user)
            .order_by("opened_at", "pk")
            .values_list("pk", "document_id", "opened_at")
        ],
        "closed": [
            {"round_id": pk, "status": state, "closed_at": _iso(at)}
            for pk, state, at in ValidationRound.objects.filter(closed_by=user)
            .order_by("closed_at", "pk")
            .values_list("pk", "status", "closed_at")
        ],
        "sent_back": [
            {"round_id": pk, "comment": outcome["sent_back"].get("comment", "")}
            for pk, outcome in ValidationRound.objects.filter(outcome__sent_back__by=user.pk)
            .order_by("closed_at", "pk")
            .values_list("pk", "outcome")
        ],
    }


@register_exporter("material_author_credits", covers=["materials.AuthorCredit.user"])
def export_author_credits(user):
    credits = AuthorCredit.objects.filter(user=user).select_related("working_group")
    return [
        {
            "working_group": {"id": credit.working_group_id, "title": credit.working_group.title},
            "agreed_at": _iso(credit.agreed_at),
        }
        for credit in credits.order_by("agreed_at", "pk")
    ]


@register_eraser(
    "materials",
    covers=[
        "materials.WorkingDocument.created_by",
        "materials.DocumentVersion.author",
        "materials.VersionComment.author",
        "materials.VersionComment.resolved_by",
        "materials.RoundAnswer.user",
        "materials.ValidationRound.opened_by",
        "materials.ValidationRound.closed_by",
        "materials.AuthorCredit.user",
    ],
)
def erase_materials(user):
    """The group's work stays without its author; answers stay without the participant (the
    outcome stays verifiable); consents go. Idempotent."""
    WorkingDocument.objects.filter(created_by=user).update(created_by=None)
    DocumentVersion.objects.filter(author=user).update(author=None)
    VersionComment.objects.filter(author=user).update(author=None)
    VersionComment.objects.filter(resolved_by=user).update(resolved_by=None)
    RoundAnswer.objects.filter(user=user).update(user=None)
    ValidationRound.objects.filter(opened_by=user).update(opened_by=None)
    ValidationRound.objects.filter(closed_by=user).update(closed_by=None)
    # A version sent back records who sent it in the round's outcome (an id, not a relation).
    for round_ in ValidationRound.objects.filter(outcome__sent_back__by=user.pk):
        round_.outcome["sent_back"]["by"] = None
        round_.save(update_fields=["outcome"])
    AuthorCredit.objects.filter(user=user).delete()
