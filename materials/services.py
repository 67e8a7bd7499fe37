"""Every write of the materials: documents and versions, comments, validation rounds and
their answers, the publication of an approved version and its divulgation.

The services ask the access policy (``materials.permissions``) and the objects' state and raise
the shared service errors (``cms.errors``): ``Refused`` (403) outside the rules, ``Invalid``
(400) for bad input (a file of the wrong type or size, an empty text, a deadline in the past),
``Conflict`` (409) against the state (answering twice or after the deadline, a second open
round, publishing a version that was not approved). Nothing is written when they refuse.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms import access, errors
from cms.templatetags.portal_tags import human_date

from .models import (
    AuthorCredit,
    DocumentVersion,
    Licence,
    MaterialPage,
    ParticipantValidationTask,
    PublicationTask,
    RoundAnswer,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)
from .permissions import Action
from .validators import validate_material_file

logger = logging.getLogger("materials")

#: The longest a round may stay open, and the shortest.
MAX_ROUND_DAYS = 90
MIN_ROUND = timedelta(hours=24)
#: The name of the Wagtail workflow the rounds run in.
WORKFLOW_NAME = "Validazione dei materiali"
TEXT_MAX = 200_000


def _refuse(user, action, obj, message):
    if not access.can(user, action, obj):
        raise errors.Refused(message)


# --- documents and versions -------------------------------------------------------------------


def _fill_file(version: DocumentVersion, upload) -> None:
    try:
        fmt = validate_material_file(upload)
    except ValidationError as error:
        raise errors.Invalid({"file": [str(m) for m in error.messages]}) from error
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    original = (getattr(upload, "name", "") or "documento").rsplit("/", 1)[-1][:200]
    version.file_name = original
    version.file_size = upload.size
    version.media_type = fmt.media_type
    version.sha256 = digest.hexdigest()
    version.file.save(f"{fmt.extension}.{fmt.extension}", upload, save=False)


def _clean_text(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise errors.Invalid({"body": [_("Write the text of the draft.")]})
    if len(body) > TEXT_MAX:
        raise errors.Invalid(
            {"body": [_("The text is too long: at most %(max)s characters.") % {"max": TEXT_MAX}]}
        )
    return body


def create_document(
    user, group, *, title, kind, summary="", file=None, body="", note=""
) -> WorkingDocument:
    """A new document of working group ``group`` with its first version (a file, or the text
    of a draft written in the portal)."""
    from communities.spaces import community_for_page

    _refuse(
        user,
        Action.CONTRIBUTE_MATERIAL,
        group,
        _("Only the working group's members and the community's managers add documents."),
    )
    title = (title or "").strip()
    field_errors = {}
    if not title:
        field_errors["title"] = [_("Give the document a title.")]
    if kind not in WorkingDocument.Kind.values:
        field_errors["kind"] = [_("Choose a file or a draft written in the portal.")]
    elif kind == WorkingDocument.Kind.FILE and not file:
        field_errors["file"] = [_("Choose the file to upload.")]
    if field_errors:
        raise errors.Invalid(field_errors)
    community = community_for_page(group)
    with transaction.atomic():
        document = WorkingDocument.objects.create(
            community=community,
            working_group=group,
            title=title[:200],
            summary=(summary or "").strip()[:2000],
            kind=kind,
            created_by=user,
        )
        _new_version(user, document, file=file, body=body, note=note or _("First version"))
    return document


def _new_version(user, document, *, file=None, body="", note="") -> DocumentVersion:
    version = DocumentVersion(
        document=document, number=document.next_number(), author=user, note=(note or "")[:500]
    )
    if document.kind == WorkingDocument.Kind.FILE:
        if not file:
            raise errors.Invalid({"file": [_("Choose the file to upload.")]})
        _fill_file(version, file)
    else:
        version.body = _clean_text(body)
    version.save()
    WorkingDocument.objects.filter(pk=document.pk).update(updated_at=timezone.now())
    return version


def add_version(user, document: WorkingDocument, *, file=None, body="", note="") -> DocumentVersion:
    """A new version of ``document``. For a draft, a text identical to the latest version's is
    not a new version (409 ``unchanged``)."""
    _refuse(
        user,
        Action.CONTRIBUTE_MATERIAL,
        document,
        _("Only the working group's members and the community's managers add versions."),
    )
    with transaction.atomic():
        WorkingDocument.objects.select_for_update().filter(pk=document.pk).first()
        latest = document.latest_version
        if (
            document.kind == WorkingDocument.Kind.TEXT
            and latest is not None
            and latest.body == (body or "").replace("\r\n", "\n").strip()
        ):
            raise errors.Conflict(
                _("The text is the same as version %(number)s: nothing to save.")
                % {"number": latest.number},
                code="unchanged",
            )
        return _new_version(user, document, file=file, body=body, note=note)


def set_author_credit(user, group, agreed: bool) -> bool:
    """Record whether ``user`` agrees to be named among the authors of the group's outputs."""
    _refuse(user, Action.CONTRIBUTE_MATERIAL, group, _("Only the working group's members."))
    if agreed:
        AuthorCredit.objects.get_or_create(working_group=group, user=user)
    else:
        AuthorCredit.objects.filter(working_group=group, user=user).delete()
    return agreed


