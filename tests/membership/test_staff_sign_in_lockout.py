"""Staff sign-in throttle (issue 12): django-axes locks a username + client address pair out after
AXES_FAILURE_LIMIT failed passwords, on the editors' form (/accedi/) and on Wagtail's
/admin/login/, with an Italian 429 page; the correct password is refused while the lockout lasts
and works again after the cool-off; every failure is stored and logged. SPID/CIE sign-in never
goes through axes."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings

from .test_saml_sp import login_and_respond, make_test_idp

pytestmark = pytest.mark.django_db

PASSWORD = "s3gret0-Lungo!"  # noqa: S105
LOCKED = "Troppi tentativi di accesso non riusciti"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="redazione", password=PASSWORD, is_staff=True
    )


def sign_in(client, url, password, username="redazione", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def fail_until_locked(client, url, **extra):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = sign_in(client, url, f"wrong-{attempt}", **extra)
        assert response.status_code == 200, attempt  # the form again, with its error
        assert LOCKED not in response.content.decode()
    response = sign_in(client, url, "wrong-last", **extra)
    assert response.status_code == 429
    return response


def assert_locked_page(response):
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body
    assert "bloccato per 15 minuti" in body
    assert response["Retry-After"] == str(15 * 60)
    assert "no-store" in response["Cache-Control"]


def end_cool_off():
    """The cool-off is over: the attempts are older than AXES_COOLOFF_TIME (no sleeping)."""
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )


@pytest.mark.parametrize("url", ["/accedi/", "/admin/login/"])
def test_wrong_passwords_lock_the_pair_out_until_the_cool_off(
    client, site_tree, editor, url, caplog
):
    caplog.set_level(logging.WARNING, logger="membership.security")
    assert_locked_page(fail_until_locked(client, url))

    # While locked, the right password is refused as well.
    assert_locked_page(sign_in(client, url, PASSWORD))
    assert not signed_in(client)

    # Every failure is stored (counter and log) and logged.
    limit = settings.AXES_FAILURE_LIMIT
    assert AccessFailureLog.objects.filter(username="redazione").count() == limit + 1
    attempt = AccessAttempt.objects.get(username="redazione", ip_address="127.0.0.1")
    assert attempt.failures_since_start == limit + 1
    assert PASSWORD not in attempt.post_data
    failures = [r for r in caplog.records if "Staff sign-in failed" in r.getMessage()]
    assert len(failures) == limit + 1
    assert "username='redazione'" in failures[0].getMessage()
    assert "address=127.0.0.1" in failures[0].getMessage()
    assert any("locked out" in r.getMessage() for r in caplog.records)

    end_cool_off()
    response = sign_in(client, url, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    # A success clears the pair's counter.
    assert not AccessAttempt.objects.filter(username="redazione").exists()


def test_reset_by_staff_unlocks_at_once(client, site_tree, editor):
    fail_until_locked(client, "/accedi/")
    reset(username="redazione")  # what `manage.py axes_reset_username redazione` does
    response = sign_in(client, "/admin/login/", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_lockout_is_per_username_and_address(client, site_tree, editor, django_user_model):
    django_user_model.objects.create_user(username="altro", password=PASSWORD, is_staff=True)
    fail_until_locked(client, "/accedi/")
    # The same username from another address: not locked (nobody can lock an editor out from
    # elsewhere) ...
    other = client.__class__()
    response = sign_in(other, "/accedi/", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    # ... nor another username from the same address.
    response = sign_in(client.__class__(), "/accedi/", PASSWORD, username="altro")
    assert response.status_code == 302


def test_forwarded_for_counts_only_behind_trusted_proxies(client, site_tree, editor, settings):
    # No proxy configured: X-Forwarded-For is the client's own word, and changes nothing.
    fail_until_locked(client, "/accedi/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    spoofed = sign_in(client, "/accedi/", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert spoofed.status_code == 429
    reset()

    # One proxy in front (nginx appends the address it saw): that entry is the client.
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
    fail_until_locked(client, "/accedi/", **behind_proxy)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    # What the client writes to the left of the proxy's entry does not move it.
    again = {**behind_proxy, "HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.9"}
    assert sign_in(client, "/accedi/", PASSWORD, **again).status_code == 429
    # Another client behind the same proxy is not locked out.
    other = {**behind_proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert sign_in(client.__class__(), "/accedi/", PASSWORD, **other).status_code == 302


def test_lockout_answers_api_clients_in_json(client, site_tree, editor):
    fail_until_locked(client, "/accedi/")
    response = client.post(
        "/accedi/",
        {"username": "redazione", "password": PASSWORD},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "sign_in_locked"
    assert LOCKED in response.json()["detail"]
    assert response.json()["retry_after"] == 15 * 60


def test_spid_sign_in_is_not_affected_by_axes(client, site_tree, editor, tmp_path, settings):
    """The axes backend comes first, as axes requires; SPID/CIE members are signed in with the
    SAML backend directly and sign in even from an address with a locked-out staff username."""
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "djangosaml2.backends.Saml2Backend" in settings.AUTHENTICATION_BACKENDS
    fail_until_locked(client, "/accedi/")
    idp = make_test_idp(tmp_path, settings)
    response = login_and_respond(client, idp)
    assert response.status_code == 302
    assert signed_in(client)
    assert client.session["_auth_user_backend"] == "djangosaml2.backends.Saml2Backend"
    assert AccessFailureLog.objects.count() == settings.AXES_FAILURE_LIMIT
