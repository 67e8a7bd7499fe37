"""The portal's one audit trail for security-relevant actions.

Every entry is a row of Wagtail's own log-action registry (``wagtail.log_actions``): page
actions land in ``PageLogEntry`` and everything else in ``ModelLogEntry``, so staff read,
filter (action, user, date, object type) and export (CSV/XLSX) the whole trail in the admin's
*Reports → Site history*, next to Wagtail's own entries for admin edits. Moderation keeps its
domain log as well and records here too.

Each app registers its own actions (``"<app>.<verb>"``, label and message, translatable) with the
``register_log_actions`` hook in its ``wagtail_hooks.py`` and records them with ``record``.
Entries are kept for ``AUDIT_RETENTION_DAYS`` (``purge_expired``). Data about a person belongs in
``data`` only as far as the entry needs it: ids and codes, never free text they wrote.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

__all__ = ["entries_about", "purge_expired", "record"]


def record(action: str, instance, *, actor=None, data: dict | None = None, title: str = ""):
    """Write one entry for ``action`` on ``instance`` done by ``actor`` (a user, or ``None``
    for the system). ``action`` must be registered through ``register_log_actions``."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    kwargs = {"data": data or {}}
    if title:
        kwargs["title"] = title[:255]
    return log(instance=instance, action=action, user=actor, **kwargs)


def entries_about(user):
    """Entries done by ``user`` or about their account (for the own-data export)."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(get_user_model())
    by_model = ModelLogEntry.objects.filter(user_id=user.pk) | ModelLogEntry.objects.filter(
        content_type=user_type, object_id=str(user.pk)
    )
    return by_model.order_by("timestamp"), PageLogEntry.objects.filter(user_id=user.pk).order_by(
        "timestamp"
    )


def retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", 730))


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the entries older than the retention period (registered with cms.retention);
    returns how many. Page entries go too: Wagtail's own history of editors' work follows the
    same period."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    deleted = ModelLogEntry.objects.filter(timestamp__lt=cutoff).delete()[0]
    return deleted + PageLogEntry.objects.filter(timestamp__lt=cutoff).delete()[0]
