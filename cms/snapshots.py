"""Shared data of every request, cached per invalidation token.

Every page a signed-in member sees is rendered; a good part of its cost was data that is the same
for everyone and changes only when an editor changes something: the site, the portal settings,
the locales, the page view restrictions, the main menu, the footer links. Each such value is
computed once per *token* (``cms/cache.py``: the page cache's generation, bumped on every write
that can change a page — publishing, moving, unpublishing, a restriction and its groups, a site,
the portal settings, a locale — or another token with the same rules) and kept:

1. in this process (a dict: no round trip, no unpickling), and
2. in the shared cache (Redis in production), so that other processes need not compute it,

stamped with the token it was computed under: an entry is used only while its token is current.
A request reads each token once (``request_started`` opens a per-request memo; outside a request
every call reads it); a bump in the request itself forgets the memoised token.

Rules:

- Only data that is identical for every user goes here, never anything user-specific: filter it
  per user afterwards (``cms.access``).
- Values are shared by the threads of a process and must not be changed: plain immutable data
  (tuples, frozensets, strings, dicts treated as read-only). Model instances only with
  ``copy=True``: each call then returns its own (unpickled) copy.
- While the current transaction has an uncommitted write that bumps the token, nothing is read
  from or stored into the shared caches: it may see rows that other connections cannot (yet, or
  ever, if it rolls back). It keeps what it computes to itself, per token and savepoint, until
  it ends.
- Entries also expire after ``PAGE_CACHE_TIMEOUT`` seconds (a write that sends no signal, e.g.
  a migration or raw SQL, is seen after at most that long), and a cache outage falls back to
  computing the value.
"""

from __future__ import annotations

import contextvars
import logging
import pickle
import time
from collections.abc import Callable

from django.conf import settings

from . import cache as page_cache_module

logger = logging.getLogger(__name__)

KEY_PREFIX = "snapshot:"

#: The tokens read by the current request ({key: token}), or None outside a request.
_request_tokens: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "portal_snapshot_tokens", default=None
)
#: {name: (token, expires at (monotonic), value or pickled value)}
_local: dict[str, tuple[str, float, object]] = {}
#: Per-page entries (breadcrumbs, translations) make ``_local`` grow with the pages visited:
#: past this many entries it starts afresh.
LOCAL_MAX_ENTRIES = 10_000


def _timeout() -> int:
    return int(getattr(settings, "PAGE_CACHE_TIMEOUT", 300))


def begin_request(**kwargs) -> None:
    _request_tokens.set({})


def end_request(**kwargs) -> None:
    _request_tokens.set(None)


def forget_token(key: str) -> None:
    """The request bumped ``key``: read it again next time."""
    memo = _request_tokens.get()
    if memo is not None:
        memo.pop(key, None)


def clear_local() -> None:
    """Forget this process's copies (tests)."""
    _local.clear()


#: The tokens a request reads at its first need of any of them, in one round trip.
KNOWN_TOKENS = (page_cache_module.GENERATION_KEY, page_cache_module.ADMIN_ACCESS_KEY)


def token(key: str = page_cache_module.GENERATION_KEY) -> str | None:
    """The current token of ``key`` (once per request), or ``None`` if the cache is down."""
    memo = _request_tokens.get()
    if memo is not None:
        if key in memo:
            return memo[key]
        missing = [known for known in KNOWN_TOKENS if known not in memo]
        if key in missing:
            try:
                memo.update(page_cache_module.page_cache().get_many(missing))
            except Exception:
                logger.exception("snapshots: could not read the tokens")
            if key in memo:
                return memo[key]
    try:
        value = page_cache_module.current_token(key)
    except Exception:
        logger.exception("snapshots: could not read %s", key)
        value = None
    if memo is not None:
        memo[key] = value
    return value


def cached[T](
    name: str,
    compute: Callable[[], T],
    *,
    token_key: str = page_cache_module.GENERATION_KEY,
    copy: bool = False,
) -> T:
    """``compute()`` as of the current token of ``token_key`` (see the module's rules)."""
    pending = page_cache_module.pending_invalidation(token_key)
    if pending is not None:
        return _in_transaction(pending, name, compute, token_key, copy)
    current = token(token_key)
    if current is None:
        return compute()
    now = time.monotonic()
    local = _local.get(name)
    if local is not None and local[0] == current and local[1] > now:
        return _unpack(local[2], copy)
    cache = page_cache_module.page_cache()
    key = KEY_PREFIX + name
    try:
        entry = cache.get(key)
    except Exception:
        logger.exception("snapshots: lookup of %s failed", name)
        entry = None
    if entry is not None and entry[0] == current:
        stored = entry[1]
    else:
        value = compute()
        stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if copy else value
        try:
            cache.set(key, (current, stored), timeout=_timeout())
        except Exception:
            logger.exception("snapshots: store of %s failed", name)
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()
    _local[name] = (current, now + _timeout(), stored)
    return _unpack(stored, copy)


def _in_transaction(pending, name, compute, token_key, copy):
    """``compute()`` for a transaction with an uncommitted bump of ``token_key``, remembered in
    that transaction only: per token (its own later writes bump it) and per savepoint of the
    ``atomic`` blocks (one rolled back takes its writes, and what was computed after them, away;
    manual ``transaction.savepoint()`` calls are not tracked, and not used in this project)."""
    from django.db import transaction

    current = token(token_key)
    if current is None:
        return compute()
    key = (name, current, tuple(transaction.get_connection().savepoint_ids))
    if key not in pending.memo:
        value = compute()
        pending.memo[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if copy else value
    return _unpack(pending.memo[key], copy)


def _unpack(stored, copy: bool):
    return pickle.loads(stored) if copy else stored  # noqa: S301 - our own pickles


def connect_signals() -> None:
    """A per-request memo of the tokens (called from ``cms.cache.connect_signals``)."""
    from django.core.signals import request_finished, request_started

    request_started.connect(begin_request, dispatch_uid="snapshots_begin_request")
    request_finished.connect(end_request, dispatch_uid="snapshots_end_request")
