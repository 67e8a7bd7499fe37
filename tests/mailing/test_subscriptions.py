"""Joining subscribes, leaving unsubscribes; the preferences page; one-click unsubscribe."""

import pytest
from django.test import Client
from django.urls import reverse

from communities import services as community_services
from communities.models import Membership
from mailing import services
from mailing.models import Subscription
from tests.communities import factories

from .conftest import subscription

pytestmark = pytest.mark.django_db
Frequency = Subscription.Frequency


def test_join_subscribes_leave_ends_rejoin_restores_the_choice(
    world, django_capture_on_commit_callbacks
):
    user = factories.RegisteredUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        community_services.join(user, world.community)
    sub = subscription(user, world.community)
    assert sub.frequency == Frequency.EACH and sub.ended_at is None
    services.set_frequency(sub, Frequency.WEEKLY)
    old_token = services.unsubscribe_token(sub)

    with django_capture_on_commit_callbacks(execute=True):
        community_services.leave(user, world.community)
    sub.refresh_from_db()
    assert sub.ended_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        community_services.join(user, world.community)
    sub.refresh_from_db()
    assert sub.ended_at is None and sub.frequency == Frequency.WEEKLY
    assert Subscription.objects.filter(user=user).count() == 1
    # A link from before leaving does not unsubscribe the new subscription.
    client_response = Client().post(reverse("mailing:unsubscribe", args=[old_token]))
    assert client_response.status_code == 410
    sub.refresh_from_db()
    assert sub.frequency == Frequency.WEEKLY


def test_ending_keeps_the_subscription_of_a_current_member(world):
    user = world.users["participant"]
    membership = Membership.objects.get(user=user, community=world.community)
    assert services.end_subscription(user, membership.community) is False
    assert subscription(user, world.community).ended_at is None


def test_preferences_page_lists_and_saves(client, world):
    user = world.users["designated"]
    client.force_login(user)
    url = reverse("mailing:preferences")
    response = client.get(url)
    assert response.status_code == 200
    sub = subscription(user, world.community)
    field = f"community_{sub.pk}"
    html = response.content.decode()
    assert "<fieldset" in html and f'name="{field}"' in html and "Cybersicurezza" in html

    response = client.post(url, {field: "daily"}, follow=True)
    assert response.status_code == 200
    assert "salvate" in response.content.decode() or "saved" in response.content.decode()
    assert subscription(user, world.community).frequency == Frequency.DAILY

    response = client.post(url, {field: "hourly"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert subscription(user, world.community).frequency == Frequency.DAILY


def test_one_click_unsubscribe(client, world):
    user = world.users["participant"]
    sub = subscription(user, world.community)
    url = reverse("mailing:unsubscribe", args=[services.unsubscribe_token(sub)])

    response = client.get(url)  # a confirmation page: nothing changes on GET
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert subscription(user, world.community).frequency == Frequency.EACH

    response = client.post(url)  # no sign-in, no CSRF token (RFC 8058)
    assert response.status_code == 200
    assert subscription(user, world.community).frequency == Frequency.NONE

    response = client.post(url)  # reused: idempotent
    assert response.status_code == 200
    assert "già" in response.content.decode() or "already" in response.content.decode()

    forged = url.replace("disiscrizione/", "disiscrizione/x")
    response = client.get(forged)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
