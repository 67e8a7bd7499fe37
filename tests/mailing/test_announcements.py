"""Announcements: emailed once, on the first publication, to the right audience only, with the
mailing-list headers; failures retried; figures for the senders; refused to an empty audience;
the area's News and the private feed."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from mailing import services, tasks
from mailing.models import AnnouncementPage, Delivery
from tests.communities import factories

from .conftest import publish, set_frequency

pytestmark = pytest.mark.django_db


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def emails(world, *columns):
    return sorted(world.users[column].email for column in columns)


MEMBERS = ("participant", "designated", "wg_member", "wg_coordinator", "coordinator", "support")


def test_publish_emails_each_member_once_with_list_headers(
    world, django_capture_on_commit_callbacks
):
    set_frequency(world.users["participant"], world.community, "daily")
    set_frequency(world.users["designated"], world.community, "none")
    set_frequency(world.subject, world.community, "weekly")
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(world.area, world.users["coordinator"])
    assert recipients() == emails(world, "wg_member", "wg_coordinator", "coordinator", "support")
    message = mail.outbox[0]
    assert message.subject == "[Cybersicurezza] Riunione plenaria"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "cybersicurezza.comunita." in message.extra_headers["List-Id"]
    assert "Ci vediamo lunedì." in message.body
    assert Delivery.objects.filter(page=page, status="sent").count() == 4

    # Republishing an edited announcement sends nothing again.
    mail.outbox.clear()
    page.title = "Riunione plenaria (aggiornata)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=world.users["coordinator"]).publish(skip_permission_checks=True)
    assert mail.outbox == []
    # Running the delivery again records and sends nothing twice.
    tasks.deliver_announcement.call(page_id=page.pk)
    assert mail.outbox == [] and Delivery.objects.filter(page=page).count() == 4


def test_designated_only_and_working_group_audiences(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.area, audience="designated")
    assert recipients() == sorted(
        emails(world, "designated", "wg_member", "wg_coordinator", "coordinator", "support")
        + [world.subject.email]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.group, title="Incontro del gruppo")
    assert recipients() == emails(world, "wg_member", "wg_coordinator", "coordinator", "support")


def test_failure_then_retry(world, django_capture_on_commit_callbacks):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    target = world.users["support"].email

    def flaky(self, messages):
        if messages[0].to[0] == target:
            raise OSError("connection refused")
        return original(self, messages)

    with (
        mock.patch.object(EmailBackend, "send_messages", flaky),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = publish(world.group)
    failed = Delivery.objects.get(page=page, status="failed")
    assert failed.user == world.users["support"] and "connection refused" in failed.last_error
    assert target not in recipients()

    mail.outbox.clear()
    assert tasks.retry_failed_deliveries.call() == 1
    assert recipients() == [target]
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.attempts == 2
    assert tasks.retry_failed_deliveries.call() == 0


def test_delivery_figures_for_managers_only(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(world.group)
    url = reverse("mailing:deliveries", args=[page.pk])
    client.force_login(world.users["support"])
    response = client.get(url)
    assert response.status_code == 200
    assert "<caption>" in response.content.decode()
    assert response.context["figures"] == {"sent": 4, "pending": 0, "failed": 0, "total": 4}
    client.force_login(world.users["wg_member"])  # sees the page, may not announce
    assert client.get(url).status_code == 403
    client.force_login(world.users["participant"])  # does not see the group's space
    assert client.get(url).status_code == 404


def test_admin_refuses_to_publish_to_an_empty_audience(client, world, admin_user):
    client.force_login(admin_user)
    empty = factories.WorkingGroupPageFactory(parent=world.area, title="Gruppo vuoto")
    # No member in the group: but the community's managers are its audience too; remove them.
    from communities.models import Membership

    Membership.objects.filter(
        community=world.community, role__in=["coordinator", "support"]
    ).update(left_at="2020-01-01T00:00:00Z")
    url = reverse("wagtailadmin_pages:add", args=["mailing", "announcementpage", empty.pk])
    data = nested_form_data(
        {
            "title": "Nessuno lo leggerà",
            "slug": "nessuno",
            "audience": "all",
            "body": rich_text("<p>Testo</p>"),
            "summary": "",
            "action-publish": "action-publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the message
    assert "Nobody would receive" in response.content.decode() or "Nessuno riceverebbe" in (
        response.content.decode()
    )
    assert not AnnouncementPage.objects.filter(title="Nessuno lo leggerà").exists()
    # A draft may be saved.
    del data["action-publish"]
    client.post(url, data)
    assert AnnouncementPage.objects.get(title="Nessuno lo leggerà").live is False


def test_area_news_and_private_feed(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.area, title="Annuncio a tutti")
        publish(world.group, title="Annuncio al gruppo")
    participant = world.users["participant"]
    client.force_login(participant)
    html = client.get(world.area.url).content.decode()
    assert "Annuncio a tutti" in html and "Annuncio al gruppo" not in html
    client.force_login(world.users["wg_member"])
    html = client.get(world.area.url).content.decode()
    assert html.index("Annuncio al gruppo") < html.index("Annuncio a tutti")  # newest first

    token = services.feed_token(participant)
    client.logout()
    response = client.get(reverse("mailing:feed", args=[token.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    body = response.content.decode()
    assert "Annuncio a tutti" in body and "Annuncio al gruppo" not in body
    old = token.token
    client.force_login(participant)
    client.post(reverse("mailing:renew_feed"))
    client.logout()
    assert client.get(reverse("mailing:feed", args=[old])).status_code == 404


def test_admin_edit_page_links_to_the_deliveries(client, world, admin_user):
    page = publish(world.area)
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert reverse("mailing:deliveries", args=[page.pk]) in response.content.decode()


def test_coordinator_publishes_in_the_admin_and_members_receive_it(
    client, world, django_capture_on_commit_callbacks
):
    """The flow of the browser test: the community's coordinator (their per-community admin
    group) adds an announcement under the reserved area and publishes it."""
    client.force_login(world.users["coordinator"])
    url = reverse("wagtailadmin_pages:add", args=["mailing", "announcementpage", world.area.pk])
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Assemblea annuale",
            "slug": "assemblea-annuale",
            "audience": "all",
            "body": rich_text("<p>L'assemblea si terrà il 15 marzo.</p>"),
            "summary": "",
            "action-publish": "action-publish",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = AnnouncementPage.objects.get(title="Assemblea annuale")
    assert page.live
    assert world.users["participant"].email in recipients()
    assert world.users["other_member"].email not in recipients()
    # Another community's area is out of the coordinator's reach.
    other = reverse(
        "wagtailadmin_pages:add", args=["mailing", "announcementpage", world.other_area.pk]
    )
    assert client.get(other).status_code in (302, 403, 404)
