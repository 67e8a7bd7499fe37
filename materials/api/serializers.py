"""Serializers of the materials' API (``materials.api.views``).

Output serializers read the plain dicts the views build (no rule is decided here: what the user
may do comes from ``cms.access`` through the views); every key is always present (``null`` when
it does not apply). Input serializers only parse and type-check: what is allowed and what is
valid (a file's type by its content, an empty text, a deadline too close) is decided by
``materials.services``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.api.serializers import MAX_ID
from discussions.api.serializers import AuthorSerializer

from ..models import RoundAnswer, ValidationRound, WorkingDocument

# Choice sets, named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
DOCUMENT_KINDS = WorkingDocument.Kind.choices
ROUND_STATUSES = ValidationRound.Status.choices
MAJORITIES = ValidationRound.Majority.choices
VERDICTS = RoundAnswer.Verdict.choices


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


# --- Documents and versions -------------------------------------------------------------------


class VersionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True, help_text=_("v1, v2…"))


class RoundRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=_("The version's number"))
    status = serializers.ChoiceField(choices=ROUND_STATUSES, read_only=True)
    deadline = serializers.DateTimeField(read_only=True)


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True, help_text=_("What changed"))
    author = AuthorSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    file_name = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("The file's name as uploaded (files only)")
    )
    file_size = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("In bytes (files only)")
    )
    media_type = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Found from the content (files only)")
    )
    url = serializers.CharField(read_only=True, help_text=_("The version's page on the site"))


class DocumentPermissionsSerializer(serializers.Serializer):
    contribute = serializers.BooleanField(read_only=True, help_text=_("Add versions"))
    open_validation = serializers.BooleanField(
        read_only=True, help_text=_("Submit a version to the participants")
    )


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(
        choices=DOCUMENT_KINDS,
        read_only=True,
        help_text=_("file (uploaded version after version) or text (a draft written here)"),
    )
    community = RefSerializer(read_only=True)
    working_group = RefSerializer(read_only=True)
    created_by = AuthorSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    latest_version = VersionRefSerializer(read_only=True, allow_null=True)
    open_round = RoundRefSerializer(
        read_only=True, allow_null=True, help_text=_("The validation round open now, if any")
    )
    url = serializers.CharField(read_only=True, help_text=_("The document's page on the site"))


class DocumentDetailSerializer(DocumentSerializer):
    versions = VersionSerializer(many=True, read_only=True, help_text=_("Newest first"))
    rounds = RoundRefSerializer(many=True, read_only=True, help_text=_("Newest first"))
    permissions = DocumentPermissionsSerializer(read_only=True)


class CommentReplySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = AuthorSerializer(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CommentSerializer(CommentReplySerializer):
    """A thread: its first comment, which carries the resolved state, and its replies."""

    resolved = serializers.BooleanField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    resolved_by = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Who resolved it")
    )
    may_resolve = serializers.BooleanField(
        read_only=True, help_text=_("Whether you may resolve it or open it again")
    )
    replies = CommentReplySerializer(many=True, read_only=True)


class VersionPermissionsSerializer(serializers.Serializer):
    view_materials = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The working group's workspace: the other versions and the comments. A participant "
            "reading a version submitted to a validation round has only the version."
        ),
    )
    comment = serializers.BooleanField(read_only=True)
    contribute = serializers.BooleanField(read_only=True)
    open_validation = serializers.BooleanField(read_only=True)


class VersionDetailSerializer(VersionSerializer):
    document = RefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS, read_only=True)
    sha256 = serializers.CharField(read_only=True, allow_null=True, help_text=_("Files only"))
    file_url = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("Where the site serves the file (with the same session), files only"),
    )
    text = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("The draft's text (Markdown), texts only")
    )
    comments = CommentSerializer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text=_("The comment threads, oldest first; null if you may not see the workspace"),
    )
    rounds = RoundRefSerializer(many=True, read_only=True)
    permissions = VersionPermissionsSerializer(read_only=True)


class AuthorCreditSerializer(serializers.Serializer):
    working_group = serializers.IntegerField(read_only=True)
    agreed = serializers.BooleanField(
        read_only=True,
        help_text=_("You agree to be named among the authors of what the group publishes"),
    )
    agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)


# --- Validation rounds ------------------------------------------------------------------------


class MyAnswerSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=VERDICTS, read_only=True)
    comment = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AnswerSerializer(MyAnswerSerializer):
    participant = AuthorSerializer(read_only=True)


class TallySerializer(serializers.Serializer):
    answers = serializers.IntegerField(read_only=True)
    approve = serializers.IntegerField(read_only=True)
    approve_with_comments = serializers.IntegerField(read_only=True)
    changes = serializers.IntegerField(read_only=True)
    approving = serializers.IntegerField(read_only=True)
    eligible = serializers.IntegerField(
        read_only=True, help_text=_("The community's participants when the round opened")
    )
    quorum_needed = serializers.IntegerField(read_only=True)
    quorum_reached = serializers.BooleanField(read_only=True)
    majority_reached = serializers.BooleanField(read_only=True)
    approved = serializers.BooleanField(read_only=True)


class PageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True, allow_null=True)


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    document = RefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    working_group = RefSerializer(read_only=True)
    version = VersionRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ROUND_STATUSES, read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)
    deadline = serializers.DateTimeField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rule = serializers.CharField(read_only=True, help_text=_("The rule that decides, in words"))
    accepts_answers = serializers.BooleanField(
        read_only=True, help_text=_("Open and before its deadline")
    )
    my_answer = MyAnswerSerializer(read_only=True, allow_null=True)
    may_answer = serializers.BooleanField(read_only=True)
    may_follow = serializers.BooleanField(
        read_only=True, help_text=_("You see the answers and may close it")
    )
    url = serializers.CharField(read_only=True, help_text=_("The round's page on the site"))


class RoundDetailSerializer(RoundSerializer):
    instructions = serializers.CharField(read_only=True, help_text=_("What to check"))
    quorum_percent = serializers.IntegerField(read_only=True)
    majority = serializers.ChoiceField(choices=MAJORITIES, read_only=True)
    eligible_count = serializers.IntegerField(read_only=True)
    may_cancel = serializers.BooleanField(read_only=True)
    may_publish = serializers.BooleanField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    page = PageRefSerializer(
        read_only=True, allow_null=True, help_text=_("The public output, once published")
    )
    tally = TallySerializer(
        read_only=True, allow_null=True, help_text=_("The answers so far (who follows it)")
    )
    outcome = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text=_("The figures the round was decided on, once closed (who follows it)"),
    )
    answers = AnswerSerializer(
        many=True, read_only=True, allow_null=True, help_text=_("Who follows it")
    )


class PublishedSerializer(serializers.Serializer):
    page_id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("The public page under Risorse"))
    round = RoundDetailSerializer(read_only=True)


# --- Input --------------------------------------------------------------------------------------


class DocumentCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS)
    file = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=False,
        help_text=_(
            "For kind file (multipart request): PDF, ODT, DOCX, ODS or XLSX, checked by its "
            "content, size-limited."
        ),
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=_("For kind text: the draft's text (Markdown)."),
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VersionCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=False,
        help_text=_("A file document's new version (multipart request)."),
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=_("A draft's new text (Markdown): the whole text, not a change."),
    )
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What changed"),
    )


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
    parent = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=_("A comment of the same version: the reply joins its thread."),
    )


class RoundOpenSerializer(serializers.Serializer):
    deadline = serializers.DateTimeField(
        help_text=_(
            "ISO 8601 (without an offset: the portal's time zone); at least 24 hours and at "
            "most 90 days from now."
        )
    )
    quorum_percent = serializers.IntegerField(
        min_value=0,
        max_value=100,
        default=20,
        help_text=_("The share of the community's participants who must answer"),
    )
    majority = serializers.ChoiceField(choices=MAJORITIES, default="simple")
    instructions = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text=_("What to check")
    )


class AnswerInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=VERDICTS)
    comment = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when approving with comments or asking for changes (the reason)."),
    )


class SendBackSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why it goes back to the working group"),
    )
