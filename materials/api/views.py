"""The materials in the community API (``/api/community/v1/``; included by
``communities/api/urls.py``), for signed-in registered members, with the site's policy
(``materials.permissions``):

Tag ``materials`` (a working group's workspace):

- ``GET working-groups/<id>/documents/``: the group's documents; ``POST``: a new document with
  its first version (multipart with the ``file``, or JSON/form with the draft's ``body``);
- ``GET documents/<id>/``: a document with its versions and rounds;
  ``POST documents/<id>/versions/``: a new version;
- ``GET versions/<id>/``: a version's metadata, a draft's text, the file's URL on the site, its
  comment threads (for who may see the workspace);
- ``GET|POST versions/<id>/comments/``: the threads, comment; ``POST comments/<id>/resolve/``
  and ``/reopen/``;
- ``PUT|DELETE working-groups/<id>/author-credit/``: my consent to be named among the authors.

Tag ``validation`` (the participants' validation rounds):

- ``POST versions/<id>/rounds/``: open a round on a version;
- ``GET rounds/`` (``?state=open|closed``): the rounds I may answer or follow;
- ``GET rounds/<id>/``: one, with the rule in words, my answer, and for who follows it the tally
  and the answers; ``POST rounds/<id>/answer/``;
- ``POST rounds/<id>/close/``, ``/cancel/``, ``/publish/``, ``/send-back/``.

Errors: **404** what I may not see (a working group's workspace, a version, a round: nothing
disclosed); **403** a refused action with the reason; **400** invalid input by field; **409**
the state: ``unchanged`` (a draft's text identical to the latest), ``already`` (a comment
already resolved or open; a version already published), ``already_open`` (a round of the
document is open), ``already_answered``, ``deadline_passed``, ``closed``, ``not_approved``,
``nothing_pending``, ``no_resources_page``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status

from cms import access
from cms.api_errors import run
from cms.locales import get_default
from communities.api.serializers import MAX_ID, ErrorSerializer
from communities.api.support import CommunityAPIView, endpoint, validated
from communities.models import WorkingGroupPage
from communities.selectors import communities_of
from discussions.api.serializers import author_data

from .. import services
from ..models import (
    AuthorCredit,
    DocumentVersion,
    RoundAnswer,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)
from ..permissions import Action
from . import serializers as s

TAG = "materials"
VALIDATION_TAG = "validation"
#: At most this many rounds in a listing (newest first).
LIST_LIMIT = 200
STATES = ("open", "closed")


def _error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


REFUSED = {403: _error(gettext_lazy("Refused, with the reason."))}
DOCUMENT_CONFLICT = {
    409: _error(gettext_lazy("A draft's text identical to the latest version's (unchanged)."))
}
COMMENT_CONFLICT = {
    409: _error(gettext_lazy("The thread is already resolved, or already open (already)."))
}
OPEN_CONFLICT = {
    409: _error(
        gettext_lazy(
            "A round of this document is already open (already_open); the portal has no "
            "Risorse page for the outputs (no_resources_page)."
        )
    )
}
ANSWER_CONFLICT = {
    409: _error(
        gettext_lazy(
            "You already answered (already_answered), the deadline has passed "
            "(deadline_passed), the round is closed (closed)."
        )
    )
}
CLOSED_CONFLICT = {409: _error(gettext_lazy("The round is already closed (closed)."))}
PUBLISH_CONFLICT = {
    409: _error(
        gettext_lazy(
            "The round did not approve the version (not_approved), it is already published "
            "(already), the round has no output page (no_page)."
        )
    )
}
SEND_BACK_CONFLICT = {
    409: _error(
        gettext_lazy("Nothing waits for publication: not approved, or published (nothing_pending).")
    )
}


class MaterialsAPIView(CommunityAPIView):
    """JSON, form or multipart bodies (the files come in multipart requests)."""


# --- Lookups: 404 for what the user may not see ----------------------------------------------


def _get(queryset, pk):
    obj = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if obj is None:
        raise exceptions.NotFound()
    return obj


def _visible(request, queryset, pk, action):
    """Object ``pk`` of ``queryset`` if the user may take ``action`` on it (404 otherwise)."""
    obj = _get(queryset, pk)
    if not access.can(request.user, action, obj):
        raise exceptions.NotFound()
    return obj


def _group(request, pk) -> WorkingGroupPage:
    """The working group ``pk`` (any language; its documents belong to the default language's
    page) whose workspace the user may see."""
    group = _get(WorkingGroupPage.objects.all(), pk)
    default = get_default()
    if group.locale_id != default.pk:
        translation = group.get_translation_or_none(default)
        group = translation.specific if translation is not None else group
    if not access.can(request.user, Action.VIEW_MATERIALS, group):
        raise exceptions.NotFound()
    return group


def _document(request, pk) -> WorkingDocument:
    queryset = WorkingDocument.objects.select_related("community", "working_group", "created_by")
    return _visible(request, queryset, pk, Action.VIEW_MATERIALS)


def _version(request, pk) -> DocumentVersion:
    queryset = DocumentVersion.objects.select_related(
        "document__community", "document__working_group", "author"
    )
    return _visible(request, queryset, pk, Action.VIEW_MATERIAL_VERSION)


def _comment(request, pk) -> VersionComment:
    queryset = VersionComment.objects.select_related(
        "version__document__community", "version__document__working_group", "parent"
    )
    return _visible(request, queryset, pk, Action.VIEW_MATERIALS)


def _check(request, action, obj, message) -> None:
    """403 with the services' own reason before reading the body (they ask again)."""
    if not access.can(request.user, action, obj):
        raise exceptions.PermissionDenied(message)


