"""A published output from the outside: its public page (licence, JSON-LD, file), and where it
appears (Risorse, the site search, the sitemap, the Wagtail API, the feeds), while a draft output
appears in none of them; and the Wagtail admin: the workflow's tasks, the managers' dashboard,
the rounds' listing, the licences, the Publish action disabled until approved and the
publication task's "Publish" going through ``services.publish``."""

from __future__ import annotations

import json
import re
from html import escape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, WorkflowState

from materials import services
from materials.models import Licence, MaterialPage, ValidationRound
from tests.communities.conftest import fresh

from . import rounds_support
from .rounds_support import TITLE, approved_round, make_document, open_round

_world_rows = rounds_support._world_rows
world = rounds_support.world

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Bozza riservata del regolamento"


@pytest.fixture
def outputs(world, django_capture_on_commit_callbacks):
    """One published output (a PDF, CC BY 4.0, tagged) and one draft (its round open)."""
    Licence.objects.create(
        code="cc-by-4.0",
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/",
        is_default=True,
    )
    round_ = approved_round(world)
    with django_capture_on_commit_callbacks(execute=True):
        page = services.publish(fresh(world.users["coordinator"]), round_)
    page.tags.add("incidenti")
    page.save_revision().publish()
    draft = open_round(world, make_document(world, title=DRAFT_TITLE)).page
    world.published, world.draft = MaterialPage.objects.get(pk=page.pk), draft
    world.round = ValidationRound.objects.get(pk=round_.pk)
    return world


def test_public_output_page(client, outputs):
    page = outputs.published
    response = client.get(page.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(TITLE) in body and "v1" in body
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in body
    assert "CC BY 4.0" in body
    assert outputs.community.url in body and escape(outputs.group.title) in body
    assert page.document.url in body and "(PDF" in body
    assert reverse("materials:feed") in body and 'rel="alternate"' in body
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    )
    assert data["@type"] == "CreativeWork" and data["name"] == TITLE
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["version"] == "v1"
    assert data["datePublished"] == page.publication_date.isoformat()
    assert {"@type": "Organization", "name": outputs.group.title} in data["author"]
    assert "incidenti" in data["keywords"]
    # The public file is served to anyone.
    assert client.get(page.document.url).status_code == 200


def test_a_text_output_shows_its_text(client, world, django_capture_on_commit_callbacks):
    document = make_document(world, kind="text", body="Il testo **approvato** dal gruppo.")
    round_ = approved_round(world, document)
    with django_capture_on_commit_callbacks(execute=True):
        page = services.publish(fresh(world.users["coordinator"]), round_)
    body = client.get(page.url).content.decode()
    assert "<strong>approvato</strong>" in body
    assert page.document is None


def test_outputs_in_risorse_search_sitemap_api_and_feeds(client, outputs):
    published, draft = outputs.published, outputs.draft
    risorse = outputs.tree.resources.url

    def shows(url, text=None):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        return {
            "published": escape(published.title) in content or published.title in content,
            "draft": DRAFT_TITLE in content or escape(DRAFT_TITLE) in content,
        }

    listing = client.get(risorse, {"type": "materials"})
    body = listing.content.decode()
    assert escape(_("Community outputs")) in body
    assert 'value="materials" selected' in body
    assert shows(f"{risorse}?type=materials") == {"published": True, "draft": False}
    assert shows(risorse) == {"published": True, "draft": False}
    assert shows(f"{risorse}?tag=incidenti") == {"published": True, "draft": False}
    assert reverse("materials:feed") in client.get(risorse).content.decode()

    assert shows("/cerca/?q=Linee+guida+incidenti")["published"]
    assert not shows("/cerca/?q=regolamento+riservata")["draft"]

    sitemap = client.get("/sitemap.xml").content.decode()
    assert published.url in sitemap and draft.slug not in sitemap

    for url in (reverse("materials:feed"), reverse("materials:feed_atom")):
        assert shows(url) == {"published": True, "draft": False}
    feed = client.get(reverse("materials:feed")).content.decode()
    assert "<enclosure" in feed and "application/pdf" in feed

    api = client.get(
        "/api/v2/pages/",
        {
            "type": "materials.MaterialPage",
            "fields": "version_label,publication_date,authors,group_name,licence,document,tags",
        },
    )
    assert api.status_code == 200
    items = api.json()["items"]
    assert [item["id"] for item in items] == [published.pk]
    item = items[0]
    assert item["version_label"] == "v1" and item["group_name"] == outputs.group.title
    assert item["publication_date"] == published.publication_date.isoformat()
    assert item["tags"] == ["incidenti"] and item["document"]["id"] == published.document_id
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_a_draft_output_is_nowhere(client, outputs):
    draft = outputs.draft
    assert not draft.live
    # Its page and its version's file are not public.
    assert client.get(draft.url or f"/risorse/{draft.slug}/").status_code == 404
    version_file = reverse("materials:version_file", args=[draft.source_version_id])
    assert client.get(version_file).status_code in (302, 404)
    client.force_login(fresh(outputs.users["other_member"]))
    assert client.get(version_file).status_code == 404
    assert client.get(reverse("materials:round", args=[draft.rounds.get().pk])).status_code == 404
    # A rejected round's page stays a draft.
    round_ = draft.rounds.get()
    services.answer_round(fresh(outputs.users["participant"]), round_, "changes", "No.")
    services.close_round(round_, user=fresh(outputs.users["coordinator"]))
    draft.refresh_from_db()
    assert not draft.live
    client.logout()
    assert DRAFT_TITLE not in client.get(reverse("materials:feed")).content.decode()


