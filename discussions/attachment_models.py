"""Files attached to a topic or a reply, kept apart from ``discussions.models`` for its size;
``discussions.models`` re-exports them (``from discussions.models import Attachment``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.uploads import ALL_FORMATS
from communities.storage import private_storage

# --- Attachments ------------------------------------------------------------------------------


def attachment_upload_to(instance, filename: str) -> str:
    """``discussions/attachments/<year>/<random>.<ext>``: never the name the member gave (kept
    in ``file_name``), nothing that tells the topic or the author."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    year = (instance.created_at or timezone.now()).year
    return f"discussions/attachments/{year}/{secrets.token_hex(16)}.{extension}"


class AttachmentQuerySet(models.QuerySet):
    def of_page(self, topic, reply_ids):
        """The attachments of ``topic``'s opening post and of the replies ``reply_ids``, in
        upload order: one query for a page of a topic."""
        return self.filter(Q(topic=topic) | Q(reply_id__in=list(reply_ids))).order_by("pk")


class Attachment(models.Model):
    """A file attached to a topic's opening post or to a reply (exactly one of ``topic`` and
    ``reply``), on the private storage (``communities.storage``): it has no URL under
    MEDIA_URL and is served only by ``discussions.views.attachments.download`` after asking the
    access policy (``view_attachment``: who may read the discussion, while the post is shown
    to them). The files are checked by their content (``discussions.services.attachments``)."""

    topic = models.ForeignKey(
        "discussions.Topic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("topic"),
    )
    reply = models.ForeignKey(
        "discussions.Reply",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("reply"),
    )
    file = models.FileField(
        _("file"), upload_to=attachment_upload_to, storage=private_storage, max_length=255
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    media_type = models.CharField(_("media type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply__isnull=False, topic__isnull=True)
                | Q(reply__isnull=True, topic__isnull=False),
                name="attachment_topic_xor_reply",
            ),
        ]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("discussions:attachment", kwargs={"pk": self.pk})

    @property
    def post(self):
        """The topic or the reply the file is attached to."""
        return self.topic if self.topic_id else self.reply

    @property
    def discussion(self):
        """The topic of the post (the topic itself, or the reply's)."""
        return self.topic if self.topic_id else self.reply.topic

    def space_keys(self) -> tuple[str, str | None]:
        return self.discussion.space_keys()

    @property
    def format_label(self) -> str:
        """The format as members know it (PDF, DOCX, PNG...), from the stored media type."""
        for fmt in ALL_FORMATS.values():
            if fmt.media_type == self.media_type:
                return fmt.label
        return self.file_name.rsplit(".", 1)[-1].upper() if "." in self.file_name else "?"
