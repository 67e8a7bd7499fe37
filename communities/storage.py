"""Private file storage: files that must never be reachable by a URL under MEDIA_URL.

Designation acts live under ``settings.PRIVATE_MEDIA_ROOT`` (outside ``MEDIA_ROOT``) and are
served only by ``communities.views.files.designation_act``, which asks the access policy first.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_media_root() -> Path:
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR) / "private_media"


class PrivateStorage(FileSystemStorage):
    """A file system storage without public URLs."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(private_media_root()))
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("Private files have no public URL: serve them through a checked view.")


def private_storage():
    """Callable storage for model fields (evaluated when the models load)."""
    return PrivateStorage()
