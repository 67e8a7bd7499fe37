"""The private files of the versions, from the outside: who downloads them (every role, before
and after a version is submitted to a round), how (attachment, original name made safe, stored
media type, nosniff, never cached), and that nothing of them is reachable under /media/ or
shows in the site search."""

import copy

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from materials import services
from materials.models import DocumentVersion
from tests.communities.conftest import build_world, fresh
from tests.conftest import build_site, module_transaction

from .conftest import deadline, docx_bytes, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db

TITLE = "Procedura riservata di ripristino"
ALLOWED = ("wg_member", "wg_coordinator", "coordinator", "support")
REFUSED = ("registered", "participant", "designated", "other_member", "staff")


@pytest.fixture(scope="module")
def _rows(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def world(_rows, db):
    return copy.deepcopy(_rows)


def _version(w, upload=None):
    document = services.create_document(
        fresh(w.users["wg_member"]),
        w.group,
        title=TITLE,
        kind="file",
        file=upload or pdf_upload("Procedura ripristino.pdf", "segreto"),
    )
    return document.latest_version


def _get(client, w, key, url):
    client.logout()
    if w.users[key] is not None:
        client.force_login(w.users[key])
    return client.get(url)


def test_download_by_role(client, world):
    version = _version(world)
    url = reverse("materials:version_file", args=[version.pk])
    response = _get(client, world, "anonymous", url)
    assert response.status_code == 302 and "next=" in response["Location"]
    for key in ALLOWED:
        response = _get(client, world, key, url)
        assert response.status_code == 200, key
        assert b"".join(response.streaming_content) == pdf_bytes("segreto")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="Procedura ripristino.pdf"' in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    for key in REFUSED:
        response = _get(client, world, key, url)
        assert response.status_code == 404, key
        assert b"segreto" not in response.content


def test_submitted_version_is_downloaded_by_the_participants(client, world):
    version = _version(world)
    later = services.add_version(
        fresh(world.users["wg_member"]), version.document, file=pdf_upload(text="dopo")
    )
    services.open_round(fresh(world.users["wg_coordinator"]), version, deadline=deadline())
    url = reverse("materials:version_file", args=[version.pk])
    for key in ("participant", "designated"):
        assert _get(client, world, key, url).status_code == 200, key
        later_url = reverse("materials:version_file", args=[later.pk])
        assert _get(client, world, key, later_url).status_code == 404, key
    for key in ("other_member", "registered"):
        assert _get(client, world, key, url).status_code == 404, key


def test_missing_and_wrong_files_are_404(client, world):
    version = _version(world)
    client.force_login(world.users["coordinator"])
    assert client.get(reverse("materials:version_file", args=[999999])).status_code == 404
    text = services.create_document(
        fresh(world.users["wg_member"]), world.group, title="Bozza", kind="text", body="Testo"
    ).latest_version
    assert client.get(reverse("materials:version_file", args=[text.pk])).status_code == 404
    version.file.storage.delete(version.file.name)
    assert client.get(reverse("materials:version_file", args=[version.pk])).status_code == 404


def test_file_name_is_made_safe(client, world):
    version = _version(world, SimpleUploadedFile("piano.docx", docx_bytes("uno")))
    DocumentVersion.objects.filter(pk=version.pk).update(
        file_name='piano"; filename=x.exe\r\nX-Injected: 1\\..\\a/b.docx'
    )
    client.force_login(world.users["wg_member"])
    response = client.get(reverse("materials:version_file", args=[version.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert not response.has_header("X-Injected")
    assert disposition.count('"') == 2  # the name's own quote is gone: one quoted name
    assert "/" not in disposition.split("filename", 1)[1]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    DocumentVersion.objects.filter(pk=version.pk).update(file_name="\x01\x7f ..")
    response = client.get(reverse("materials:version_file", args=[version.pk]))
    assert 'filename="documento.docx"' in response["Content-Disposition"]


def test_not_reachable_under_media(client, world):
    version = _version(world)
    assert not str(version.file.path).startswith(str(settings.MEDIA_ROOT))
    for key in ("anonymous", "wg_member", "coordinator"):
        for path in (version.file.name, f"private/{version.file.name}"):
            response = _get(client, world, key, f"{settings.MEDIA_URL}{path}")
            assert response.status_code == 404, (key, path)


def test_nothing_in_the_site_search(client, world):
    url = reverse("search") + "?q=" + TITLE.replace(" ", "+")
    keys = ("anonymous", "participant", "wg_member", "coordinator")
    before = {key: _get(client, world, key, url).context["outcome"].count for key in keys}
    version = _version(world)
    services.add_comment(fresh(world.users["wg_member"]), version, "Commento riservato")
    for key in keys:
        response = _get(client, world, key, url)
        assert response.status_code == 200, key
        html = response.content.decode()
        assert "/materiali/" not in html, key
        assert version.file.name not in html
        assert response.context["outcome"].count == before[key], key
    response = _get(client, world, "wg_member", reverse("search") + "?q=Commento+riservato")
    assert "Commento riservato" not in html.split("</h1>", 1)[-1].replace("Commento riservato”", "")
