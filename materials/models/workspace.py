"""A working group's workspace: its documents, their versions, the comments on a version and
the members' consent to be credited by name.

Everything here lives in a working group's space and says so with ``space_keys()``, so the
communities' rules (``communities.roles``) answer for it: the group's active members, the
community's coordinator and support team, nobody else. The files are on the private storage
(``communities.storage``), outside ``MEDIA_ROOT``: they have no URL and are served only by
``materials.views.files`` after asking the policy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.storage import private_storage


class WorkingDocumentQuerySet(models.QuerySet):
    def of_group(self, group):
        return self.filter(working_group=group)

    def in_groups(self, group_ids):
        return self.filter(working_group_id__in=group_ids)


class WorkingDocument(models.Model):
    """A document a working group writes: a file uploaded version after version, or a draft
    written in the portal (Markdown) whose every saved revision is a version."""

    class Kind(models.TextChoices):
        FILE = "file", _("File (PDF, ODT, DOCX, ODS, XLSX)")
        TEXT = "text", _("Draft written in the portal")

    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("community"),
    )
    working_group = models.ForeignKey(
        "communities.WorkingGroupPage",
        on_delete=models.CASCADE,
        related_name="material_documents",
        verbose_name=_("working group"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = WorkingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("working document")
        verbose_name_plural = _("working documents")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["working_group", "-updated_at"])]

    def __str__(self):
        return self.title

    def space_keys(self) -> tuple[str, str]:
        """Where the document lives, for the communities' access rules."""
        return self.community.translation_key, self.working_group.translation_key

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()

    def next_number(self) -> int:
        return (self.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def version_upload_to(instance, filename: str) -> str:
    """``materials/<group id>/<document id>/v<number>-<random>.<ext>``: never the name the
    member gave (it is kept in ``file_name``)."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    document = instance.document
    return (
        f"materials/{document.working_group_id}/{document.pk}/"
        f"v{instance.number}-{secrets.token_hex(8)}.{extension}"
    )


class DocumentVersion(models.Model):
    """One version of a working document: a file, or the text of a draft at that save."""

    document = models.ForeignKey(
        WorkingDocument,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("document"),
    )
    number = models.PositiveIntegerField(_("number"))
    file = models.FileField(
        _("file"), upload_to=version_upload_to, storage=private_storage, blank=True, max_length=255
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    body = models.TextField(_("text"), blank=True)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="materials_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.document.title} v{self.number}"

    def space_keys(self) -> tuple[str, str]:
        return self.document.space_keys()

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def label(self) -> str:
        return f"v{self.number}"


class VersionCommentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True, parent__isnull=True)


class VersionComment(models.Model):
    """A comment on a version, threaded (a reply names its ``parent``, one level) and
    resolvable (a thread is resolved as a whole: the first comment carries the state)."""

    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("version"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = VersionCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on a version")
        verbose_name_plural = _("comments on versions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True),
                name="materials_comment_resolved_on_thread",
            )
        ]

    def __str__(self):
        return f"{self.version}: {self.body[:40]}"

    def space_keys(self) -> tuple[str, str]:
        return self.version.space_keys()

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class AuthorCredit(models.Model):
    """A member's consent to be named among the authors of what their working group
    publishes (without it, the group is credited without their name)."""

    working_group = models.ForeignKey(
        "communities.WorkingGroupPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("working group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="material_credits",
        verbose_name=_("member"),
    )
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent to be credited")
        verbose_name_plural = _("consents to be credited")
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "user"], name="materials_credit_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.working_group}"
