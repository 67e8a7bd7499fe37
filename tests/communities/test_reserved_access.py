"""Non-members cannot reach a community's reserved pages, documents or images by any route:
the page URL, direct file URLs, the API, the sitemap, the feeds or search."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from communities.models import ReservedSpace
from tests import factories as base

from . import factories
from .conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_media(world):
    # Wagtail caches renditions by image id, and ids are reused after each test's rollback.
    cache.clear()
    community_collection = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.COMMUNITY, translation_key=world.community.translation_key
    ).collection
    group_collection = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.WORKING_GROUP, translation_key=world.group.translation_key
    ).collection
    document = base.DocumentFactory(
        title="Verbale riservato",
        collection=community_collection,
        file=ContentFile(b"%PDF-1.4\n% verbale\n", name="verbale.pdf"),
    )
    group_document = base.DocumentFactory(
        title="Bozza del gruppo",
        collection=group_collection,
        file=ContentFile(b"%PDF-1.4\n% bozza\n", name="bozza.pdf"),
    )
    image = base.ImageFactory(title="Schema riservato", collection=community_collection)
    rendition = image.get_rendition("width-32")
    public_image = base.ImageFactory(title="Immagine pubblica")
    return {
        "document": document,
        "group_document": group_document,
        "image": image,
        "rendition": rendition,
        "public_image": public_image,
    }


def login(client, world, column):
    user = world.users[column]
    if user is not None:
        client.force_login(user)
    return client


NON_MEMBERS = ["anonymous", "registered", "other_member", "staff"]
MEMBERS = ["participant", "designated", "coordinator", "support"]


@pytest.mark.parametrize("column", NON_MEMBERS)
def test_non_member_cannot_get_reserved_pages(client, world, column):
    login(client, world, column)
    for page in (world.area, world.announcement, world.group, world.group_page):
        response = client.get(page.url)
        assert response.status_code in (302, 403, 404), page.title
        assert page.title not in response.content.decode()


@pytest.mark.parametrize("column", MEMBERS)
def test_member_reads_reserved_area_privately(client, world, column):
    login(client, world, column)
    response = client.get(world.area.url)
    assert response.status_code == 200
    assert world.announcement.title in response.text
    assert "no-store" in response["Cache-Control"]
    assert client.get(world.announcement.url).status_code == 200


@pytest.mark.parametrize("column", ["participant", "designated", "other_member"])
def test_participant_cannot_see_working_group_space(client, world, column):
    login(client, world, column)
    for page in (world.group, world.group_page):
        response = client.get(page.url)
        assert response.status_code == 403  # refused, not sent to sign in again
        assert page.title not in response.content.decode()
    if column != "other_member":
        # The area lists only the working groups the member may open.
        assert world.group.title not in client.get(world.area.url).text


@pytest.mark.parametrize("column", ["wg_member", "wg_coordinator", "coordinator", "support"])
def test_working_group_space_for_its_members_and_managers(client, world, column):
    login(client, world, column)
    response = client.get(world.group.url)
    assert response.status_code == 200
    assert world.group_page.title in response.text
    assert client.get(world.group_page.url).status_code == 200


def media_urls(media):
    return {
        "document_view": media["document"].url,
        "document_file": media["document"].file.url,
        "image_original": media["image"].file.url,
        "image_rendition": media["rendition"].url,
    }


@pytest.mark.parametrize("column", NON_MEMBERS)
def test_non_member_cannot_get_private_files_by_url(client, world, private_media, column):
    login(client, world, column)
    for name, url in media_urls(private_media).items():
        response = client.get(url)
        assert response.status_code in (302, 403, 404), name
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))
    # Public media stay public.
    assert client.get(private_media["public_image"].file.url).status_code == 200


@pytest.mark.parametrize("column", MEMBERS)
def test_member_gets_private_files(client, world, private_media, column):
    login(client, world, column)
    for name, url in media_urls(private_media).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name


def test_working_group_documents_only_for_the_group(client, world, private_media):
    url = private_media["group_document"].file.url
    login(client, world, "participant")
    assert client.get(url).status_code == 404
    assert client.get(private_media["group_document"].url).status_code in (302, 403)
    client.logout()
    login(client, world, "wg_member")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("column", NON_MEMBERS)
def test_api_hides_reserved_content(client, world, private_media, column):
    login(client, world, column)
    pages = client.get("/api/v2/pages/?limit=100").json()
    ids = {item["id"] for item in pages["items"]}
    assert not ids & {world.area.pk, world.announcement.pk, world.group.pk, world.group_page.pk}
    for page in (world.area, world.announcement, world.group_page):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    documents = client.get("/api/v2/documents/?limit=100").json()
    assert not {item["title"] for item in documents["items"]} & {
        "Verbale riservato",
        "Bozza del gruppo",
    }
    assert client.get(f"/api/v2/documents/{private_media['document'].pk}/").status_code == 404
    images = client.get("/api/v2/images/?limit=100").json()
    assert "Schema riservato" not in {item["title"] for item in images["items"]}
    assert client.get(f"/api/v2/images/{private_media['image'].pk}/").status_code == 404


def test_api_serves_reserved_pages_to_members(client, world):
    login(client, world, "participant")
    titles = {item["title"] for item in client.get("/api/v2/pages/?limit=100").json()["items"]}
    assert {world.area.title, world.announcement.title} <= titles
    assert world.group_page.title not in titles
    assert client.get(f"/api/v2/pages/{world.announcement.pk}/").status_code == 200


def test_sitemap_and_feeds_leave_out_reserved_pages(client, world):
    base.NewsPageFactory(parent=world.tree.news_index, title="Notizia pubblica")
    login(client, world, "coordinator")  # even a member's session gets public documents only
    sitemap = client.get("/sitemap.xml").text
    for page in (world.area, world.announcement, world.group, world.group_page):
        assert page.url not in sitemap
    assert world.community.slug in sitemap
    for suffix in ("feed/", "feed/atom/"):
        feed = client.get(world.tree.news_index.url + suffix).text
        assert "Notizia pubblica" in feed
        assert world.announcement.title not in feed


@pytest.mark.parametrize(("column", "found"), [("registered", False), ("participant", True)])
def test_search_finds_reserved_pages_only_for_members(client, world, column, found):
    login(client, world, column)
    response = client.get("/cerca/", {"q": "Riunione avvio"})
    assert response.status_code == 200
    assert (world.announcement.title in response.text) is found


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


# Routing a page five levels deep, Wagtail's own restriction checks, the policy's look-ups
# (roles, working groups, groups) and the page itself cost 17 to 23 queries (the page chrome's
# shared data comes from cms/snapshots.py); the budget leaves a little room and, above all, the
# count must not grow with the number of items shown (few == many).
PAGE_BUDGET = 26


def test_reserved_area_query_budget(client, world):
    login(client, world, "coordinator")
    client.get(world.area.url)  # warm up caches (site, settings, session)
    few, _response = count_queries(client, world.area.url)
    for n in range(8):
        factories.ReservedPageFactory(parent=world.area, title=f"Materiale {n}")
    for n in range(5):
        factories.WorkingGroupPageFactory(parent=world.area, title=f"Gruppo {n}")
    # The writes above bumped the shared snapshots' token (cms/snapshots.py): warm them again.
    client.get(world.area.url)
    many, response = count_queries(client, world.area.url)
    assert "Materiale 7" in response.text and "Gruppo 4" in response.text
    assert many <= PAGE_BUDGET
    assert many == few


def test_working_group_page_query_budget(client, world):
    login(client, world, "wg_member")
    client.get(world.group.url)
    few, _response = count_queries(client, world.group.url)
    for n in range(6):
        factories.ReservedPageFactory(parent=world.group, title=f"Documento {n}")
        user = fresh(factories.RegisteredUserFactory(last_name=f"Bianchi{n}"))
        factories.WorkingGroupMembershipFactory(user=user, group=world.group)
    # The writes above bumped the shared snapshots' token (cms/snapshots.py): warm them again.
    client.get(world.group.url)
    many, response = count_queries(client, world.group.url)
    assert "Bianchi5" in response.text and "Documento 5" in response.text
    assert many <= PAGE_BUDGET
    assert many == few


def test_reserved_page_query_budget(client, world):
    login(client, world, "participant")
    client.get(world.announcement.url)
    queries, _response = count_queries(client, world.announcement.url)
    assert queries <= PAGE_BUDGET


@pytest.fixture
def act(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    designation = world.designation
    designation.act_file = SimpleUploadedFile("nomina.pdf", b"%PDF-1.4\n% atto di nomina\n")
    designation.save()
    return designation


@pytest.mark.parametrize(
    ("column", "allowed"),
    [
        ("anonymous", False),
        ("registered", False),
        ("participant", False),
        ("designated", False),
        ("other_member", False),
        ("coordinator", True),
        ("support", True),
        ("staff", True),
    ],
)
def test_designation_act_served_only_through_the_policy(client, world, act, column, allowed):
    from django.conf import settings
    from django.urls import reverse

    assert not act.act_file.path.startswith(str(settings.MEDIA_ROOT))
    login(client, world, column)
    response = client.get(reverse("communities:designation_act", args=[act.pk]))
    assert (response.status_code == 200) is allowed
    if allowed:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Type"] == "application/pdf"


def test_member_downloads_own_act(client, world, act):
    from django.urls import reverse

    client.force_login(world.subject)
    response = client.get(reverse("communities:designation_act", args=[act.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("column", "link"), [("registered", False), ("participant", True), ("coordinator", True)]
)
def test_community_page_links_members_to_reserved_area(client, world, column, link):
    login(client, world, column)
    response = client.get(world.community.url)
    assert response.status_code == 200
    assert (world.area.url in response.text) is link


def test_refusal_explains_the_community_and_offers_to_join(client, world):
    """A registered non-member refused by the reserved area (the ``portal_page_refusal`` hook
    answered by communities) reads why, in Italian, and gets the join link."""
    from django.urls import reverse

    login(client, world, "registered")
    response = client.get(world.area.url)
    assert response.status_code == 403
    text = response.text
    assert "riservata ai membri della comunità" in text
    assert world.community.title in text
    assert reverse("participation:join", args=[world.community.pk]) in text
    assert "no-store" in response["Cache-Control"]


def test_refusal_of_a_working_group_names_the_group_and_offers_no_join(client, world):
    """A member of the community refused by a working group's space: the group's message, no
    join link (they are already a member of the community)."""
    from django.urls import reverse

    login(client, world, "participant")
    response = client.get(world.group.url)
    assert response.status_code == 403
    assert "riservato ai membri del suo gruppo di lavoro" in response.text
    assert reverse("participation:join", args=[world.community.pk]) not in response.text


def test_anonymous_visitor_is_sent_to_sign_in_not_refused(client, world):
    response = client.get(world.area.url)
    assert response.status_code == 302
