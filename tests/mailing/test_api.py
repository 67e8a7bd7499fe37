"""The mailing list in the community API: announcements (list, detail, publish, figures),
subscriptions and notices; the same policy as the site."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from mailing.models import AnnouncementPage, Notice, Subscription

from .conftest import publish

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_announce_list_detail_and_figures(world, django_capture_on_commit_callbacks):
    coordinator = client_for(world.users["coordinator"])
    data = {"community": world.community.pk, "title": "Plenaria", "body": "Lunedì alle 10."}
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(url("announcement_list"), data, format="json")
    assert response.status_code == 201, response.content
    page_id = response.json()["id"]
    assert response.json()["community_id"] == world.community.pk
    assert len(mail.outbox) == 7  # every member of the community, each message
    assert AnnouncementPage.objects.get(pk=page_id).live

    participant = client_for(world.users["participant"])
    listed = participant.get(url("announcement_list"), {"community": world.community.pk})
    assert [row["id"] for row in listed.json()] == [page_id]
    assert participant.get(url("announcement_detail", page_id)).status_code == 200
    assert participant.get(url("announcement_deliveries", page_id)).status_code == 403
    outsider = client_for(world.users["other_member"])
    assert outsider.get(url("announcement_detail", page_id)).status_code == 404
    assert outsider.get(url("announcement_list")).json() == []

    figures = coordinator.get(url("announcement_deliveries", page_id)).json()
    assert figures["sent"] == 7 and figures["failed"] == 0 and figures["errors"] == []


def test_announce_refusals(world):
    data = {"community": world.community.pk, "title": "Prova", "body": "Testo"}
    participant = client_for(world.users["participant"])
    response = participant.post(url("announcement_list"), data, format="json")
    assert response.status_code == 403
    wg_data = {**data, "working_group": world.group.pk}
    assert participant.post(url("announcement_list"), wg_data, format="json").status_code == 404
    coordinator = client_for(world.users["coordinator"])
    response = coordinator.post(url("announcement_list"), {"title": ""}, format="json")
    assert response.status_code == 400 and "community" in response.json()

    # A working group with nobody but the managers: after they leave, nobody would receive it.
    from communities.models import Membership
    from tests.communities import factories

    empty = factories.WorkingGroupPageFactory(parent=world.area, title="Vuoto")
    response = coordinator.post(
        url("announcement_list"),
        {**data, "working_group": empty.pk, "audience": "designated"},
        format="json",
    )
    assert response.status_code == 201  # the managers are the group's audience too
    Membership.objects.filter(role="support").update(left_at="2020-01-01T00:00:00Z")
    Membership.objects.filter(role="coordinator").exclude(user=world.users["coordinator"]).update(
        left_at="2020-01-01T00:00:00Z"
    )
    staff = client_for(world.users["staff"])
    Membership.objects.filter(user=world.users["coordinator"]).update(
        left_at="2020-01-01T00:00:00Z"
    )
    count = AnnouncementPage.objects.count()
    response = staff.post(
        url("announcement_list"), {**data, "working_group": empty.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "empty_audience"
    assert AnnouncementPage.objects.count() == count


def test_my_subscriptions_and_notices(world):
    user = world.users["designated"]
    client = client_for(user)
    rows = client.get(url("subscription_list")).json()
    assert [row["community"] for row in rows] == ["Cybersicurezza"]
    pk = rows[0]["id"]
    response = client.patch(url("subscription_detail", pk), {"frequency": "weekly"}, format="json")
    assert response.status_code == 200 and response.json()["frequency"] == "weekly"
    assert Subscription.objects.get(pk=pk).frequency == "weekly"
    bad = client.patch(url("subscription_detail", pk), {"frequency": "hourly"}, format="json")
    assert bad.status_code == 400
    other = client_for(world.users["participant"])
    assert other.patch(url("subscription_detail", pk), {"frequency": "none"}).status_code == 404

    notice = Notice.objects.create(user=user, kind="role_change", subject="Nuovo ruolo")
    assert [row["subject"] for row in client.get(url("notice_list")).json()] == ["Nuovo ruolo"]
    assert other.post(url("notice_read", notice.pk)).status_code == 404
    response = client.post(url("notice_read", notice.pk))
    assert response.status_code == 200 and response.json()["read_at"] is not None


def test_site_and_api_agree_on_what_a_member_sees(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.group, title="Del gruppo")
        publish(world.area, title="Per i designati", audience="designated")
    participant = client_for(world.users["participant"])
    assert participant.get(url("announcement_list")).json() == []
    member = client_for(world.users["wg_member"])
    titles = {row["title"] for row in member.get(url("announcement_list")).json()}
    assert titles == {"Del gruppo", "Per i designati"}
