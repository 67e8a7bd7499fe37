"""The backend switch (configuration only: no Elasticsearch server can run here)."""

import pytest
from django.conf import settings

from cms.settings.search import (
    DATABASE_BACKEND,
    ITALIAN_INDEX_SETTINGS,
    SearchSettingsError,
    is_database_backend,
    search_backends,
)


def test_database_backend_with_italian_config_by_default():
    assert search_backends({}) == {
        "default": {"BACKEND": DATABASE_BACKEND, "SEARCH_CONFIG": "italian"}
    }
    assert search_backends({"SEARCH_URL": "  "})["default"]["BACKEND"] == DATABASE_BACKEND


def test_the_settings_use_the_switch():
    assert search_backends() == settings.WAGTAILSEARCH_BACKENDS
    assert is_database_backend()


def test_search_url_selects_elasticsearch_9_with_the_italian_analyzer():
    config = search_backends(
        {"SEARCH_URL": "https://user:secret@search.example.org:9200", "SEARCH_TIMEOUT": "7"}
    )["default"]
    assert config["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert config["URLS"] == ["https://user:secret@search.example.org:9200"]
    assert config["TIMEOUT"] == 7
    assert config["INDEX_PREFIX"] == "portal_"
    analysis = config["INDEX_SETTINGS"]["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["tokenizer"] == "standard"
    assert default["filter"][:2] == ["italian_elision", "lowercase"]
    assert analysis["filter"]["italian_stemmer"] == {"type": "stemmer", "language": "light_italian"}
    assert analysis["filter"]["italian_stop"]["stopwords"] == "_italian_"
    assert "dell" in analysis["filter"]["italian_elision"]["articles"]
    assert not is_database_backend({"default": config})


def test_opensearch_and_index_prefix():
    config = search_backends(
        {
            "SEARCH_URL": "http://127.0.0.1:9200",
            "SEARCH_ENGINE": "OpenSearch",
            "SEARCH_INDEX_PREFIX": "cdcd_",
        }
    )["default"]
    assert config["BACKEND"] == "wagtail.search.backends.opensearch3"
    assert config["INDEX_PREFIX"] == "cdcd_"
    assert config["INDEX_SETTINGS"] is ITALIAN_INDEX_SETTINGS


@pytest.mark.parametrize(
    "environ",
    [
        {"SEARCH_URL": "search.example.org:9200"},
        {"SEARCH_URL": "http://127.0.0.1:9200", "SEARCH_ENGINE": "solr"},
        {"SEARCH_URL": "http://127.0.0.1:9200", "SEARCH_TIMEOUT": "soon"},
    ],
)
def test_bad_settings_are_refused_with_a_clear_error(environ):
    with pytest.raises(SearchSettingsError):
        search_backends(environ)


def test_the_elasticsearch_backend_module_accepts_the_configuration():
    """The backend class reads exactly the keys we give (URLS, INDEX_PREFIX, TIMEOUT,
    INDEX_SETTINGS); building it needs the elasticsearch client, so only its code is read."""
    import inspect

    from modelsearch.backends import elasticsearchbase

    source = inspect.getsource(elasticsearchbase.ElasticsearchBaseSearchBackend.__init__)
    for key in search_backends({"SEARCH_URL": "http://x:9200"})["default"]:
        if key != "BACKEND":
            assert f'"{key}"' in source, key