# --- comments -----------------------------------------------------------------------------------


def add_comment(user, version: DocumentVersion, body: str, parent=None) -> VersionComment:
    """A comment on ``version`` (a reply to ``parent``'s thread when given)."""
    _refuse(
        user,
        Action.COMMENT_MATERIAL,
        version,
        _("Only the working group's members and the community's managers comment."),
    )
    body = (body or "").strip()
    if not body:
        raise errors.Invalid({"body": [_("Write the comment.")]})
    if len(body) > 5000:
        raise errors.Invalid({"body": [_("The comment is too long: at most 5000 characters.")]})
    if parent is not None:
        if parent.version_id != version.pk:
            raise errors.Invalid({"parent": [_("That comment is on another version.")]})
        parent = parent.parent or parent  # one level of threads
    return VersionComment.objects.create(version=version, parent=parent, author=user, body=body)


def resolve_comment(user, comment: VersionComment, resolved: bool = True) -> VersionComment:
    """Mark a thread resolved (or open it again)."""
    thread = comment.parent or comment
    _refuse(
        user,
        Action.RESOLVE_COMMENT,
        thread,
        _("Only the comment's author, the group's coordinator and the managers resolve it."),
    )
    if resolved == thread.is_resolved:
        raise errors.Conflict(
            _("The comment is already resolved.") if resolved else _("The comment is open."),
            code="already",
        )
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


# --- validation rounds --------------------------------------------------------------------------


def validation_workflow():
    """The Wagtail workflow of the rounds (created on first use, with its two tasks)."""
    from wagtail.models import Workflow, WorkflowTask

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        return workflow
    with transaction.atomic():
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        first = ParticipantValidationTask.objects.create(name="Validazione dei partecipanti")
        second = PublicationTask.objects.create(name="Pubblicazione del coordinatore")
        WorkflowTask.objects.create(workflow=workflow, task=first, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=second, sort_order=1)
    return workflow


def eligible_count(community) -> int:
    """The community's participants (simple and designated) now: who may validate."""
    from communities.models import Membership

    return (
        Membership.objects.active().of(community).filter(role__in=Membership.MEMBER_ROLES).count()
    )


def _resources_page():
    from cms.locales import get_default
    from cms.models import ResourcesPage

    return ResourcesPage.objects.filter(locale=get_default()).order_by("path").first()


