"""/healthz: the database and the cache, for load balancers; JSON logs."""

import json
import logging

import pytest
from django.test import override_settings

from cms.log import JSONFormatter


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    # No session, no language negotiation.
    assert "Set-Cookie" not in response
    assert "accept-language" not in response.get("Vary", "").lower()


@pytest.mark.django_db
def test_healthz_answers_a_member_who_has_not_completed_registration(client):
    from tests import factories

    newcomer = factories.UserFactory(onboarded=False)
    client.force_login(newcomer)
    assert client.get("/").status_code == 302  # the registration gate...
    response = client.get("/healthz")
    assert response.status_code == 200  # ...is not in the probe's way
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@override_settings(
    CACHES={
        "default": {
            # Nothing listens on port 1: a real connection failure.
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
)
def test_healthz_names_a_failing_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}


def test_healthz_names_a_failing_database(client):
    # No django_db mark: pytest-django refuses the connection, as a database that is down.
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error"
    assert body["status"] == "error"


def test_json_formatter_writes_one_object_per_line():
    record = logging.makeLogRecord(
        {
            "name": "cms.test",
            "levelname": "WARNING",
            "levelno": logging.WARNING,
            "msg": 'publish "%s" failed',
            "args": ("Notizie",),
            "status_code": 503,
        }
    )
    line = JSONFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "cms.test"
    assert entry["message"] == 'publish "Notizie" failed'
    assert entry["status_code"] == 503
    assert entry["time"].endswith("+00:00")


def test_json_formatter_keeps_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.makeLogRecord(
            {"name": "x", "levelname": "ERROR", "msg": "failed", "exc_info": sys.exc_info()}
        )
    entry = json.loads(JSONFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]
