"""How long the record of failed staff sign-ins (django-axes) is kept: the counters and the
failure log older than ``SIGN_IN_FAILURE_RETENTION_DAYS`` are deleted by the daily
``manage.py purge_expired`` (cms/retention.py). A pair locked out now is never affected: the
period is far longer than ``AXES_COOLOFF_TIME``."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings


def retention_days() -> int:
    return int(getattr(settings, "SIGN_IN_FAILURE_RETENTION_DAYS", 90))


def purge_sign_in_failures(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=retention_days())
    attempts = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return attempts + AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
