"""Which search backend the portal uses, from the environment.

``WAGTAILSEARCH_BACKENDS = search_backends()`` in ``cms/settings/base.py``:

- ``SEARCH_URL`` unset (the default): Wagtail's database backend. On PostgreSQL it is full-text
  search with the ``italian`` text search configuration (stemming, stop words); on SQLite (the
  embedded demo) SQLite's FTS5.
- ``SEARCH_URL`` set (``https://user:password@host:9200``): Elasticsearch 9, or OpenSearch 3 with
  ``SEARCH_ENGINE=opensearch``; every text field is analysed with the Italian analyzer defined
  below (elision of ``l'``/``dell'``…, lower case, accents folded, Italian stop words, the light
  Italian stemmer). ``SEARCH_INDEX_PREFIX`` (default ``portal_``) names the indexes.

Build or rebuild the index with ``manage.py update_index`` (see ``search/README.md``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DATABASE_BACKEND = "wagtail.search.backends.database"
ENGINES = {
    "elasticsearch": "wagtail.search.backends.elasticsearch9",
    "opensearch": "wagtail.search.backends.opensearch3",
}
SEARCH_CONFIG = "italian"

#: Articles that Italian elides before a vowel ("l'amministrazione", "dell'ente").
ITALIAN_ELISION_ARTICLES = [
    "c",
    "l",
    "all",
    "dall",
    "dell",
    "nell",
    "sull",
    "coll",
    "pell",
    "gl",
    "agl",
    "dagl",
    "degl",
    "negl",
    "sugl",
    "un",
    "m",
    "t",
    "s",
    "v",
    "d",
]

#: Elasticsearch / OpenSearch analysis settings: Italian is the default analyzer of every text
#: field (the rebuilt ``italian`` analyzer of the Elasticsearch reference, plus ASCII folding so
#: that "citta" finds "città"). Autocomplete fields keep the backend's own edge n-gram analyzer.
ITALIAN_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "italian_elision": {
                    "type": "elision",
                    "articles": ITALIAN_ELISION_ARTICLES,
                    "articles_case": True,
                },
                "italian_stop": {"type": "stop", "stopwords": "_italian_"},
                "italian_stemmer": {"type": "stemmer", "language": "light_italian"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "italian_elision",
                        "lowercase",
                        "italian_stop",
                        "italian_stemmer",
                        "asciifolding",
                    ],
                },
            },
        }
    }
}


class SearchSettingsError(ValueError):
    """The search environment variables do not describe a usable backend."""


def search_backends(environ: Mapping[str, str] | None = None) -> dict:
    """``WAGTAILSEARCH_BACKENDS`` for ``environ`` (``os.environ`` by default)."""
    environ = os.environ if environ is None else environ
    url = environ.get("SEARCH_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": DATABASE_BACKEND, "SEARCH_CONFIG": SEARCH_CONFIG}}
    if not url.startswith(("http://", "https://")):
        raise SearchSettingsError("SEARCH_URL must be an http:// or https:// address.")
    engine = environ.get("SEARCH_ENGINE", "elasticsearch").strip().lower() or "elasticsearch"
    if engine not in ENGINES:
        raise SearchSettingsError(
            f"SEARCH_ENGINE must be one of {', '.join(sorted(ENGINES))}, not {engine!r}."
        )
    try:
        timeout = int(environ.get("SEARCH_TIMEOUT", "5"))
    except ValueError as error:
        raise SearchSettingsError("SEARCH_TIMEOUT must be a number of seconds.") from error
    return {
        "default": {
            "BACKEND": ENGINES[engine],
            "URLS": [url],
            "INDEX_PREFIX": environ.get("SEARCH_INDEX_PREFIX", "portal_"),
            "TIMEOUT": timeout,
            "INDEX_SETTINGS": ITALIAN_INDEX_SETTINGS,
        }
    }


def is_database_backend(backends: Mapping | None = None) -> bool:
    """Whether the default backend is Wagtail's database backend."""
    if backends is None:
        from django.conf import settings

        backends = settings.WAGTAILSEARCH_BACKENDS
    return backends["default"]["BACKEND"] == DATABASE_BACKEND