def _rounds():
    return ValidationRound.objects.select_related(
        "document__community", "document__working_group", "version", "page"
    )


def _may_see_round(user, round_) -> bool:
    return access.can(user, Action.FOLLOW_VALIDATION, round_) or access.can(
        user, Action.VIEW_MATERIAL_VERSION, round_.version
    )


def _round(request, pk) -> ValidationRound:
    """The round ``pk`` if the user may read its version or follows it."""
    round_ = _get(_rounds(), pk)
    if not _may_see_round(request.user, round_):
        raise exceptions.NotFound()
    return round_


# --- What the serializers read ----------------------------------------------------------------


def _ref(page) -> dict:
    return {"id": page.pk, "title": page.title}


def _version_ref(version) -> dict:
    return {"id": version.pk, "number": version.number, "label": version.label}


def _round_ref(round_) -> dict:
    return {
        "id": round_.pk,
        "version": round_.version.number,
        "status": round_.status,
        "deadline": round_.deadline,
    }


def _version_data(version) -> dict:
    is_file = bool(version.file)
    return {
        **_version_ref(version),
        "note": version.note,
        "author": author_data(version.author),
        "created_at": version.created_at,
        "file_name": version.file_name if is_file else None,
        "file_size": version.file_size if is_file else None,
        "media_type": version.media_type if is_file else None,
        "url": reverse("materials:version", args=[version.pk]),
    }


def _document_data(request, document, *, detail=False) -> dict:
    versions = list(document.versions.select_related("author").order_by("-number"))
    rounds = list(document.rounds.select_related("version").order_by("-opened_at", "-pk"))
    for version in versions:
        version.document = document
    open_round = next((r for r in rounds if r.status == ValidationRound.Status.OPEN), None)
    data = {
        "id": document.pk,
        "title": document.title,
        "summary": document.summary,
        "kind": document.kind,
        "community": _ref(document.community),
        "working_group": _ref(document.working_group),
        "created_by": author_data(document.created_by),
        "created_at": document.created_at,
        "updated_at": document.updated_at,
        "latest_version": _version_ref(versions[0]) if versions else None,
        "open_round": _round_ref(open_round) if open_round else None,
        "url": reverse("materials:document", args=[document.pk]),
    }
    if detail:
        user = request.user
        data["versions"] = [_version_data(version) for version in versions]
        data["rounds"] = [_round_ref(round_) for round_ in rounds]
        data["permissions"] = {
            "contribute": access.can(user, Action.CONTRIBUTE_MATERIAL, document),
            "open_validation": access.can(user, Action.OPEN_VALIDATION, document),
        }
    return data


