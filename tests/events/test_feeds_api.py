"""Calendars and ICS feeds, the API (same policy as the site), webinars, the digest section and
the personal data of registrations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events.digest import upcoming_events
from events.gdpr import erase_registrations, export_registrations
from events.models import CalendarFeedToken, Registration
from tests import factories as base
from tests.communities.factories import RegisteredUserFactory

from .factories import EventPageFactory, grant_edit

pytestmark = pytest.mark.django_db

API = "/api/community/v1/"


def test_feeds_public_community_and_private(client, world):
    public = client.get(reverse("events:portal_feed"))
    assert public.status_code == 200 and public["Content-Type"].startswith("text/calendar")
    body = public.content.decode()
    assert "Apertura annuale" in body and "Riunione riservata" not in body

    community = client.get(reverse("events:community_feed", args=[world.community.pk]))
    assert "Apertura annuale" in community.content.decode()
    assert "Riunione riservata" not in community.content.decode()
    # Not a community page: 404.
    assert client.get(reverse("events:community_feed", args=[world.area.pk])).status_code == 404

    member = world.users["participant"]
    client.force_login(member)
    response = client.post(reverse("events_member:feed_token"), {"action": "create"})
    assert response.status_code == 302
    key = CalendarFeedToken.objects.get(user=member).key
    page = client.get(reverse("events_member:my_events")).content.decode()
    assert key in page
    client.logout()
    private_url = reverse("events:private_feed", args=[key])
    body = client.get(private_url).content.decode()
    assert "Riunione riservata" in body and "Apertura annuale" in body

    # Regenerated: the old URL is gone; revoked: the new one too.
    client.force_login(member)
    client.post(reverse("events_member:feed_token"), {"action": "regenerate"})
    new_key = CalendarFeedToken.objects.get(user=member).key
    assert client.get(private_url).status_code == 404
    client.post(reverse("events_member:feed_token"), {"action": "revoke"})
    assert client.get(reverse("events:private_feed", args=[new_key])).status_code == 404

    # The HTML calendar of the community shows the members-only event to a member only.
    url = reverse("events:community", args=[world.community.pk])
    assert "Riunione riservata" in client.get(url).content.decode()
    client.force_login(world.users["registered"])
    assert "Riunione riservata" not in client.get(url).content.decode()


def test_api_policy_matches_the_site(world):
    api = APIClient()
    outsider, member = world.users["registered"], world.users["participant"]
    api.force_authenticate(outsider)
    listed = {item["id"] for item in api.get(API + "events/").json()}
    assert world.public_event.pk in listed and world.members_event.pk not in listed
    assert api.get(f"{API}events/{world.members_event.pk}/").status_code == 404
    assert api.post(f"{API}events/{world.members_event.pk}/registration/").status_code == 404

    response = api.post(f"{API}events/{world.public_event.pk}/registration/")
    assert response.status_code == 201 and response.json()["status"] == "registered"
    again = api.post(f"{API}events/{world.public_event.pk}/registration/")
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    detail = api.get(f"{API}events/{world.public_event.pk}/").json()
    assert detail["places_left"] == 0 and detail["my_status"] == "registered"

    api.force_authenticate(member)
    waiting = api.post(f"{API}events/{world.public_event.pk}/registration/").json()
    assert waiting["status"] == "waiting"
    assert api.get(f"{API}events/{world.public_event.pk}/").json()["my_waiting_position"] == 1
    listed = {item["id"] for item in api.get(API + "events/?upcoming=true").json()}
    assert world.members_event.pk in listed
    assert api.get(API + "events/?community=abc").status_code == 400

    api.force_authenticate(outsider)
    assert api.delete(f"{API}events/{world.public_event.pk}/registration/").status_code == 200
    api.force_authenticate(member)
    mine = api.get(API + "me/event-registrations/").json()
    assert [(r["event"], r["status"]) for r in mine] == [(world.public_event.pk, "registered")]

    closed = EventPageFactory(
        parent=world.community, registration_closes_at=timezone.now() - datetime.timedelta(1)
    )
    response = api.post(f"{API}events/{closed.pk}/registration/")
    assert response.status_code == 409 and response.json()["code"] == "registration_closed"

    # Attendance: organisers only.
    attendance = f"{API}events/{world.public_event.pk}/attendance/"
    assert api.get(attendance).status_code == 403
    coordinator = world.users["coordinator"]
    grant_edit([coordinator], world.community)
    api.force_authenticate(coordinator)
    rows = api.get(attendance).json()
    registration_id = next(row["id"] for row in rows if row["status"] == "registered")
    assert api.post(attendance, {"attended": [registration_id]}, format="json").json() == {
        "changed": 1
    }
    assert api.post(attendance, {"attended": ["x"]}, format="json").status_code == 400
    assert Registration.objects.get(pk=registration_id).attended is True

    # Anonymous: 401/403.
    assert APIClient().get(API + "events/").status_code in (401, 403)


def test_webinar_registration_and_shared_ics(client, site_tree, django_capture_on_commit_callbacks):
    from django.core import mail

    webinar = base.WebinarPageFactory(parent=site_tree.webinar_index, title="Cloud e PA")
    member = base.UserFactory()
    client.force_login(member)
    assert "Register for the event" in client.get(webinar.url).content.decode() or (
        "Iscriviti all'evento" in client.get(webinar.url).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[webinar.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(page=webinar).status == "registered"
    _name, content, _type = mail.outbox[-1].attachments[0]
    text = content.decode() if isinstance(content, bytes) else content
    assert f"webinar-{webinar.translation_key}@comunidigitali" in text.replace("\r\n ", "")
    # The webinar's own .ics and the event download are the same builder.
    assert "BEGIN:VEVENT" in client.get(webinar.url + "ics/").content.decode()
    calendar = client.get(reverse("events:portal")).content.decode()
    assert "Cloud e PA" in calendar


def test_digest_section_in_fixed_queries(world, django_assert_num_queries):
    until = timezone.now()
    EventPageFactory(
        parent=world.area, title="Riservato presto", start=until + datetime.timedelta(days=2)
    )
    EventPageFactory(
        parent=world.community, title="Pubblico presto", start=until + datetime.timedelta(days=3)
    )
    EventPageFactory(
        parent=world.community, title="Troppo tardi", start=until + datetime.timedelta(days=9)
    )
    # A suspended member keeps the community's groups, which count for nothing meanwhile.
    from communities import services as community_services
    from communities.models import Membership

    suspended = world.users["designated"]
    community_services.suspend_member(
        world.users["coordinator"],
        Membership.objects.get(user=suspended, left_at__isnull=True),
        until + datetime.timedelta(days=30),
        "Messaggi offensivi",
    )
    columns = ("registered", "participant", "other_member", "coordinator", "designated")
    users = [world.users[c] for c in columns]
    upcoming_events(users[:1], until - datetime.timedelta(days=1), until)  # warm caches
    # Events (2 models), restrictions and their groups (2), groups (1), withheld groups (3).
    with django_assert_num_queries(8):
        result = upcoming_events(users, until - datetime.timedelta(days=1), until)
    titles = {pk: [item["title"] for item in items] for pk, items in result.items()}
    assert titles[world.users["registered"].pk] == ["Pubblico presto"]
    assert titles[world.users["participant"].pk] == ["Riservato presto", "Pubblico presto"]
    assert titles[suspended.pk] == ["Pubblico presto"]
    more = users + [RegisteredUserFactory() for _i in range(5)]
    with django_assert_num_queries(8):
        upcoming_events(more, until - datetime.timedelta(days=1), until)
    item = result[world.users["participant"].pk][0]
    assert item["section"] == "events" and item["url"].endswith("/") and item["when"]


def test_personal_data_export_and_erasure(world):
    event = world.public_event  # one place
    holder, waiting = world.users["registered"], world.users["participant"]
    Registration.objects.create(page=event, user=holder, status="registered")
    Registration.objects.create(page=event, user=waiting, status="waiting")
    CalendarFeedToken.objects.create(user=holder)
    assert export_registrations(holder)[0]["event"]["title"] == "Apertura annuale"
    erase_registrations(holder)
    assert not Registration.objects.filter(user=holder).exists()
    assert not CalendarFeedToken.objects.filter(user=holder).exists()
    assert Registration.objects.get(user=waiting).status == "registered"


def test_a_translated_webinar_is_one_entry_of_the_portal_calendar(client, site_tree):
    """The English page of a webinar shares its UID: the feed and the calendar list the event
    once, in the visitor's language."""
    from wagtail.models import Locale

    webinar = base.WebinarPageFactory(parent=site_tree.webinar_index, title="Cloud e PA")
    english = Locale.objects.create(language_code="en")
    site_tree.home.copy_for_translation(english).save_revision().publish()
    site_tree.webinar_index.copy_for_translation(english).save_revision().publish()
    translated = webinar.copy_for_translation(english)
    translated.title = "Cloud and the public sector"
    translated.save_revision().publish()
    feed = client.get(reverse("events:portal_feed")).content.decode()
    assert feed.count("BEGIN:VEVENT") == 1
    assert feed.count(f"webinar-{webinar.translation_key}@") == 1
    italian = client.get(reverse("events:portal")).content.decode()
    assert "Cloud e PA" in italian and "Cloud and the public sector" not in italian
