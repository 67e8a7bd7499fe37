"""What every discussions service shares: the errors they raise, the limits of the texts and
the posting rate limits.

- ``NotFound``: the user may not read the discussion (non-members learn nothing: a 404);
- ``NotAllowed``: a member without the right (a 403 with the message);
- ``RateLimited``: too many posts in a window (a 429 with the wait, ``retry_after`` seconds);
- ``InvalidInput``: an empty or too long text (a 400 with the message; the text is kept).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Topic

#: ``{kind: [(max posts, window seconds), ...]}``; override with settings.DISCUSSIONS_RATE_LIMITS.
DEFAULT_RATE_LIMITS = {
    "reply": [(5, 60), (30, 3600)],
    "topic": [(5, 3600)],
}
TITLE_MAX_LENGTH = Topic._meta.get_field("title").max_length
BODY_MAX_LENGTH = 20_000
#: django-contrib-comments' limit (the ``comment`` column of every reply).
REPLY_MAX_LENGTH = getattr(settings, "COMMENT_MAX_LENGTH", 3000)


class DiscussionError(Exception):
    status = 400

    def __init__(self, message=""):
        super().__init__(message)
        self.message = message


class NotFound(DiscussionError):
    status = 404


class NotAllowed(DiscussionError):
    status = 403


class InvalidInput(DiscussionError):
    status = 400


class RateLimited(DiscussionError):
    status = 429

    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(wait_message(self.retry_after))


def wait_message(seconds: int) -> str:
    if seconds < 60:
        wait = ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return _(
        "You are posting too quickly. Please wait %(wait)s and try again: your text has been kept."
    ) % {"wait": wait}


def _clean_text(text, *, max_length, empty_message):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(empty_message)
    if len(text) > max_length:
        raise InvalidInput(
            _("The text is too long: %(length)d characters, at most %(max)d.")
            % {"length": len(text), "max": max_length}
        )
    return text


# --- Rate limits (counted in the cache: Redis in production) ----------------------------------


def _limits(kind):
    limits = getattr(settings, "DISCUSSIONS_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    return limits.get(kind, ())


def _keys(user, kind, now=None):
    now = time.time() if now is None else now
    for limit, window in _limits(kind):
        bucket = int(now // window)
        retry_after = window - (now % window)
        yield f"discussions:rate:{kind}:{user.pk}:{window}:{bucket}", limit, window, retry_after


def check_rate(user, kind) -> None:
    """``RateLimited`` if ``user`` reached one of the limits for ``kind`` (fixed windows)."""
    if getattr(user, "pk", None) is None:
        return
    keys = list(_keys(user, kind))
    if not keys:
        return
    counts = cache.get_many([key for key, *_rest in keys])
    waits = [
        retry_after for key, limit, _window, retry_after in keys if counts.get(key, 0) >= limit
    ]
    if waits:
        raise RateLimited(math.ceil(max(waits)))


def record_rate(user, kind) -> None:
    if getattr(user, "pk", None) is None:
        return
    for key, _limit, window, _retry in _keys(user, kind):
        if not cache.add(key, 1, timeout=window + 1):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window + 1)
