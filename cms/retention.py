"""Data kept only for a limited time: one registry of purges, run together by
``manage.py purge_expired`` (daily, from cron or a scheduler; docs/deploy.md) or by the
``purge_expired_data`` task.

Each app registers the purge of its own data (``register("name", fn)``, ``fn(now) -> int``: how
many rows it changed) in its ``AppConfig.ready``; the core registers the audit trail's. Periods
are settings, documented in docs/security.md and in the privacy notice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

_purges: dict[str, Callable[[datetime.datetime], int]] = {}


def register(name: str, purge: Callable[[datetime.datetime], int]) -> None:
    _purges[name] = purge


def registered() -> dict[str, Callable[[datetime.datetime], int]]:
    return dict(_purges)


def run_all(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every registered purge; returns how many rows each one changed."""
    now = now or timezone.now()
    results = {}
    for name, purge in _purges.items():
        results[name] = purge(now)
        logger.info("retention purge %s: %s rows", name, results[name])
    return results


@task
def purge_expired_data() -> dict[str, int]:
    return run_all()