def _authors(document: WorkingDocument) -> str:
    from communities.models import WorkingGroupMembership

    group = document.working_group
    credited = (
        WorkingGroupMembership.objects.active()
        .of(group)
        .filter(user__material_credits__working_group=group)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    names = [m.user.get_full_name() for m in credited if m.user.get_full_name()]
    credit = _("Working group “%(group)s” of the community of practice “%(community)s”") % {
        "group": group.title,
        "community": document.community.title,
    }
    return f"{credit}: {', '.join(names)}" if names else credit


def _draft_page(user, round_: ValidationRound) -> MaterialPage:
    """The output page of the round's document (a draft until published), created under
    Risorse on the first round and pointed at this round's version."""
    from wagtail.coreutils import find_available_slug

    document, version = round_.document, round_.version
    page = (
        MaterialPage.objects.filter(rounds__document=document).order_by("-pk").first()
        if document.pk
        else None
    )
    if page is None:
        parent = _resources_page()
        if parent is None:
            raise errors.Conflict(
                _("The portal has no Risorse page to publish the outputs in: ask the editors."),
                code="no_resources_page",
            )
        page = MaterialPage(
            title=document.title,
            slug=find_available_slug(parent, slugify(document.title)[:60] or "materiale"),
            live=False,
            owner=user,
            community=document.community,
            working_group=document.working_group,
            group_name=document.working_group.title,
            summary=document.summary[:400],
            licence=Licence.default(),
        )
        parent.add_child(instance=page)
    page = MaterialPage.objects.get(pk=page.pk)
    page.source_version = version
    page.version_label = version.label
    page.save_revision(user=user, log_action=True)
    if not page.live:
        # A draft's row carries what the admin's permission tester reads.
        MaterialPage.objects.filter(pk=page.pk).update(
            source_version=version, version_label=version.label
        )
    return page


def _start_workflow(user, round_: ValidationRound, page: MaterialPage) -> None:
    from wagtail.models import WorkflowState

    for state in WorkflowState.objects.active().for_instance(page):
        state.cancel(user=user)
    state = validation_workflow().start(page, user)
    round_.page = page
    round_.workflow_state = state
    round_.save(update_fields=["page", "workflow_state"])


def open_round(
    user,
    version: DocumentVersion,
    *,
    deadline,
    quorum_percent: int = 20,
    majority: str = ValidationRound.Majority.SIMPLE,
    instructions: str = "",
) -> ValidationRound:
    """Submit ``version`` to the community's participants until ``deadline``."""
    document = version.document
    _refuse(
        user,
        Action.OPEN_VALIDATION,
        document,
        _("Only the working group's coordinator and the community's coordinator open a round."),
    )
    now = timezone.now()
    field_errors = {}
    if deadline is None:
        field_errors["deadline"] = [_("Give the deadline.")]
    elif deadline < now + MIN_ROUND:
        field_errors["deadline"] = [_("The deadline must be at least 24 hours from now.")]
    elif deadline > now + timedelta(days=MAX_ROUND_DAYS):
        field_errors["deadline"] = [
            _("The deadline must be within %(days)s days.") % {"days": MAX_ROUND_DAYS}
        ]
    try:
        quorum_percent = int(quorum_percent)
    except (TypeError, ValueError):
        quorum_percent = -1
    if not 0 <= quorum_percent <= 100:
        field_errors["quorum_percent"] = [_("The quorum is a percentage from 0 to 100.")]
    if majority not in ValidationRound.Majority.values:
        field_errors["majority"] = [_("Choose the majority that decides.")]
    if field_errors:
        raise errors.Invalid(field_errors)
    try:
        with transaction.atomic():
            round_ = ValidationRound.objects.create(
                document=document,
                version=version,
                opened_by=user,
                deadline=deadline,
                quorum_percent=quorum_percent,
                majority=majority,
                instructions=(instructions or "").strip()[:2000],
                eligible_count=eligible_count(document.community),
            )
            page = _draft_page(user, round_)
            _start_workflow(user, round_, page)
    except IntegrityError as error:
        raise errors.Conflict(
            _("A validation round of this document is already open: close it first."),
            code="already_open",
        ) from error
    transaction.on_commit(lambda: _dispatch_mailings())
    logger.info("materials.round_opened", extra={"round": round_.pk, "version": version.pk})
    return round_


def _dispatch_mailings():
    from . import tasks

    tasks.dispatch_due_mailings()


def answer_round(user, round_: ValidationRound, verdict: str, comment: str = "") -> RoundAnswer:
    """A participant's answer: approve, approve with comments, or ask for changes (a reason is
    required for the last two)."""
    _refuse(
        user,
        Action.ANSWER_VALIDATION,
        round_,
        _("Only the community's participants validate its materials."),
    )
    comment = (comment or "").strip()
    if verdict not in RoundAnswer.Verdict.values:
        raise errors.Invalid({"verdict": [_("Choose your answer.")]})
    if verdict != RoundAnswer.Verdict.APPROVE and not comment:
        message = (
            _("Write your comments.")
            if verdict == RoundAnswer.Verdict.APPROVE_WITH_COMMENTS
            else _("Say what should change and why.")
        )
        raise errors.Invalid({"comment": [message]})
    if len(comment) > 5000:
        raise errors.Invalid({"comment": [_("At most 5000 characters.")]})
    if not round_.is_open:
        raise errors.Conflict(_("This validation round is closed."), code="closed")
    if round_.is_past_deadline:
        raise errors.Conflict(
            _("The deadline (%(date)s) has passed: answers are no longer accepted.")
            % {"date": human_date(timezone.localtime(round_.deadline), "datetime")},
            code="deadline_passed",
        )
    existing = RoundAnswer.objects.filter(round=round_, user=user).first()
    if existing is not None:
        raise errors.Conflict(
            _("You already answered on %(date)s.")
            % {"date": human_date(timezone.localtime(existing.created_at), "datetime")},
            code="already_answered",
        )
    try:
        with transaction.atomic():
            return RoundAnswer.objects.create(
                round=round_, user=user, verdict=verdict, comment=comment
            )
    except IntegrityError as error:
        raise errors.Conflict(_("You already answered."), code="already_answered") from error


def _current_task_state(round_: ValidationRound, task_model):
    state = round_.workflow_state
    if state is None:
        return None
    state.refresh_from_db()
    current = state.current_task_state
    if current is None or current.status != current.STATUS_IN_PROGRESS:
        return None
    if not isinstance(current.task.specific, task_model):
        return None
    return current


def close_round(round_: ValidationRound, user=None, now=None) -> ValidationRound:
    """Decide the round by its rule (at the deadline, or earlier when a manager closes it) and
    move its workflow: approved goes on to the publication, otherwise it needs changes."""
    if user is not None:
        _refuse(
            user,
            Action.FOLLOW_VALIDATION,
            round_,
            _("Only the managers of the community close a validation round."),
        )
    now = now or timezone.now()
    with transaction.atomic():
        round_ = ValidationRound.objects.select_for_update().get(pk=round_.pk)
        if not round_.is_open:
            raise errors.Conflict(_("This validation round is already closed."), code="closed")
        tally = round_.tally()
        round_.status = (
            ValidationRound.Status.APPROVED
            if tally["approved"]
            else ValidationRound.Status.REJECTED
        )
        round_.closed_at = now
        round_.closed_by = user
        round_.outcome = {**tally, "rule": round_.rule_text(), "early": now < round_.deadline}
        round_.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
        task_state = _current_task_state(round_, ParticipantValidationTask)
        if task_state is not None:
            summary = (
                _("%(approving)s of %(answers)s answers approve (quorum %(quorum_needed)s).")
                % tally
            )
            if tally["approved"]:
                task_state.approve(user=user, comment=summary)
            else:
                task_state.reject(user=user, comment=summary)
    logger.info("materials.round_closed", extra={"round": round_.pk, "status": round_.status})
    return round_


def close_due_rounds(now=None) -> list[int]:
    """Close every open round past its deadline; their ids."""
    closed = []
    for round_ in ValidationRound.objects.due(now).order_by("deadline", "pk"):
        try:
            close_round(round_, now=now)
        except errors.Conflict:
            continue
        closed.append(round_.pk)
    return closed


def cancel_round(user, round_: ValidationRound) -> ValidationRound:
    """The group's or community's coordinator withdraws an open round (its answers stay)."""
    _refuse(
        user,
        Action.OPEN_VALIDATION,
        round_,
        _("Only the working group's coordinator and the community's coordinator withdraw it."),
    )
    with transaction.atomic():
        round_ = ValidationRound.objects.select_for_update().get(pk=round_.pk)
        if not round_.is_open:
            raise errors.Conflict(_("This validation round is already closed."), code="closed")
        round_.status = ValidationRound.Status.CANCELLED
        round_.closed_at = timezone.now()
        round_.closed_by = user
        round_.save(update_fields=["status", "closed_at", "closed_by"])
        if round_.workflow_state is not None:
            round_.workflow_state.refresh_from_db()
            if round_.workflow_state.status in ("in_progress", "needs_changes"):
                round_.workflow_state.cancel(user=user)
    return round_


# --- publication --------------------------------------------------------------------------------


def _public_collection():
    from wagtail.models import Collection

    name = "Materiali delle comunità"
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _public_document(round_: ValidationRound, user):
    from wagtail.documents import get_document_model

    version = round_.version
    if not version.file:
        return None
    extension = version.file.name.rsplit(".", 1)[-1]
    name = f"{slugify(round_.document.title)[:60] or 'materiale'}-{version.label}.{extension}"
    with version.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=name)
    return get_document_model().objects.create(
        title=f"{round_.document.title} ({version.label})",
        file=content,
        collection=_public_collection(),
        uploaded_by_user=user,
    )