def _comment_data(comment) -> dict:
    return {
        "id": comment.pk,
        "author": author_data(comment.author),
        "body": comment.body,
        "created_at": comment.created_at,
    }


def _threads(request, version) -> list[dict]:
    """The version's threads, oldest first, each with its replies (two queries)."""
    comments = list(
        VersionComment.objects.filter(version=version)
        .select_related("author", "resolved_by")
        .order_by("created_at", "pk")
    )
    threads, by_id = [], {}
    for comment in comments:
        comment.version = version
        if comment.parent_id is None:
            entry = {
                **_comment_data(comment),
                "resolved": comment.is_resolved,
                "resolved_at": comment.resolved_at,
                "resolved_by": author_data(comment.resolved_by)["name"]
                if comment.resolved_by_id
                else None,
                "may_resolve": access.can(request.user, Action.RESOLVE_COMMENT, comment),
                "replies": [],
            }
            by_id[comment.pk] = entry
            threads.append(entry)
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id]["replies"].append(_comment_data(comment))
    return threads


def _thread(request, thread) -> dict:
    return next(t for t in _threads(request, thread.version) if t["id"] == thread.pk)


def _version_detail(request, version) -> dict:
    user, document = request.user, version.document
    workspace = access.can(user, Action.VIEW_MATERIALS, document)
    is_file = bool(version.file)
    rounds = version.rounds.order_by("-opened_at", "-pk")
    for round_ in rounds:
        round_.version = version
    return {
        **_version_data(version),
        "document": _ref(document),
        "kind": document.kind,
        "sha256": version.sha256 if is_file else None,
        "file_url": reverse("materials:version_file", args=[version.pk]) if is_file else None,
        "text": None if is_file else version.body,
        "comments": _threads(request, version) if workspace else None,
        "rounds": [_round_ref(round_) for round_ in rounds],
        "permissions": {
            "view_materials": workspace,
            "comment": access.can(user, Action.COMMENT_MATERIAL, version),
            "contribute": access.can(user, Action.CONTRIBUTE_MATERIAL, document),
            "open_validation": access.can(user, Action.OPEN_VALIDATION, document),
        },
    }


def _my_answer(answer) -> dict | None:
    if answer is None:
        return None
    return {"verdict": answer.verdict, "comment": answer.comment, "created_at": answer.created_at}


def _round_data(request, round_, my_answer=None, *, detail=False) -> dict:
    user, document = request.user, round_.document
    follows = access.can(user, Action.FOLLOW_VALIDATION, round_)
    data = {
        "id": round_.pk,
        "document": _ref(document),
        "community": _ref(document.community),
        "working_group": _ref(document.working_group),
        "version": _version_ref(round_.version),
        "status": round_.status,
        "opened_at": round_.opened_at,
        "deadline": round_.deadline,
        "closed_at": round_.closed_at,
        "rule": round_.rule_text(),
        "accepts_answers": round_.accepts_answers,
        "my_answer": _my_answer(my_answer),
        "may_answer": access.can(user, Action.ANSWER_VALIDATION, round_),
        "may_follow": follows,
        "url": reverse("materials:round", args=[round_.pk]),
    }
    if not detail:
        return data
    page = round_.page if round_.published_at and round_.page_id else None
    answers = None
    if follows:
        answers = [
            {
                "participant": author_data(answer.user),
                "verdict": answer.verdict,
                "comment": answer.comment,
                "created_at": answer.created_at,
            }
            for answer in round_.answers.select_related("user").order_by("created_at", "pk")
        ]
    data.update(
        {
            "instructions": round_.instructions,
            "quorum_percent": round_.quorum_percent,
            "majority": round_.majority,
            "eligible_count": round_.eligible_count,
            "may_cancel": access.can(user, Action.OPEN_VALIDATION, round_),
            "may_publish": access.can(user, Action.PUBLISH_MATERIAL, round_),
            "published_at": round_.published_at,
            "page": {"id": page.pk, "url": page.get_url(request=request)} if page else None,
            "tally": round_.tally([a["verdict"] for a in answers]) if follows else None,
            "outcome": (round_.outcome or None) if follows and not round_.is_open else None,
            "answers": answers,
        }
    )
    return data


