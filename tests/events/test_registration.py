"""Registering through the site: capacity, waiting list and its promotion, twice, closed,
invisible events, the emails and their .ics, the reminders, attendance (checklist, CSV)."""

import datetime
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.tasks import send_due_reminders
from tests.communities.factories import RegisteredUserFactory, StaffUserFactory

from .factories import EventPageFactory, grant_edit

pytestmark = pytest.mark.django_db

Status = Registration.Status


def _post(client, user, name, page, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse(f"events:{name}", args=[page.pk]))


def test_capacity_waiting_list_promotion_and_emails(
    client, world, django_capture_on_commit_callbacks
):
    event = world.public_event  # one place, waiting list on
    first, second = world.users["registered"], world.users["participant"]
    capture = django_capture_on_commit_callbacks

    response = _post(client, first, "register", event, capture)
    assert response.status_code == 302 and response["Location"] == event.url
    assert Registration.objects.get(user=first).status == Status.REGISTERED
    confirmation = mail.outbox[-1]
    assert confirmation.to == [first.contact_email or first.email]
    assert "Apertura annuale" in confirmation.subject
    name, content, mimetype = confirmation.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    ics = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Apertura annuale" in ics
    assert f"event-{event.translation_key}@comunidigitali" in ics.replace("\r\n ", "")

    page = client.get(event.url).content.decode()
    assert "Annulla la mia iscrizione" in page or "Cancel my registration" in page

    # Twice: 409 with a clear message, nothing created, nothing sent.
    sent = len(mail.outbox)
    response = _post(client, first, "register", event, capture)
    assert response.status_code == 409
    assert Registration.objects.filter(user=first).count() == 1 and len(mail.outbox) == sent

    # Full: the second member goes on the waiting list (and is told so).
    response = _post(client, second, "register", event, capture)
    assert response.status_code == 302
    assert Registration.objects.get(user=second).status == Status.WAITING
    assert not mail.outbox[-1].attachments
    page = client.get(event.url).content.decode()
    assert "posizione 1" in page or "position 1" in page

    # The first cancels: the second is promoted and emailed with the .ics.
    response = _post(client, first, "cancel", event, capture)
    assert response.status_code == 302
    assert Registration.objects.get(user=first).status == Status.CANCELLED
    promoted = Registration.objects.get(user=second)
    assert promoted.status == Status.REGISTERED and promoted.promoted_at is not None
    recipients = [message.to[0] for message in mail.outbox[-2:]]
    assert recipients == [first.contact_email or first.email, second.contact_email or second.email]
    assert mail.outbox[-1].attachments

    # Cancelling again: nothing to cancel (409).
    assert _post(client, first, "cancel", event, capture).status_code == 409

    # More places published in the admin: the members waiting are promoted.
    third = world.users["designated"]
    _post(client, third, "register", event, capture)
    assert Registration.objects.get(user=third).status == Status.WAITING
    event.refresh_from_db()
    event.capacity = 2
    with capture(execute=True):
        event.save_revision().publish()
    assert Registration.objects.get(user=third).status == Status.REGISTERED
    assert mail.outbox[-1].to == [third.contact_email or third.email]