def _text_html(version: DocumentVersion) -> str:
    from discussions.markdown import render

    return render(version.body)


def publish(user, round_: ValidationRound) -> MaterialPage:
    """Publish the version an approved round validated as the community's output (a public
    page under Risorse with its file), then divulge it (``divulge``)."""
    _refuse(
        user,
        Action.PUBLISH_MATERIAL,
        round_,
        _("Only the community's coordinator, its support team and staff publish its outputs."),
    )
    with transaction.atomic():
        round_ = ValidationRound.objects.select_for_update().get(pk=round_.pk)
        if round_.status != ValidationRound.Status.APPROVED:
            raise errors.Conflict(
                _(
                    "This version was not approved by the participants: only an approved "
                    "version is published."
                ),
                code="not_approved",
            )
        if round_.published_at is not None:
            raise errors.Conflict(_("This version is already published."), code="already")
        if round_.outcome.get("sent_back"):
            raise errors.Conflict(
                _(
                    "This version was sent back to the working group: a new version needs a "
                    "new validation round."
                ),
                code="sent_back",
            )
        if round_.page_id is None:
            raise errors.Conflict(_("This round has no output page."), code="no_page")
        page = MaterialPage.objects.get(pk=round_.page_id)
        document = round_.document
        version = round_.version
        page.title = document.title
        page.source_version = version
        page.version_label = version.label
        page.publication_date = timezone.localdate()
        page.authors = _authors(document)
        page.group_name = document.working_group.title
        page.community = document.community
        page.working_group = document.working_group
        if not page.summary:
            page.summary = document.summary[:400]
        if page.licence_id is None:
            page.licence = Licence.default()
        public_file = _public_document(round_, user)
        if public_file is not None:
            page.document = public_file
        if document.kind == WorkingDocument.Kind.TEXT:
            page.body = _text_html(version)
        revision = page.save_revision(user=user, log_action=True)
        task_state = _current_task_state(round_, PublicationTask)
        round_.published_at = timezone.now()
        round_.save(update_fields=["published_at"])
        if task_state is not None:
            # Approving the last task finishes the workflow, which publishes the page.
            task_state.approve(user=user)
        else:
            revision.publish(user=user, skip_permission_checks=True)
        page.refresh_from_db()
        transaction.on_commit(lambda: divulge(user, round_.pk))
    logger.info("materials.published", extra={"round": round_.pk, "page": page.pk})
    return page