# --- the Wagtail admin ----------------------------------------------------------------------------


def _editor(w):
    """Staff with Wagtail's publish permission on Risorse."""
    editor = fresh(w.users["staff"])
    group, _created = Group.objects.get_or_create(name="Redazione Risorse di prova")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=w.tree.resources,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    editor.groups.add(group)
    return fresh(editor)


def test_publish_is_disabled_until_approved(world):
    editor = _editor(world)
    round_ = open_round(world)
    page = MaterialPage.objects.get(pk=round_.page_id)
    assert not page.permissions_for_user(editor).can_publish()
    assert not page.permissions_for_user(fresh(world.users["coordinator"])).can_publish()
    services.answer_round(fresh(world.users["participant"]), round_, "approve")
    services.close_round(round_, user=fresh(world.users["coordinator"]))
    # The version under validation is on the page's latest revision (the page's row keeps the
    # values of its creation until it is published): approved, the editor may publish it.
    page = MaterialPage.objects.get(pk=round_.page_id).get_latest_revision_as_object()
    assert page.permissions_for_user(fresh(editor)).can_publish()


def test_publication_task_publish_action(client, world, django_capture_on_commit_callbacks):
    round_ = approved_round(world)
    state = WorkflowState.objects.get(pk=round_.workflow_state_id)
    task_state = state.current_task_state
    assert task_state.task.specific.__class__.__name__ == "PublicationTask"
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[round_.page_id, "approve", task_state.pk]
    )
    client.force_login(fresh(world.users["coordinator"]))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert escape(round_.page.title) in dashboard  # "Awaiting your review"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code in (200, 302)
    round_.refresh_from_db()
    assert round_.published_at is not None
    page = MaterialPage.objects.get(pk=round_.page_id)
    assert page.live and page.document is not None and page.publication_date is not None
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    from cms.models import NewsPage

    assert NewsPage.objects.filter(live=False, title__contains=TITLE).exists()


def test_admin_tasks_dashboard_rounds_and_licences(client, world):
    round_ = open_round(world)
    superuser = fresh(world.users["staff"])
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    tasks = client.get(reverse("wagtailadmin_workflows:task_index")).content.decode()
    assert "Validazione dei partecipanti" in tasks and "Pubblicazione del coordinatore" in tasks
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert escape(_("Licences")) in home and escape(_("Validation rounds")) in home
    assert client.get(reverse("wagtailsnippets_materials_licence:list")).status_code == 200
    client.logout()

    # The community's coordinator sees the open round on the dashboard ("Awaiting your review").
    client.force_login(fresh(world.users["coordinator"]))
    assert escape(round_.page.title) in client.get(reverse("wagtailadmin_home")).content.decode()
    # The rounds' listing is staff's.
    listing = reverse("materials_validationround:index")
    assert client.get(listing).status_code in (302, 403)

    client.force_login(_editor(world))
    response = client.get(listing)
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(TITLE) in body and escape(world.community.title) in body
    inspect = reverse("materials_validationround:inspect", args=[round_.pk])
    assert client.get(inspect).status_code == 200
    assert client.get(reverse("materials_validationround:add")).status_code in (302, 403)