def test_full_without_waiting_list_closed_and_invisible(
    client, world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    event = EventPageFactory(parent=world.community, capacity=1, waiting_list=False)
    _post(client, world.users["designated"], "register", event, capture)
    response = _post(client, world.users["registered"], "register", event, capture)
    assert response.status_code == 409
    assert "lista d'attesa" in html.unescape(response.content.decode())

    closed = EventPageFactory(
        parent=world.community, registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = _post(client, world.users["registered"], "register", closed, capture)
    assert response.status_code == 409
    assert not Registration.objects.filter(page=closed).exists()

    # A members-only event: a non-member gets 404 (page, registration, .ics); a member may.
    hidden = world.members_event
    outsider = world.users["registered"]
    assert _post(client, outsider, "register", hidden, capture).status_code == 404
    assert client.get(reverse("events:ics", args=[hidden.pk])).status_code == 404
    assert _post(client, world.users["participant"], "register", hidden, capture).status_code == 302

    # Signed out: sent to sign in; a staff account without SPID identity is refused (403).
    client.logout()
    response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302 and "accedi" in response["Location"]
    assert _post(client, StaffUserFactory(), "register", event, capture).status_code == 403


def test_reminders_are_sent_once(world, django_capture_on_commit_callbacks):
    soon = EventPageFactory(
        parent=world.community, start=timezone.now() + datetime.timedelta(hours=20)
    )
    later = EventPageFactory(parent=world.community)  # in ten days
    for page in (soon, later):
        for column in ("participant", "registered"):
            Registration.objects.create(
                page=page, user=world.users[column], status=Status.REGISTERED
            )
    Registration.objects.create(page=soon, user=world.users["designated"], status=Status.CANCELLED)
    mail.outbox.clear()
    assert send_due_reminders() == 2
    assert {message.to[0] for message in mail.outbox} == {
        world.users[c].contact_email or world.users[c].email for c in ("participant", "registered")
    }
    assert all(message.attachments for message in mail.outbox)
    assert send_due_reminders() == 0  # idempotent
    assert len(mail.outbox) == 2


def test_attendance_checklist_and_csv_import(client, world):
    event = EventPageFactory(
        parent=world.community, start=timezone.now() - datetime.timedelta(hours=3)
    )
    Registration.objects.filter(page=event).delete()
    users = [RegisteredUserFactory() for _i in range(3)]
    registrations = [
        Registration.objects.create(page=event, user=user, status=Status.REGISTERED)
        for user in users
    ]
    url = reverse("events:manage", args=[event.pk])

    # Not an organiser: refused.
    client.force_login(world.users["participant"])
    assert client.get(url).status_code == 403

    organiser = world.users["coordinator"]
    grant_edit([organiser], world.community)
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert users[0].last_name in page

    response = client.post(url, {"attended": [registrations[0].pk]})
    assert response.status_code == 302
    attended = dict(Registration.objects.filter(page=event).values_list("pk", "attended"))
    assert attended == {
        registrations[0].pk: True,
        registrations[1].pk: False,
        registrations[2].pk: False,
    }
    assert Registration.objects.get(pk=registrations[0].pk).attended_recorded_by == organiser

    # Bad CSV: 400 with a message, nothing changed.
    import_url = reverse("events:import_attendance", args=[event.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("presenze.csv", b"\xff\xfe\x00\x00garbage", content_type="text/csv")
    response = client.post(import_url, {"file": bad})
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert dict(Registration.objects.filter(page=event).values_list("pk", "attended")) == attended

    # A good one: matched by fiscal code or email, the rest reported with its line.
    data = (
        f"codice_fiscale\n{users[1].fiscal_number.lower()}\n{users[2].email}\nSCONOSCIUTO\n"
    ).encode()
    response = client.post(
        import_url, {"file": SimpleUploadedFile("p.csv", data, content_type="text/csv")}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "SCONOSCIUTO" in text and "codice_fiscale" in text
    assert set(
        Registration.objects.filter(page=event, attended=True).values_list("pk", flat=True)
    ) == {r.pk for r in registrations}

    # Export of the registrants, formula-safe.
    response = client.get(reverse("events:export", args=[event.pk]))
    assert response.status_code == 200 and users[0].last_name in response.content.decode()


def test_event_page_and_calendar_query_budgets(client, world, django_assert_max_num_queries):
    member = world.users["participant"]
    for i in range(8):
        event = EventPageFactory(parent=world.community if i % 2 else world.area, title=f"E{i}")
        Registration.objects.create(page=event, user=member, status=Status.REGISTERED)
    client.force_login(member)
    client.get(world.public_event.url)  # warm the caches
    with django_assert_max_num_queries(18):  # measured 17, flat from 2 to 12 events
        assert client.get(world.public_event.url).status_code == 200
    url = reverse("events:portal")
    client.get(url)
    with django_assert_max_num_queries(7):  # measured 5
        response = client.get(url)
    assert "E0" in response.content.decode()  # members-only, visible to the member
    with django_assert_max_num_queries(8):  # measured 7
        assert client.get(reverse("events_member:my_events")).status_code == 200
