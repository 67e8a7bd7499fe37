"""The community's plan: today's timeline on the page, the managers' quick actions, the API
(tag ``plan``) and the coordinator editing it in the admin (scoped to their community)."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import PageLogEntry

from communities.models import CommunityPage

from .conftest import fresh

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _milestone(title, days, status="planned", description=""):
    return (
        "milestone",
        {"title": title, "date": _days(days), "status": status, "description": description},
    )


@pytest.fixture
def planned(world):
    community = world.community
    community.objectives = "<p>Ridurre gli incidenti</p>"
    community.timeline = [
        _milestone("Chiusura", 60),
        _milestone("Avvio", -30, "done"),
        _milestone("Linee guida", 10, "ongoing"),
    ]
    community.save_revision().publish()
    return CommunityPage.objects.get(pk=community.pk)


def _draftail(text):
    """A rich text field as the admin's Draftail editor posts it (ContentState JSON)."""
    block = {
        "key": "a",
        "text": text,
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def plan_url(community):
    return reverse("community_api:community_plan", args=[community.pk])


def test_page_shows_todays_timeline(client, planned):
    text = client.get(planned.url).text
    ol = text[text.index('<ol class="list-unstyled portal-timeline"') :]
    ol = ol[: ol.index("</ol>")]
    # Date order, today between the past and the upcoming, the next one marked in words.
    assert ol.index("Avvio") < ol.index("portal-timeline-today") < ol.index("Linee guida")
    assert ol.index("Linee guida") < ol.index("Chiusura")
    assert ol.count("portal-timeline-today") == 1
    assert "badge bg-primary" in ol[ol.index("Linee guida") : ol.index("Chiusura")]
    assert "Ridurre gli incidenti" in text
    assert "Edit the plan" not in text and "Modifica il piano" not in text


def test_quick_actions_for_managers_only(client, world, planned):
    edit = reverse("wagtailadmin_pages:edit", args=[planned.pk])
    client.force_login(world.users["coordinator"])
    assert f'href="{edit}"' in client.get(planned.url).text
    home = client.get(reverse("communities:manage_home", args=[planned.pk])).text
    assert f'href="{edit}"' in home and "/admin/documents/?collection_id=" in home
    for column in ("participant", "designated", "other_member"):
        client.force_login(world.users[column])
        assert f'href="{edit}"' not in client.get(planned.url).text, column


def test_api_get_for_any_signed_in_member(world, planned):
    """Like the rest of the community API: sign in first (the page shows it to everyone)."""
    assert api().get(plan_url(planned)).status_code in (401, 403)
    response = api(world.users["registered"]).get(plan_url(planned))
    assert response.status_code == 200, response.content
    data = response.json()
    assert [m["title"] for m in data["milestones"]] == ["Avvio", "Linee guida", "Chiusura"]
    assert data["today_index"] == 1
    assert data["next"]["title"] == "Linee guida"
    assert [m["is_next"] for m in data["milestones"]] == [False, True, False]
    assert data["milestones"][0]["past"] is True
    assert "Ridurre gli incidenti" in data["objectives"]
    assert data["can_edit"] is False


def test_api_put_publishes_a_revision_as_the_coordinator(world, planned):
    coordinator = world.users["coordinator"]
    body = {
        "objectives": "<p>Nuovi obiettivi</p>",
        "milestones": [
            {"title": "Tappa", "date": str(_days(5)), "status": "planned", "description": "x"}
        ],
    }
    response = api(coordinator).put(plan_url(planned), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["can_edit"] is True
    page = CommunityPage.objects.get(pk=planned.pk)
    assert "Nuovi obiettivi" in page.objectives and not page.has_unpublished_changes
    assert page.live_revision.user_id == coordinator.pk
    assert [b.value["title"] for b in page.timeline] == ["Tappa"]
    assert PageLogEntry.objects.filter(
        page=page, action="communities.plan_updated", user=coordinator
    ).exists()
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=coordinator)
    # PATCH changes only what is given.
    response = api(coordinator).patch(
        plan_url(planned), {"objectives": "<p>Solo</p>"}, format="json"
    )
    assert response.status_code == 200
    assert [m["title"] for m in response.json()["milestones"]] == ["Tappa"]


@pytest.mark.parametrize("column", ["participant", "designated", "other_member"])
def test_api_put_refused_to_members(world, planned, column):
    response = api(world.users[column]).patch(
        plan_url(planned), {"objectives": "<p>No</p>"}, format="json"
    )
    assert response.status_code == 403
    assert "Ridurre" in CommunityPage.objects.get(pk=planned.pk).objectives


def test_api_put_validates(world, planned):
    response = api(world.users["support"]).put(
        plan_url(planned),
        {"objectives": "", "milestones": [{"title": "", "date": "31/02/2026", "status": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["milestones"]["0"]  # by position, in Italian
    assert set(errors) == {"title", "date", "status"}
    assert "YYYY-MM-DD" in errors["date"][0] and "scelta valida" in errors["status"][0]
    assert [b.value["title"] for b in CommunityPage.objects.get(pk=planned.pk).timeline] == [
        "Chiusura",
        "Avvio",
        "Linee guida",
    ]


def test_api_put_conflicts_with_someone_elses_draft(world, planned):
    staff = world.users["staff"]
    page = CommunityPage.objects.get(pk=planned.pk)
    page.objectives = "<p>Bozza della redazione</p>"
    page.save_revision(user=staff)
    response = api(world.users["coordinator"]).patch(
        plan_url(planned), {"objectives": "<p>Mio</p>"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "newer_draft"
    page = CommunityPage.objects.get(pk=planned.pk)
    assert page.get_latest_revision().user_id == staff.pk
    assert "Ridurre" in page.objectives


def test_coordinator_edits_the_plan_in_the_admin(client, world, planned):
    """What the browser test does: the community page's edit form in Wagtail's admin."""
    coordinator = world.users["coordinator"]
    client.force_login(coordinator)
    edit = reverse("wagtailadmin_pages:edit", args=[planned.pk])
    form = client.get(edit)
    assert form.status_code == 200
    assert 'name="objectives"' in form.text  # the timeline's fields are built by Wagtail's JS
    response = client.post(
        edit,
        {
            "title": planned.title,
            "slug": planned.slug,
            "summary": "",
            "theme": planned.theme,
            "mission": _draftail("Missione"),
            "objectives": _draftail("Obiettivo admin"),
            "timeline-count": "1",
            "timeline-0-type": "milestone",
            "timeline-0-deleted": "",
            "timeline-0-order": "0",
            "timeline-0-id": "",
            "timeline-0-value-title": "Tappa admin",
            "timeline-0-value-date": str(_days(3)),
            "timeline-0-value-status": "ongoing",
            "timeline-0-value-description": "",
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    page = CommunityPage.objects.get(pk=planned.pk)
    assert "Obiettivo admin" in page.objectives
    assert [b.value["title"] for b in page.timeline] == ["Tappa admin"]
    assert page.live_revision.user_id == coordinator.pk
    assert fresh(coordinator).is_staff is False