def _round_detail(request, round_) -> dict:
    mine = RoundAnswer.objects.filter(round=round_, user=request.user).first()
    return _round_data(request, round_, mine, detail=True)


def _reloaded(request, round_) -> dict:
    return _round_detail(request, _get(_rounds(), round_.pk))


# --- Documents and versions -----------------------------------------------------------------


class GroupDocuments(MaterialsAPIView):
    @endpoint(
        "materials_documents_list",
        tag=TAG,
        summary=gettext_lazy("The documents of a working group"),
        description=gettext_lazy(
            "Last changed first, each with its latest version and its open validation round. "
            "The group's active members and the community's coordinator and support team; "
            "404 for anyone else."
        ),
        response=s.DocumentSerializer,
        many=True,
    )
    def get(self, request, pk):
        group = _group(request, pk)
        documents = WorkingDocument.objects.of_group(group).select_related(
            "community", "working_group", "created_by"
        )
        return [_document_data(request, document) for document in documents]

    @endpoint(
        "materials_documents_create",
        tag=TAG,
        summary=gettext_lazy("Add a document"),
        description=gettext_lazy(
            "With its first version: a file (``kind`` ``file``, multipart request with "
            "``file``: PDF, ODT, DOCX, ODS or XLSX, checked by its content) or a draft written "
            "in the portal (``kind`` ``text``, its Markdown ``body``)."
        ),
        request=s.DocumentCreateSerializer,
        response=s.DocumentDetailSerializer,
        status=status.HTTP_201_CREATED,
        errors=REFUSED,
    )
    def post(self, request, pk):
        group = _group(request, pk)
        _check(
            request,
            Action.CONTRIBUTE_MATERIAL,
            group,
            _("Only the working group's members and the community's managers add documents."),
        )
        data = validated(s.DocumentCreateSerializer, request)
        document = run(
            services.create_document,
            request.user,
            group,
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            file=data.get("file"),
            body=data["body"],
            note=data["note"],
        )
        return _document_data(request, _document(request, document.pk), detail=True)


class DocumentDetail(MaterialsAPIView):
    @endpoint(
        "materials_documents_retrieve",
        tag=TAG,
        summary=gettext_lazy("A document, with its versions"),
        description=gettext_lazy("Versions and validation rounds newest first."),
        response=s.DocumentDetailSerializer,
    )
    def get(self, request, pk):
        return _document_data(request, _document(request, pk), detail=True)


class DocumentVersions(MaterialsAPIView):
    @endpoint(
        "materials_versions_create",
        tag=TAG,
        summary=gettext_lazy("Add a version"),
        description=gettext_lazy(
            "A file document takes a new ``file`` (multipart request), a draft its whole new "
            "``body``; ``note`` says what changed. A draft's text identical to the latest "
            "version's is not a new version (409 ``unchanged``)."
        ),
        request=s.VersionCreateSerializer,
        response=s.VersionDetailSerializer,
        status=status.HTTP_201_CREATED,
        errors={**REFUSED, **DOCUMENT_CONFLICT},
    )
    def post(self, request, pk):
        document = _document(request, pk)
        _check(
            request,
            Action.CONTRIBUTE_MATERIAL,
            document,
            _("Only the working group's members and the community's managers add versions."),
        )
        data = validated(s.VersionCreateSerializer, request)
        version = run(
            services.add_version,
            request.user,
            document,
            file=data.get("file"),
            body=data["body"],
            note=data["note"],
        )
        return _version_detail(request, _version(request, version.pk))


