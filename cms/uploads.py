"""Uploaded documents recognised by their content, for every app that accepts files from members
(a working group's versions, the attachments of topics and replies): PDF, ODT, ODS, DOCX or
XLSX, the extension agreeing with the content, no larger than the caller's limit. A caller may
also accept images (``IMAGE_FORMATS``: PNG, JPEG, e.g. screenshots in a discussion) by naming
them in ``accepted``; nobody gets them by default.

- PDF: the ``%PDF-`` signature.
- OpenDocument (ODT, ODS): a ZIP whose first entry is ``mimetype``, stored, holding the format's
  media type (the OpenDocument rule).
- Office Open XML (DOCX, XLSX): a ZIP with ``[Content_Types].xml`` and the part of the format
  (``word/document.xml``, ``xl/workbook.xml``).
- PNG, JPEG: the format's signature, then Pillow opens and verifies the whole file (a damaged
  or truncated image, or one larger than ``MAX_IMAGE_PIXELS``, is refused).

A ZIP that declares more than ``MAX_UNCOMPRESSED`` once unpacked is refused (no zip bombs
reach the text comparison). Messages are for the member, in Italian through gettext.
"""

from __future__ import annotations

import contextlib
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: The largest image accepted, in pixels (a screenshot of a 8K screen is 33 million).
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    label: str
    #: Other extensions a file of this format may carry (``.jpeg`` for JPEG).
    aliases: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


FORMATS = {
    "pdf": Format("pdf", "application/pdf", "PDF"),
    "odt": Format("odt", "application/vnd.oasis.opendocument.text", "ODT"),
    "ods": Format("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
    ),
}
ACCEPT = ",".join(f".{key}" for key in FORMATS)
#: Images, accepted only where a caller names them in ``accepted``.
IMAGE_FORMATS = {
    "png": Format("png", "image/png", "PNG"),
    "jpg": Format("jpg", "image/jpeg", "JPEG", aliases=("jpeg",)),
}
ALL_FORMATS = {**FORMATS, **IMAGE_FORMATS}
_PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG"}


def accept_attribute(accepted) -> str:
    """The ``accept`` attribute of a file input for the formats ``accepted`` (keys)."""
    return ",".join(
        f".{extension}" for key in accepted for extension in ALL_FORMATS[key].extensions
    )


def _verified_image(file, key: str) -> bool:
    """Whether Pillow reads ``file`` whole as an image of format ``key`` (``png``, ``jpg``)
    no larger than ``MAX_IMAGE_PIXELS``."""
    from PIL import Image

    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=[_PILLOW_FORMATS[key]]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return False
                image.verify()  # PNG: every chunk's checksum
            if key == "jpg":  # verify() checks little of a JPEG: decode it, at 1/8 scale
                file.seek(0)
                with Image.open(file, formats=["JPEG"]) as image:
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on a damaged file
        return False
    return True


def _sniff(file) -> str | None:
    """The format key of ``file`` from its content, or ``None``."""
    position = None
    with contextlib.suppress(AttributeError, OSError, ValueError):
        position = file.tell()
    try:
        file.seek(0)
        head = file.read(8)
        if isinstance(head, str):
            return None
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png" if _verified_image(file, "png") else None
        if head.startswith(b"\xff\xd8\xff"):
            return "jpg" if _verified_image(file, "jpg") else None
        if not head.startswith(b"PK\x03\x04"):
            return None
        file.seek(0)
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        with archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
                return None
            names = {info.filename for info in infos}
            if infos and infos[0].filename == "mimetype":
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                for key in ("odt", "ods"):
                    if declared == FORMATS[key].media_type:
                        return key
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
            return None
    except (OSError, ValueError):
        return None
    finally:
        if position is not None:
            with contextlib.suppress(OSError, ValueError):
                file.seek(position)


def validate_document_upload(file, *, max_size: int, accepted=tuple(FORMATS)) -> Format:
    """The file's format, or ``ValidationError`` (code ``too_large``, ``empty``,
    ``bad_type``) with a message that names the ``accepted`` formats (keys of ``FORMATS`` and
    ``IMAGE_FORMATS``)."""
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size is not None and size > max_size:
        raise ValidationError(
            _("The file is too large (%(size)s): the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_size)},
            code="too_large",
        )
    name = (getattr(file, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    labels = ", ".join(ALL_FORMATS[key].label for key in accepted)
    sniffed = _sniff(file)
    if sniffed is None or sniffed not in accepted:
        raise ValidationError(
            _(
                "The content of the file is not a document in an accepted format "
                "(%(accepted)s). Check that the file is not damaged and that it is really "
                "in that format."
            )
            % {"accepted": labels},
            code="bad_type",
        )
    if extension not in ALL_FORMATS[sniffed].extensions:
        raise ValidationError(
            _(
                "The file's name ends in “.%(extension)s” but its content is %(format)s: "
                "rename it with the right extension."
            )
            % {"extension": extension or "?", "format": ALL_FORMATS[sniffed].label},
            code="bad_type",
        )
    return ALL_FORMATS[sniffed]
