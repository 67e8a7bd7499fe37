"""The support team's domain experts: members apply, the coordinator accepts or refuses, up to
``COMMUNITY_SUPPORT_EXPERTS_MAX`` experts; through the site and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from communities import services
from communities.models import Membership, SupportApplication

from .conftest import fresh, make_member

pytestmark = pytest.mark.django_db

Role = Membership.Role


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def applications_url(community):
    return reverse("community_api:support_applications", args=[community.pk])


def test_member_applies_on_the_site_and_the_coordinator_accepts(client, world):
    participant = world.users["participant"]
    client.force_login(participant)
    page = client.get(world.community.url).text
    apply_url = reverse("participation:apply_support", args=[world.community.pk])
    assert f'href="{apply_url}"' in page
    empty = client.post(apply_url, {"motivation": ""})
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.text
    assert client.post(apply_url, {"motivation": "Esperto di reti"}).status_code == 302
    again = client.post(apply_url, {"motivation": "Di nuovo"})
    assert again.status_code == 409
    application = SupportApplication.objects.get(user=participant)

    client.force_login(world.users["coordinator"])
    manage = reverse("communities:manage_support", args=[world.community.pk])
    assert "Esperto di reti" in client.get(manage).text
    decide = reverse("communities:manage_support_decide", args=[application.pk])
    assert client.post(decide, {"decision": "accept", "note": "Benvenuto"}).status_code == 302
    membership = Membership.objects.get(user=participant, left_at__isnull=True)
    assert (membership.role, membership.support_kind) == (Role.SUPPORT, "expert")
    assert client.post(decide, {"decision": "refuse"}).status_code == 409  # answered already


def test_only_the_coordinator_answers(client, world):
    application = services.apply_support(
        fresh(world.users["designated"]), world.community, "Giurista"
    )
    decide = reverse("communities:manage_support_decide", args=[application.pk])
    for column, status in (("support", 403), ("participant", 403), ("other_member", 404)):
        client.force_login(world.users[column])
        assert client.post(decide, {"decision": "accept"}).status_code == status, column
        response = api(world.users[column]).post(
            reverse("community_api:support_application_accept", args=[application.pk])
        )
        assert response.status_code in (403, 404), column
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.PENDING


def test_api_apply_refuse_and_limit(world, settings):
    settings.COMMUNITY_SUPPORT_EXPERTS_MAX = 1
    community = world.community
    first, second = world.users["participant"], world.users["designated"]
    response = api(first).post(applications_url(community), {"motivation": "Reti"}, format="json")
    assert response.status_code == 201, response.content
    assert api(first).post(applications_url(community), {"motivation": "x"}).status_code == 409
    assert api(second).post(applications_url(community), {"motivation": ""}).status_code == 400
    response = api(second).post(applications_url(community), {"motivation": "Dati"})
    assert response.status_code == 201
    coordinator = api(world.users["coordinator"])
    listed = coordinator.get(applications_url(community)).json()
    assert len(listed) == 2
    assert len(api(first).get(applications_url(community)).json()) == 1  # their own only
    ids = {row["motivation"]: row["id"] for row in listed}
    accept = coordinator.post(
        reverse("community_api:support_application_accept", args=[ids["Reti"]]), {}
    )
    assert accept.status_code == 200 and accept.json()["status"] == "accepted"
    full = coordinator.post(
        reverse("community_api:support_application_accept", args=[ids["Dati"]]), {}
    )
    assert full.status_code == 409 and full.json()["code"] == "support_team_full"
    refuse = coordinator.post(
        reverse("community_api:support_application_refuse", args=[ids["Dati"]]),
        {"note": "Il team è al completo"},
    )
    assert refuse.status_code == 200
    assert refuse.json()["decision_note"] == "Il team è al completo"
    assert Membership.objects.get(user=second, left_at__isnull=True).role == Role.DESIGNATED


def test_who_may_apply(world):
    for column in ("registered", "coordinator", "support", "other_member", "staff"):
        response = api(world.users[column]).post(
            applications_url(world.community), {"motivation": "x"}
        )
        assert response.status_code in (403, 404), column
    outsider = make_member(world.other)
    assert api(outsider).post(
        applications_url(world.community), {"motivation": "x"}
    ).status_code in (
        403,
        404,
    )