class VersionDetail(MaterialsAPIView):
    @endpoint(
        "materials_versions_retrieve",
        tag=TAG,
        summary=gettext_lazy("A version"),
        description=gettext_lazy(
            "Its metadata, a draft's text or a file's URL on the site (``file_url``, served "
            "after the same check), and its comment threads. A version submitted to a "
            "validation round is read by every participant of the community, without the "
            "comments (``null``) unless they may see the working group's workspace."
        ),
        response=s.VersionDetailSerializer,
    )
    def get(self, request, pk):
        return _version_detail(request, _version(request, pk))


class VersionComments(MaterialsAPIView):
    @endpoint(
        "materials_comments_list",
        tag=TAG,
        summary=gettext_lazy("The comments on a version"),
        description=gettext_lazy(
            "Threads oldest first, each with its replies (one level). For who may see the "
            "working group's workspace (404 otherwise)."
        ),
        response=s.CommentSerializer,
        many=True,
    )
    def get(self, request, pk):
        version = _version(request, pk)
        if not access.can(request.user, Action.VIEW_MATERIALS, version):
            raise exceptions.NotFound()
        return _threads(request, version)

    @endpoint(
        "materials_comments_create",
        tag=TAG,
        summary=gettext_lazy("Comment on a version"),
        description=gettext_lazy(
            "A new thread, or a reply to ``parent``'s thread (a comment of the same version). "
            "Answers with the thread."
        ),
        request=s.CommentCreateSerializer,
        response=s.CommentSerializer,
        status=status.HTTP_201_CREATED,
        errors=REFUSED,
    )
    def post(self, request, pk):
        version = _version(request, pk)
        _check(
            request,
            Action.COMMENT_MATERIAL,
            version,
            _("Only the working group's members and the community's managers comment."),
        )
        data = validated(s.CommentCreateSerializer, request)
        parent = None
        if data.get("parent"):
            parent = VersionComment.objects.filter(pk=data["parent"]).first()
            if parent is None:
                raise exceptions.ValidationError({"parent": [_("There is no such comment.")]})
        comment = run(services.add_comment, request.user, version, data["body"], parent)
        return _thread(request, comment.parent or comment)


def _resolve(request, pk, resolved: bool) -> dict:
    thread = run(services.resolve_comment, request.user, _comment(request, pk), resolved)
    return _thread(request, _comment(request, thread.pk))


class CommentResolve(MaterialsAPIView):
    @endpoint(
        "materials_comments_resolve",
        tag=TAG,
        summary=gettext_lazy("Resolve a comment's thread"),
        description=gettext_lazy(
            "The comment's author, the group's coordinator and the community's managers. A "
            "reply's id resolves its thread. Answers with the thread."
        ),
        response=s.CommentSerializer,
        errors={**REFUSED, **COMMENT_CONFLICT},
    )
    def post(self, request, pk):
        return _resolve(request, pk, True)


class CommentReopen(MaterialsAPIView):
    @endpoint(
        "materials_comments_reopen",
        tag=TAG,
        summary=gettext_lazy("Open a resolved thread again"),
        description=gettext_lazy("Who may resolve it. Answers with the thread."),
        response=s.CommentSerializer,
        errors={**REFUSED, **COMMENT_CONFLICT},
    )
    def post(self, request, pk):
        return _resolve(request, pk, False)