def send_back(user, round_: ValidationRound, comment: str = "") -> ValidationRound:
    """The publisher does not publish an approved version: it goes back to the working group
    (a new version needs a new round)."""
    _refuse(
        user,
        Action.PUBLISH_MATERIAL,
        round_,
        _("Only the community's coordinator, its support team and staff decide on publishing."),
    )
    with transaction.atomic():
        round_ = ValidationRound.objects.select_for_update().get(pk=round_.pk)
        if round_.status != ValidationRound.Status.APPROVED or round_.published_at is not None:
            raise errors.Conflict(_("There is nothing to send back."), code="nothing_pending")
        round_.outcome = {
            **round_.outcome,
            "sent_back": {"by": user.pk, "at": timezone.now().isoformat(), "comment": comment},
        }
        round_.save(update_fields=["outcome"])
        task_state = _current_task_state(round_, PublicationTask)
        if task_state is not None:
            task_state.reject(user=user, comment=comment)
    return round_


def divulge(user, round_id: int) -> None:
    """After a publication: an announcement to the community's mailing list and a draft news
    item for the editors. Each is best effort (logged when it cannot be made): the output is
    published either way."""
    from . import divulgation

    round_ = (
        ValidationRound.objects.select_related("document__community", "page")
        .filter(pk=round_id)
        .first()
    )
    if round_ is None or round_.page is None:
        return
    divulgation.announce(user, round_)
    divulgation.news_draft(user, round_)
