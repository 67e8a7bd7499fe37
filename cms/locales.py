"""The locales, from one cached source.

Wagtail looks the active ``Locale`` up by its language code on every page it serves
(``Page.route_for_request`` → ``localized``), on every rich text with page links, and the portal
does it in its views and template tags: one query each time, three to five per page, for two rows
that almost never change. Here they come from a snapshot (``cms/snapshots.py``: per process and
in the shared cache, stamped with the page cache's generation; saving or deleting a ``Locale``
bumps it). The portal's code calls ``get_for_language``, ``get_active`` and ``get_default`` here
instead of ``Locale.objects.get_for_language``, ``Locale.get_active()`` and
``Locale.get_default()``; Wagtail's own calls reach the same snapshot through the one override of
its manager method (``cms/overrides.py``, which says why there is no public hook).

Every call returns a new ``Locale`` instance (never one shared between requests), with the same
exceptions as Wagtail's: ``LookupError`` for a language the site does not support,
``Locale.DoesNotExist`` for one without a row.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from . import snapshots


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


def get_default() -> Locale:
    """``Locale.get_default()`` without a query: the locale of ``LANGUAGE_CODE``."""
    return get_for_language(settings.LANGUAGE_CODE)


def get_active() -> Locale:
    """``Locale.get_active()`` without a query: the locale of the active language, else the
    default one."""
    try:
        return get_for_language(translation.get_language())
    except (Locale.DoesNotExist, LookupError):
        return get_default()


def language_code(pk: int | None) -> str | None:
    """The language code of the locale with primary key ``pk`` (``page.locale.language_code``
    without the query)."""
    if pk is None:
        return None
    return _maps()[1].get(pk)


def by_id(pk: int | None) -> Locale | None:
    code = language_code(pk)
    return None if code is None else _instance(pk, code)