class AuthorCreditView(MaterialsAPIView):
    @endpoint(
        "materials_author_credit_agree",
        tag=TAG,
        summary=gettext_lazy("Name me among the authors"),
        description=gettext_lazy(
            "My consent to be named among the authors of what this working group publishes "
            "(without it, the group is credited without my name). Idempotent."
        ),
        response=s.AuthorCreditSerializer,
        errors=REFUSED,
    )
    def put(self, request, pk):
        group = _group(request, pk)
        run(services.set_author_credit, request.user, group, True)
        credit = AuthorCredit.objects.get(working_group=group, user=request.user)
        return {"working_group": group.pk, "agreed": True, "agreed_at": credit.agreed_at}

    @endpoint(
        "materials_author_credit_withdraw",
        tag=TAG,
        summary=gettext_lazy("Do not name me among the authors"),
        description=gettext_lazy(
            "Withdraws my consent (for what is published from now on). Idempotent."
        ),
        response=None,
        status=status.HTTP_204_NO_CONTENT,
        errors=REFUSED,
    )
    def delete(self, request, pk):
        run(services.set_author_credit, request.user, _group(request, pk), False)


# --- Validation rounds ---------------------------------------------------------------------------


class VersionRounds(MaterialsAPIView):
    @endpoint(
        "validation_rounds_open",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Submit a version to the participants"),
        description=gettext_lazy(
            "Opens a validation round until ``deadline``, decided by its rule: at least "
            "``quorum_percent`` of the community's participants answer, and ``majority`` of "
            "the answers approve. The working group's coordinator and the community's "
            "coordinator. The participants are invited by email."
        ),
        request=s.RoundOpenSerializer,
        response=s.RoundDetailSerializer,
        status=status.HTTP_201_CREATED,
        errors={**REFUSED, **OPEN_CONFLICT},
    )
    def post(self, request, pk):
        version = _version(request, pk)
        _check(
            request,
            Action.OPEN_VALIDATION,
            version.document,
            _("Only the working group's coordinator and the community's coordinator open a round."),
        )
        data = validated(s.RoundOpenSerializer, request)
        round_ = run(
            services.open_round,
            request.user,
            version,
            deadline=data["deadline"],
            quorum_percent=data["quorum_percent"],
            majority=data["majority"],
            instructions=data["instructions"],
        )
        return _reloaded(request, round_)


class RoundList(MaterialsAPIView):
    @endpoint(
        "validation_rounds_list",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Validation rounds I may answer or follow"),
        description=gettext_lazy(
            "The rounds of my communities (newest first, at most 200): the participants answer "
            "them, the working group's coordinator and the community's managers follow them. "
            "Each with my answer."
        ),
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=list(STATES),
                description=gettext_lazy("open, or closed (decided or withdrawn)"),
            )
        ],
        response=s.RoundSerializer,
        many=True,
        errors={400: OpenApiResponse(description=gettext_lazy("Invalid filter."))},
    )
    def get(self, request):
        user = request.user
        wanted = request.query_params.get("state")
        if wanted and wanted not in STATES:
            raise exceptions.ValidationError(
                {"state": [_("Choose one of: %(states)s.") % {"states": ", ".join(STATES)}]}
            )
        rounds = _rounds()
        if not (user.is_superuser or access.is_staff(user)):
            rounds = rounds.filter(document__community__in=communities_of(user))
        if wanted == "open":
            rounds = rounds.filter(status=ValidationRound.Status.OPEN)
        elif wanted == "closed":
            rounds = rounds.exclude(status=ValidationRound.Status.OPEN)
        rounds = [
            round_
            for round_ in rounds.order_by("-opened_at", "-pk")[:LIST_LIMIT]
            if access.can(user, Action.ANSWER_VALIDATION, round_)
            or access.can(user, Action.FOLLOW_VALIDATION, round_)
        ]
        mine = {
            answer.round_id: answer
            for answer in RoundAnswer.objects.filter(user=user, round__in=[r.pk for r in rounds])
        }
        return [_round_data(request, round_, mine.get(round_.pk)) for round_ in rounds]


