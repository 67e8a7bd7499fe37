"""Replay protection lives in the database (UsedAssertion), not in a process or a session:
another server process, with its own SAML session, refuses an assertion already consumed, and
rows past their expiry are pruned."""

import datetime
import logging
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client

from membership.models import UsedAssertion
from membership.saml import conf as saml_conf
from membership.saml.views import RELAY_STATES_KEY, REQUESTS_KEY

from .test_saml_sp import (
    assert_refused,
    build_response,
    make_test_idp,
    post,
    relay_state_of,
    signed,
    start_login,
)


@pytest.fixture(name="idp")
def idp_fixture(tmp_path, settings):
    return make_test_idp(tmp_path, settings)


def saml_session(client):
    engine = import_module(django_settings.SESSION_ENGINE)
    return engine.SessionStore(client.cookies[django_settings.SAML_SESSION_COOKIE_NAME].value)


def fresh_process_with(pending: dict) -> Client:
    """A new browser on a new server process that (as if by a shared session) also waits for
    the same AuthnRequest: only the database is left to spot the replay."""
    saml_conf._cache.clear()  # nothing kept in this "process"
    engine = import_module(django_settings.SESSION_ENGINE)
    store = engine.SessionStore()
    store[REQUESTS_KEY] = pending[REQUESTS_KEY]
    store[RELAY_STATES_KEY] = pending[RELAY_STATES_KEY]
    store.save()
    other = Client()
    other.cookies[django_settings.SAML_SESSION_COOKIE_NAME] = store.session_key
    return other


@pytest.mark.django_db
def test_another_process_and_session_refuses_a_consumed_assertion(client, idp, caplog):
    request, html = start_login(client)
    relay = relay_state_of(html)
    pending = dict(saml_session(client))
    xml = signed(build_response(request.get("ID"), request.get("IssueInstant")), idp)

    assert post(client, xml, relay).status_code == 302
    assert UsedAssertion.objects.count() == 1
    get_user_model().objects.all().delete()

    other = fresh_process_with(pending)
    with caplog.at_level(logging.WARNING, logger="membership.saml"):
        assert_refused(other, post(other, xml, relay))
    assert "replayed assertion" in caplog.text

    # The database row is what refused it: without it the very same post is accepted.
    UsedAssertion.objects.all().delete()
    other = fresh_process_with(pending)
    assert post(other, xml, relay).status_code == 302
    assert "_auth_user_id" in other.session


@pytest.mark.django_db
def test_the_unique_assertion_id_is_enforced_by_the_database():
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    UsedAssertion.objects.create(assertion_id="_a", issuer="https://idp/", expires_at=expires)
    with pytest.raises(IntegrityError), transaction.atomic():
        UsedAssertion.objects.create(assertion_id="_a", issuer="https://idp/", expires_at=expires)


@pytest.mark.django_db
def test_expired_rows_are_pruned_and_the_new_one_kept_until_the_assertion_expires(client, idp):
    now = datetime.datetime.now(datetime.UTC)
    for index in range(3):
        UsedAssertion.objects.create(
            assertion_id=f"_old{index}",
            issuer="https://idp/",
            expires_at=now - datetime.timedelta(minutes=1 + index),
        )
    UsedAssertion.objects.create(
        assertion_id="_live", issuer="https://idp/", expires_at=now + datetime.timedelta(minutes=1)
    )
    request, html = start_login(client)
    not_on_or_after = (now + datetime.timedelta(minutes=4)).replace(microsecond=0)
    xml = build_response(
        request.get("ID"),
        request.get("IssueInstant"),
        not_on_or_after=not_on_or_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    assert post(client, signed(xml, idp), relay_state_of(html)).status_code == 302

    ids = set(UsedAssertion.objects.values_list("assertion_id", flat=True))
    assert "_live" in ids and not {"_old0", "_old1", "_old2"} & ids
    assert len(ids) == 2
    new = UsedAssertion.objects.exclude(assertion_id="_live").get()
    skew = datetime.timedelta(seconds=django_settings.SAML_CLOCK_SKEW)
    assert new.expires_at == not_on_or_after + skew
