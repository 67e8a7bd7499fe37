"""The working group's workspace pages, from the outside: the workspace, new documents and
versions, a version and its comments, the round form for the coordinators, the authors' consent,
every role, wrong inputs, and the workspace's query budget."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms import errors
from materials import services
from materials.models import AuthorCredit, DocumentVersion, VersionComment, WorkingDocument
from tests.communities.conftest import build_world, fresh
from tests.conftest import build_site, module_transaction

from .conftest import deadline, pdf_upload

pytestmark = pytest.mark.django_db

WORKSPACE_ROLES = ("wg_member", "wg_coordinator", "coordinator", "support")
OUTSIDERS = ("registered", "participant", "designated", "other_member", "staff")


@pytest.fixture(scope="module")
def _rows(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def world(_rows, db):
    """The module's world (built once), a fresh copy per test; each test's writes roll back."""
    return copy.deepcopy(_rows)


def _text_document(w, body="# Linee guida\n\nPrimo paragrafo.", user="wg_member"):
    return services.create_document(
        fresh(w.users[user]), w.group, title="Bozza di linee guida", kind="text", body=body
    )


def _file_document(w, user="wg_member"):
    return services.create_document(
        fresh(w.users[user]),
        w.group,
        title="Piano di risposta agli incidenti",
        kind="file",
        file=pdf_upload(),
    )


def _login(client, w, key):
    if w.users[key] is not None:
        client.force_login(w.users[key])
    return client


# --- the workspace --------------------------------------------------------------------------


def test_workspace_for_every_role(client, world):
    document = _file_document(world)
    url = reverse("materials:workspace", args=[world.group.pk])
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]
    for key in WORKSPACE_ROLES:
        client.logout()
        response = _login(client, world, key).get(url)
        assert response.status_code == 200, key
        assert document.title in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    for key in OUTSIDERS:
        client.logout()
        response = _login(client, world, key).get(url)
        assert response.status_code == 404, key
        assert document.title not in response.content.decode()


def test_workspace_of_no_group_is_404(client, world):
    _login(client, world, "coordinator")
    for pk in (world.community.pk, world.area.pk, 999999):
        assert client.get(reverse("materials:workspace", args=[pk])).status_code == 404


def test_workspace_lists_state(client, world):
    document = _text_document(world)
    version = document.latest_version
    services.add_comment(fresh(world.users["wg_member"]), version, "Manca la sezione 3")
    services.add_comment(fresh(world.users["support"]), version, "Rivedere il titolo")
    services.open_round(fresh(world.users["wg_coordinator"]), version, deadline=deadline())
    response = _login(client, world, "wg_member").get(
        reverse("materials:workspace", args=[world.group.pk])
    )
    html = response.content.decode()
    assert reverse("materials:document", args=[document.pk]) in html
    assert reverse("materials:version", args=[version.pk]) in html
    assert "v1" in html and world.users["wg_member"].get_full_name() in html
    assert "2 " in html and "badge bg-warning" in html  # two open comments
    round_ = document.rounds.get()
    assert reverse("materials:round", args=[round_.pk]) in html
    # The new-document form with its fixed fields, and the authors' consent.
    for name in ('name="title"', 'name="summary"', 'name="kind"', 'name="file"', 'name="body"'):
        assert name in html
    assert 'value="text"' in html and 'value="file"' in html
    assert reverse("materials:author_credit", args=[world.group.pk]) in html


def test_working_group_page_links_to_workspace(client, world):
    url = reverse("materials:workspace", args=[world.group.pk])
    response = _login(client, world, "wg_member").get(world.group.url)
    assert response.status_code == 200 and url in response.content.decode()
    client.logout()
    response = _login(client, world, "coordinator").get(world.group.url)
    assert url in response.content.decode()


def test_workspace_query_budget(client, world, django_assert_max_num_queries):
    member = fresh(world.users["wg_member"])
    url = reverse("materials:workspace", args=[world.group.pk])
    _login(client, world, "wg_member")
    for index in range(2):
        document = services.create_document(
            member, world.group, title=f"Documento {index}", kind="text", body=f"Testo {index}"
        )
        services.add_comment(member, document.latest_version, "Un commento")
    client.get(url)  # warm the per-process caches (site, locales)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(2, 20):
        document = services.create_document(
            member, world.group, title=f"Documento {index}", kind="text", body=f"Testo {index}"
        )
        services.add_version(member, document, body=f"Testo {index} rivisto")
        services.add_comment(member, document.latest_version, "Un commento")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Documento ") >= 20


# --- new documents ---------------------------------------------------------------------------


def test_create_file_document(client, world):
    _login(client, world, "wg_member")
    response = client.post(
        reverse("materials:document_create", args=[world.group.pk]),
        {
            "title": "Linee guida backup",
            "summary": "Per i Comuni piccoli",
            "kind": "file",
            "file": pdf_upload("backup.pdf"),
            "note": "Prima stesura",
        },
    )
    document = WorkingDocument.objects.get(title="Linee guida backup")
    assert response.status_code == 302
    assert response["Location"] == reverse("materials:document", args=[document.pk])
    version = document.latest_version
    assert version.number == 1 and version.file_name == "backup.pdf"
    assert version.note == "Prima stesura"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Linee guida backup" in html and "backup.pdf" in html
    assert (
        'name="file"' in html
        and 'action="' + reverse("materials:version_create", args=[document.pk]) in html
    )


def test_create_text_document_renders_markdown_safely(client, world):
    _login(client, world, "wg_coordinator")
    response = client.post(
        reverse("materials:document_create", args=[world.group.pk]),
        {
            "title": "Bozza condivisa",
            "kind": "text",
            "body": "Testo **importante**\n\n<script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    version = WorkingDocument.objects.get(title="Bozza condivisa").latest_version
    response = client.get(reverse("materials:version", args=[version.pk]))
    html = response.content.decode()
    assert "<strong>importante</strong>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "file", "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")}, "file"),
        ({"kind": "file"}, "file"),
        ({"kind": "text", "body": "   "}, "body"),
        ({"kind": "altro"}, "kind"),
        ({"kind": "text", "body": "Testo", "title": ""}, "title"),
    ],
)
def test_create_document_bad_input(client, world, data, field):
    _login(client, world, "wg_member")
    post = {"title": "Titolo digitato", "summary": "Sommario digitato", "note": "Nota digitata"}
    post.update(data)
    response = client.post(reverse("materials:document_create", args=[world.group.pk]), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'id="form-errors"' in html  # the error summary
    assert "Sommario digitato" in html and "Nota digitata" in html
    if post["title"]:
        assert 'value="Titolo digitato"' in html
    assert not WorkingDocument.objects.exists()


def test_create_document_too_large(client, world, settings):
    settings.MATERIALS_MAX_FILE_SIZE = 100
    _login(client, world, "wg_member")
    response = client.post(
        reverse("materials:document_create", args=[world.group.pk]),
        {"title": "Grande", "kind": "file", "file": pdf_upload()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file_error"' in html and 'value="Grande"' in html
    assert 'id="file-again"' in html
    assert not WorkingDocument.objects.exists()


@pytest.mark.parametrize("key", ["participant", "other_member", "registered"])
def test_outsiders_cannot_create(client, world, key):
    _login(client, world, key)
    response = client.post(
        reverse("materials:document_create", args=[world.group.pk]),
        {"title": "X", "kind": "text", "body": "Y"},
    )
    assert response.status_code == 404
    assert not WorkingDocument.objects.exists()


def test_create_form_page(client, world):
    response = _login(client, world, "support").get(
        reverse("materials:document_create", args=[world.group.pk])
    )
    assert response.status_code == 200 and 'name="title"' in response.content.decode()


# --- new versions ----------------------------------------------------------------------------


def test_text_versions(client, world):
    document = _text_document(world, body="Primo paragrafo.")
    _login(client, world, "wg_member")
    page = client.get(reverse("materials:document", args=[document.pk])).content.decode()
    assert "Primo paragrafo." in page  # the textarea prefilled with the latest text
    url = reverse("materials:version_create", args=[document.pk])
    response = client.post(url, {"body": "Primo paragrafo.", "note": "Nessuna modifica"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="form-errors"' in html and "Nessuna modifica" in html
    assert document.versions.count() == 1
    response = client.post(url, {"body": "", "note": "Vuoto"})
    assert response.status_code == 400 and 'id="id_body_error"' in response.content.decode()
    response = client.post(url, {"body": "Primo paragrafo rivisto.", "note": "Rivisto"})
    second = document.versions.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("materials:version", args=[second.pk])
    assert second.body == "Primo paragrafo rivisto." and second.note == "Rivisto"


def test_file_versions(client, world):
    document = _file_document(world)
    _login(client, world, "coordinator")
    url = reverse("materials:version_create", args=[document.pk])
    response = client.post(url, {"note": "Senza file"})
    assert response.status_code == 400 and 'id="id_file_error"' in response.content.decode()
    response = client.post(
        url, {"file": SimpleUploadedFile("b.pdf", b"not a pdf"), "note": "Nota tenuta"}
    )
    assert response.status_code == 400
    assert "Nota tenuta" in response.content.decode()
    response = client.post(url, {"file": pdf_upload("v2.pdf", "due"), "note": "Seconda"})
    assert response.status_code == 302
    assert document.versions.count() == 2
    page = client.get(reverse("materials:document", args=[document.pk])).content.decode()
    assert page.index("v2.pdf") < page.index("linee-guida.pdf")  # newest first
    assert 'name="da"' in page and 'name="a"' in page
    assert client.get(url).status_code == 302  # GET: back to the document's form


def test_outsiders_cannot_add_versions(client, world):
    document = _text_document(world)
    for key in ("participant", "other_member", "staff"):
        client.logout()
        _login(client, world, key)
        response = client.post(
            reverse("materials:version_create", args=[document.pk]), {"body": "Altro"}
        )
        assert response.status_code == 404, key
        assert client.get(reverse("materials:document", args=[document.pk])).status_code == 404
    assert document.versions.count() == 1


# --- a version, its comments -----------------------------------------------------------------


def test_comments_threads_and_resolution(client, world):
    document = _text_document(world)
    version = document.latest_version
    url = reverse("materials:comment_create", args=[version.pk])
    _login(client, world, "wg_member")
    response = client.post(url, {"body": "Manca la parte sui backup"})
    thread = VersionComment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#c{thread.pk}")
    response = client.post(url, {"body": "", "parent": thread.pk})
    assert response.status_code == 400
    assert f'id="id_reply{thread.pk}_body_error"' in response.content.decode()
    client.logout()
    _login(client, world, "support")
    response = client.post(url, {"body": "D'accordo, la aggiungo", "parent": thread.pk})
    assert response.status_code == 302
    reply = VersionComment.objects.get(parent=thread)
    html = client.get(reverse("materials:version", args=[version.pk])).content.decode()
    assert "Manca la parte sui backup" in html and "D&#x27;accordo, la aggiungo" in html
    assert f'id="c{reply.pk}"' in html
    assert reverse("materials:comment_resolve", args=[thread.pk]) in html  # support resolves
    # The author resolves, then reopens; twice is a conflict.
    client.logout()
    _login(client, world, "wg_member")
    resolve = reverse("materials:comment_resolve", args=[thread.pk])
    response = client.post(resolve, {"resolved": "1"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_resolved
    assert client.post(resolve, {"resolved": "1"}).status_code == 409
    assert client.post(resolve, {"resolved": "0"}).status_code == 302
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_plain_member_cannot_resolve_others(client, world):
    from communities.models import WorkingGroupMembership
    from tests.communities import factories
    from tests.communities.conftest import make_member

    document = _text_document(world)
    comment = services.add_comment(fresh(world.users["wg_member"]), document.latest_version, "X")
    peer = make_member(world.community, "designated")
    factories.WorkingGroupMembershipFactory(
        user=peer, group=world.group, role=WorkingGroupMembership.Role.MEMBER
    )
    client.force_login(peer)
    html = client.get(reverse("materials:version", args=[document.latest_version.pk]))
    assert reverse("materials:comment_resolve", args=[comment.pk]) not in html.content.decode()
    response = client.post(reverse("materials:comment_resolve", args=[comment.pk]))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_resolved


def test_reply_to_a_comment_of_another_version(client, world):
    first = _text_document(world)
    second = _text_document(world, body="Altro testo")
    foreign = services.add_comment(fresh(world.users["wg_member"]), first.latest_version, "X")
    _login(client, world, "wg_member")
    response = client.post(
        reverse("materials:comment_create", args=[second.latest_version.pk]),
        {"body": "Risposta", "parent": foreign.pk},
    )
    assert response.status_code == 400 and "Risposta" in response.content.decode()
    assert VersionComment.objects.count() == 1


def test_submitted_version_for_participants(client, world):
    document = _text_document(world, body="Testo da validare")
    submitted = document.latest_version
    services.add_comment(fresh(world.users["wg_member"]), submitted, "Commento interno")
    draft = services.add_version(fresh(world.users["wg_member"]), document, body="Dopo")
    round_ = services.open_round(
        fresh(world.users["wg_coordinator"]), submitted, deadline=deadline()
    )
    for key in ("participant", "designated"):
        client.logout()
        _login(client, world, key)
        response = client.get(reverse("materials:version", args=[submitted.pk]))
        html = response.content.decode()
        assert response.status_code == 200, key
        assert "Testo da validare" in html
        assert reverse("materials:round", args=[round_.pk]) in html
        assert "Commento interno" not in html
        assert reverse("materials:document", args=[document.pk]) not in html
        assert reverse("materials:workspace", args=[world.group.pk]) not in html
        assert client.get(reverse("materials:version", args=[draft.pk])).status_code == 404
        assert client.get(reverse("materials:document", args=[document.pk])).status_code == 404
        response = client.post(
            reverse("materials:comment_create", args=[submitted.pk]), {"body": "Da fuori"}
        )
        assert response.status_code == 403
    client.logout()
    _login(client, world, "other_member")
    assert client.get(reverse("materials:version", args=[submitted.pk])).status_code == 404
    assert not VersionComment.objects.filter(body="Da fuori").exists()


def test_round_form_for_coordinators_only(client, world):
    document = _file_document(world)
    version = document.latest_version
    url = reverse("materials:version", args=[version.pk])
    html = _login(client, world, "wg_coordinator").get(url).content.decode()
    assert reverse("materials:round_open", args=[version.pk]) in html
    for name in ('name="deadline"', 'type="datetime-local"', 'name="quorum_percent"'):
        assert name in html
    assert 'value="20"' in html and 'name="instructions"' in html
    assert html.count('name="majority"') == 3
    assert 'value="simple" checked' in html or 'value="simple"' in html
    for key in ("wg_member", "support"):
        client.logout()
        html = _login(client, world, key).get(url).content.decode()
        assert reverse("materials:round_open", args=[version.pk]) not in html, key


def test_version_of_a_file(client, world):
    document = _file_document(world)
    version = document.latest_version
    html = (
        _login(client, world, "wg_member")
        .get(reverse("materials:version", args=[version.pk]))
        .content.decode()
    )
    assert version.sha256 in html and "linee-guida.pdf" in html and "PDF" in html
    assert reverse("materials:version_file", args=[version.pk]) in html


# --- the authors' consent --------------------------------------------------------------------


def test_author_credit_toggle(client, world):
    url = reverse("materials:author_credit", args=[world.group.pk])
    user = world.users["wg_member"]
    _login(client, world, "wg_member")
    response = client.post(url, {"agreed": "1"})
    assert response.status_code == 302
    assert AuthorCredit.objects.filter(user=user, working_group=world.group).exists()
    html = client.get(response["Location"]).content.decode()
    assert 'id="id_agreed" checked' in html or "checked" in html
    client.post(url, {})
    assert not AuthorCredit.objects.filter(user=user).exists()
    assert client.get(url).status_code == 405
    client.logout()
    _login(client, world, "participant")
    assert client.post(url, {"agreed": "1"}).status_code == 404
    assert not AuthorCredit.objects.exists()


def test_services_refusal_is_rendered(world):
    """The services raise ``Refused`` for outsiders (what the views turn into 403/404)."""
    with pytest.raises(errors.Refused):
        services.set_author_credit(fresh(world.users["participant"]), world.group, True)
    assert DocumentVersion.objects.count() == 0