class RoundDetail(MaterialsAPIView):
    @endpoint(
        "validation_rounds_retrieve",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("A validation round"),
        description=gettext_lazy(
            "The rule in words, the deadline, my answer; for who follows it (the working "
            "group's coordinator, the community's managers, staff) the tally, the answers with "
            "their authors and, once closed, the figures it was decided on. Who may read its "
            "version or follows it; 404 for anyone else."
        ),
        response=s.RoundDetailSerializer,
    )
    def get(self, request, pk):
        return _round_detail(request, _round(request, pk))


class RoundAnswerView(MaterialsAPIView):
    @endpoint(
        "validation_rounds_answer",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Answer a validation round"),
        description=gettext_lazy(
            "Once, while it is open and before its deadline: approve, approve with comments or "
            "ask for changes (the comment, the reason, is required for the last two). The "
            "community's participants, simple or designated; its managers follow, they do not "
            "answer (403)."
        ),
        request=s.AnswerInputSerializer,
        response=s.MyAnswerSerializer,
        status=status.HTTP_201_CREATED,
        errors={**REFUSED, **ANSWER_CONFLICT},
    )
    def post(self, request, pk):
        round_ = _round(request, pk)
        _check(
            request,
            Action.ANSWER_VALIDATION,
            round_,
            _("Only the community's participants validate its materials."),
        )
        data = validated(s.AnswerInputSerializer, request)
        answer = run(services.answer_round, request.user, round_, data["verdict"], data["comment"])
        return _my_answer(answer)


class RoundClose(MaterialsAPIView):
    @endpoint(
        "validation_rounds_close",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Close a round now"),
        description=gettext_lazy(
            "Decides it by its rule on the answers so far (otherwise it closes by itself at "
            "the deadline). Who follows it."
        ),
        response=s.RoundDetailSerializer,
        errors={**REFUSED, **CLOSED_CONFLICT},
    )
    def post(self, request, pk):
        round_ = run(services.close_round, _round(request, pk), request.user)
        return _reloaded(request, round_)


class RoundCancel(MaterialsAPIView):
    @endpoint(
        "validation_rounds_cancel",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Withdraw a round"),
        description=gettext_lazy(
            "An open round, undecided (its answers stay). The working group's coordinator and "
            "the community's coordinator."
        ),
        response=s.RoundDetailSerializer,
        errors={**REFUSED, **CLOSED_CONFLICT},
    )
    def post(self, request, pk):
        round_ = run(services.cancel_round, request.user, _round(request, pk))
        return _reloaded(request, round_)


class RoundPublish(MaterialsAPIView):
    @endpoint(
        "validation_rounds_publish",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Publish the approved version in Risorse"),
        description=gettext_lazy(
            "The community's public output page, with the file or the text, its authors and "
            "licence; then announced to the community. The community's coordinator and "
            "support team, staff. Only an approved round (409 ``not_approved``)."
        ),
        response=s.PublishedSerializer,
        errors={**REFUSED, **PUBLISH_CONFLICT},
    )
    def post(self, request, pk):
        page = run(services.publish, request.user, _round(request, pk))
        return {
            "page_id": page.pk,
            "url": page.get_url(request=request) or "",
            "round": _reloaded(request, _get(_rounds(), pk)),
        }


class RoundSendBack(MaterialsAPIView):
    @endpoint(
        "validation_rounds_send_back",
        tag=VALIDATION_TAG,
        summary=gettext_lazy("Send an approved version back to the working group"),
        description=gettext_lazy(
            "Not published, with a comment; a new version needs a new round. Who may publish."
        ),
        request=s.SendBackSerializer,
        response=s.RoundDetailSerializer,
        errors={**REFUSED, **SEND_BACK_CONFLICT},
    )
    def post(self, request, pk):
        round_ = _round(request, pk)
        _check(
            request,
            Action.PUBLISH_MATERIAL,
            round_,
            _("Only the community's coordinator, its support team and staff decide on publishing."),
        )
        data = validated(s.SendBackSerializer, request)
        round_ = run(services.send_back, request.user, round_, data["comment"])
        return _reloaded(request, round_)
