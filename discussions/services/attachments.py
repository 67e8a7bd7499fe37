"""Files attached to a topic's opening post or to a reply.

A member attaches up to ``DISCUSSIONS_ATTACHMENTS_MAX`` files (3) of at most
``DISCUSSIONS_ATTACHMENT_MAX_SIZE`` bytes (10 MB) each to the post they publish, in the same
request: ``clean_files`` checks them all *before* the topic or reply is created (a bad file
refuses the whole post, nothing is stored, the text is given back), ``store`` writes them in
the post's transaction. The formats are recognised by their content (``cms.uploads``): PDF,
ODT, ODS, DOCX, XLSX, and PNG or JPEG for screenshots.

The files live on the private storage (``communities.storage``), under a random name; who may
download one is the access policy's ``view_attachment`` (``discussions.permissions``). A file
leaves the storage with its row (a deleted topic, an erased member: ``discussions.gdpr``),
once the transaction commits.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.uploads import FORMATS, IMAGE_FORMATS, accept_attribute, validate_document_upload

from ..models import Attachment
from .common import InvalidInput

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILES = 3
DEFAULT_MAX_SIZE = 10 * 1024 * 1024
#: The formats members may attach (keys of ``cms.uploads.ALL_FORMATS``).
ACCEPTED = (*FORMATS, *IMAGE_FORMATS)
#: The file input's ``accept`` attribute.
ACCEPT = accept_attribute(ACCEPTED)
#: The form field the messages are about.
FIELD = "attachments"


def max_files() -> int:
    return int(getattr(settings, "DISCUSSIONS_ATTACHMENTS_MAX", DEFAULT_MAX_FILES))


def max_size() -> int:
    return int(getattr(settings, "DISCUSSIONS_ATTACHMENT_MAX_SIZE", DEFAULT_MAX_SIZE))


def help_text() -> str:
    return _(
        "Optional: up to %(count)d files (PDF, ODT, ODS, DOCX, XLSX, PNG or JPEG), at most "
        "%(size)s each. Only who may read this discussion can download them."
    ) % {"count": max_files(), "size": filesizeformat(max_size())}


def _name_of(upload) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or _("file")


def clean_files(files) -> list:
    """``files`` (uploaded files) checked: ``[(upload, format)]``, or ``InvalidInput`` with
    the messages on ``FIELD`` (one per refused file, naming it). Nothing is stored."""
    files = [upload for upload in (files or []) if upload is not None]
    limit = max_files()
    if len(files) > limit:
        raise InvalidInput(
            {
                FIELD: [
                    ngettext(
                        "You can attach at most %(max)d file: you chose %(count)d.",
                        "You can attach at most %(max)d files: you chose %(count)d.",
                        limit,
                    )
                    % {"max": limit, "count": len(files)}
                ]
            }
        )
    checked, messages = [], []
    for upload in files:
        try:
            fmt = validate_document_upload(upload, max_size=max_size(), accepted=ACCEPTED)
        except ValidationError as error:
            messages.extend(
                _("“%(name)s”: %(message)s") % {"name": _name_of(upload), "message": message}
                for message in error.messages
            )
        else:
            checked.append((upload, fmt))
    if messages:
        raise InvalidInput({FIELD: messages})
    return checked


def store(user, checked, *, topic=None, reply=None) -> list[Attachment]:
    """Store the files ``clean_files`` accepted, attached to ``topic`` or ``reply`` (exactly
    one), uploaded by ``user``, inside the post's transaction (the last step of it). Should
    writing one fail, the files already written are removed and the error goes up (the
    transaction, and the post, are rolled back)."""
    stored = []
    try:
        for upload, fmt in checked:
            digest = hashlib.sha256()
            upload.seek(0)
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                digest.update(chunk)
            upload.seek(0)
            attachment = Attachment(
                topic=topic,
                reply=reply,
                file_name=_name_of(upload),
                file_size=upload.size,
                media_type=fmt.media_type,
                sha256=digest.hexdigest(),
                uploaded_by=user,
            )
            attachment.file.save(f"file.{fmt.extension}", upload, save=False)
            stored.append(attachment)
            attachment.save()
    except Exception:
        for attachment in stored:
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


def attachments_by_post(topic, reply_ids) -> tuple[list[Attachment], dict[int, list]]:
    """``(the topic's attachments, {reply id: its attachments})``, in one query."""
    of_topic, of_replies = [], {}
    for attachment in Attachment.objects.of_page(topic, reply_ids):
        if attachment.topic_id:
            of_topic.append(attachment)
        else:
            of_replies.setdefault(attachment.reply_id, []).append(attachment)
    return of_topic, of_replies


def _delete_after_commit(storage, name) -> None:
    def delete():
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete the attachment %s", name)

    transaction.on_commit(delete)


@receiver(post_delete, sender=Attachment, dispatch_uid="discussions_attachment_deleted")
def attachment_deleted(sender, instance, **kwargs):
    """The file leaves the storage with its row (a deleted topic takes its replies' files too),
    once the deletion commits."""
    if instance.file:
        _delete_after_commit(instance.file.storage, instance.file.name)
