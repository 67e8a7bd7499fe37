"""The one audit trail (cms/audit.py) and the retention purges (cms/retention.py)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms import audit, retention
from tests import factories

pytestmark = pytest.mark.django_db


def test_record_writes_a_wagtail_log_entry():
    member = factories.UserFactory()
    entry = audit.record("wagtail.edit", member, actor=member, data={"field": "office"})
    stored = ModelLogEntry.objects.get(pk=entry.pk)
    assert stored.action == "wagtail.edit"
    assert stored.user_id == member.pk
    assert stored.object_id == str(member.pk)
    assert stored.data == {"field": "office"}


def test_anonymous_actor_is_the_system():
    member = factories.UserFactory()
    from django.contrib.auth.models import AnonymousUser

    entry = audit.record("wagtail.edit", member, actor=AnonymousUser())
    assert entry.user_id is None


def test_entries_about_a_member():
    member, other = factories.UserFactory(), factories.UserFactory()
    audit.record("wagtail.edit", member, actor=member)
    audit.record("wagtail.edit", member, actor=other)  # about the member, by someone else
    audit.record("wagtail.edit", other, actor=other)  # neither by nor about the member
    by_model, by_page = audit.entries_about(member)
    assert by_model.filter(action="wagtail.edit").count() == 2
    assert not by_page.exists()


def test_purge_keeps_the_retention_period(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    member = factories.UserFactory()
    ModelLogEntry.objects.all().delete()  # the factory's consents are logged too
    old = audit.record("wagtail.edit", member, actor=member)
    recent = audit.record("wagtail.edit", member, actor=member)
    ModelLogEntry.objects.filter(pk=old.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=31)
    )
    ModelLogEntry.objects.filter(pk=recent.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=29)
    )
    assert retention.run_all()["audit_trail"] == 1
    assert list(ModelLogEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_purge_command_reports_each_purge(capsys):
    call_command("purge_expired")
    assert "audit_trail: 0" in capsys.readouterr().out


def test_site_history_lists_and_exports_the_trail(client):
    member = factories.UserFactory(first_name="Anna", last_name="Verdi")
    audit.record("wagtail.edit", member, actor=member)
    admin = factories.StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/", {"action": "wagtail.edit"})
    assert response.status_code == 200
    assert "Anna Verdi" in response.text
    export = client.get("/admin/reports/site-history/", {"action": "wagtail.edit", "export": "csv"})
    assert export.status_code == 200
    assert "Anna Verdi" in b"".join(export.streaming_content).decode()


def test_every_retention_purge_is_registered():
    assert {"audit_trail", "reply_ip_addresses", "sign_in_failures"} <= set(retention.registered())


def test_sign_in_failures_are_purged(settings):
    from axes.models import AccessAttempt, AccessFailureLog

    settings.SIGN_IN_FAILURE_RETENTION_DAYS = 90
    now = timezone.now()
    for days in (91, 89):
        when = now - datetime.timedelta(days=days)
        attempt = AccessAttempt.objects.create(
            username=f"editor{days}", ip_address="192.0.2.1", failures_since_start=1
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
        log = AccessFailureLog.objects.create(username=f"editor{days}", ip_address="192.0.2.1")
        AccessFailureLog.objects.filter(pk=log.pk).update(attempt_time=when)
    assert retention.run_all()["sign_in_failures"] == 2
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["editor89"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["editor89"]
