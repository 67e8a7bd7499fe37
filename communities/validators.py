"""Validation of uploaded designation acts: PDF only, size-limited."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_ACT_MAX_SIZE = 5 * 1024 * 1024


def act_max_size() -> int:
    return int(getattr(settings, "COMMUNITIES_ACT_MAX_SIZE", DEFAULT_ACT_MAX_SIZE))


def validate_act_file(file):
    """A designation act must be a PDF file no larger than the configured limit."""
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("The appointment act must be a PDF file."), code="act_not_pdf")
    size = getattr(file, "size", None)
    if size is not None and size > act_max_size():
        raise ValidationError(
            _("The appointment act is too large: the limit is %(limit)s.")
            % {"limit": filesizeformat(act_max_size())},
            code="act_too_large",
        )
    position = None
    try:
        position = file.tell()
        file.seek(0)
        head = file.read(5)
    except (AttributeError, OSError, ValueError):
        head = b""
    finally:
        if position is not None:
            with contextlib.suppress(OSError, ValueError):
                file.seek(position)
    if isinstance(head, str):
        head = head.encode("latin-1", "replace")
    if head != b"%PDF-":
        raise ValidationError(_("The appointment act must be a PDF file."), code="act_not_pdf")
