"""What a working group may upload: PDF, ODT, ODS, DOCX or XLSX, recognised by their content
(``cms.uploads``), no larger than ``MATERIALS_MAX_FILE_SIZE`` (20 MB by default)."""

from __future__ import annotations

from django.conf import settings

from cms.uploads import ACCEPT, FORMATS, Format, validate_document_upload

DEFAULT_MAX_SIZE = 20 * 1024 * 1024

__all__ = ["ACCEPT", "FORMATS", "max_size", "validate_material_file"]


def max_size() -> int:
    return int(getattr(settings, "MATERIALS_MAX_FILE_SIZE", DEFAULT_MAX_SIZE))


def validate_material_file(file) -> Format:
    return validate_document_upload(file, max_size=max_size())
