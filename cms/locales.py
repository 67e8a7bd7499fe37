"""The locales, from one cached source.

Wagtail looks the active ``Locale`` up by its language code on every page it serves
(``Page.route_for_request`` → ``localized``), on every rich text with page links, and the portal
does it in its views and template tags: one query each time, three to five per page, for two rows
that almost never change. Here they come from a snapshot (``cms/snapshots.py``: per process and
in the shared cache, stamped with the page cache's generation; saving or deleting a ``Locale``
bumps it), and ``install()`` makes Wagtail's ``Locale.objects.get_for_language`` — and so
``Locale.get_active()`` and ``Locale.get_default()`` everywhere — answer from it.

Every call returns a new ``Locale`` instance (never one shared between requests), with the same
exceptions as Wagtail's: ``LookupError`` for a language the site does not support,
``Locale.DoesNotExist`` for one without a row.
"""

from __future__ import annotations

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale
from wagtail.models.i18n import LocaleManager

from . import snapshots

_wagtail_get_for_language = LocaleManager.get_for_language


def _load() -> tuple[dict[str, int], dict[int, str]]:
    rows = list(Locale.objects.values_list("pk", "language_code"))
    return {code: pk for pk, code in rows}, dict(rows)


def _maps() -> tuple[dict[str, int], dict[int, str]]:
    return snapshots.cached("locales", _load)


def _instance(pk: int, code: str) -> Locale:
    return Locale.from_db("default", ["id", "language_code"], (pk, code))


def get_for_language(language_code: str) -> Locale:
    """``Locale.objects.get_for_language`` without a query."""
    code = get_supported_content_language_variant(language_code)
    pk = _maps()[0].get(code)
    if pk is None:
        raise Locale.DoesNotExist("Locale matching query does not exist.")
    return _instance(pk, code)


def language_code(pk: int | None) -> str | None:
    """The language code of the locale with primary key ``pk`` (``page.locale.language_code``
    without the query)."""
    if pk is None:
        return None
    return _maps()[1].get(pk)


def by_id(pk: int | None) -> Locale | None:
    code = language_code(pk)
    return None if code is None else _instance(pk, code)


def _cached_get_for_language(self, language_code):
    # Only the plain default manager: another database, or a manager with hints, asks Wagtail.
    if type(self) is not LocaleManager or self._db is not None or self._hints:
        return _wagtail_get_for_language(self, language_code)
    return get_for_language(language_code)


def _installed() -> bool:
    return LocaleManager.get_for_language is _cached_get_for_language


def install() -> None:
    """Make ``Locale.objects.get_for_language`` (and ``Locale.get_active``/``get_default``,
    which call it) answer from the snapshot. Called once, from ``CmsConfig.ready``."""
    if not _installed():
        LocaleManager.get_for_language = _cached_get_for_language
