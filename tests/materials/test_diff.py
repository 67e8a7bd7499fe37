"""The comparison of two versions: the paragraphs of drafts, DOCX and ODT (XML read safely), the
paragraph and word differences, and the compare page (legend, screen-reader words, formats that
cannot be compared, bad ``da``/``a``)."""

import copy
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from materials import diff, services
from tests.communities.conftest import build_world, fresh
from tests.conftest import build_site, module_transaction

from .conftest import pdf_upload

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def real_docx(*paragraphs: str) -> bytes:
    """A DOCX with WordprocessingML's namespace, one ``w:p`` per paragraph (runs split)."""
    body = "".join(
        f"<w:p><w:r><w:t>{p[: len(p) // 2]}</w:t></w:r><w:r><w:t xml:space='preserve'>"
        f"{p[len(p) // 2 :]}</w:t></w:r></w:p>"
        for p in paragraphs
    )
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def real_odt(*paragraphs: str, heading: str = "", xml: str | None = None) -> bytes:
    body = (f'<text:h text:outline-level="1">{heading}</text:h>' if heading else "") + "".join(
        f"<text:p>{p}</text:p>" for p in paragraphs
    )
    content = xml or (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{OFFICE_NS}" '
        f'xmlns:text="{TEXT_NS}"><office:body><office:text>{body}</office:text></office:body>'
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content)
    return buffer.getvalue()


# --- extracting ---------------------------------------------------------------------------------


def test_docx_paragraphs():
    paragraphs = diff.file_paragraphs(
        io.BytesIO(real_docx("Primo punto", "Secondo punto")), diff.DOCX
    )
    assert paragraphs == ["Primo punto", "Secondo punto"]


def test_docx_skips_deleted_text_and_field_codes():
    xml = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Resta</w:t></w:r>'
        "<w:del><w:r><w:delText>Tolto</w:delText></w:r></w:del>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:tab/><w:t>qui</w:t></w:r></w:p>"
        "<w:p/></w:body></w:document>"
    ).encode()
    assert diff.xml_paragraphs(xml, docx=True) == ["Resta qui"]


def test_odt_paragraphs_with_spaces_and_notes():
    xml = (
        f'<office:document-content xmlns:office="{OFFICE_NS}" xmlns:text="{TEXT_NS}">'
        "<office:body><office:text><text:h>Titolo</text:h>"
        '<text:p>Uno<text:s text:c="3"/>due <text:span>tre</text:span>'
        "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>Nota a piè di pagina</text:p></text:note-body></text:note></text:p>"
        "<office:annotation><text:p>Commento nascosto</text:p></office:annotation>"
        "</office:text></office:body></office:document-content>"
    ).encode()
    assert diff.xml_paragraphs(xml, docx=False) == [
        "Titolo",
        "Uno due tre1",
        "Nota a piè di pagina",
    ]


def test_entities_are_refused():
    """No entity expansion ("billion laughs") and no external entities: defusedxml refuses."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<office:document-content xmlns:office="{OFFICE_NS}" xmlns:text="{TEXT_NS}">'
        "<text:p>&lol2;</text:p></office:document-content>"
    )
    with pytest.raises(diff.NotComparable):
        diff.file_paragraphs(io.BytesIO(real_odt(xml=bomb)), diff.ODT)
    external = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    ).encode()
    with pytest.raises(diff.NotComparable):
        diff.xml_paragraphs(external, docx=True)


def test_damaged_files_are_not_comparable():
    with pytest.raises(diff.NotComparable):
        diff.file_paragraphs(io.BytesIO(b"PK\x03\x04 broken"), diff.DOCX)
    with pytest.raises(diff.NotComparable):  # the conftest's ODT is not well-formed XML
        diff.file_paragraphs(io.BytesIO(real_odt(xml="<a><b>")), diff.ODT)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(diff.NotComparable):  # no word/document.xml
        diff.file_paragraphs(io.BytesIO(buffer.getvalue()), diff.DOCX)
    with pytest.raises(diff.NotComparable):
        diff.file_paragraphs(io.BytesIO(b"%PDF-1.4"), "application/pdf")


def test_deep_nesting_does_not_crash():
    nested_paragraphs = f'<w:document xmlns:w="{W}">' + "<w:p>" * 5000 + "</w:p>" * 5000
    assert diff.xml_paragraphs((nested_paragraphs + "</w:document>").encode(), docx=True) == []
    nested_runs = f'<w:document xmlns:w="{W}"><w:p>' + "<w:r>" * 5000 + "</w:r>" * 5000
    with pytest.raises(diff.NotComparable):
        diff.xml_paragraphs((nested_runs + "</w:p></w:document>").encode(), docx=True)


def test_text_paragraphs():
    assert diff.text_paragraphs("# Titolo\r\n\r\nUno\n\n- a\n- b\n") == [
        "# Titolo",
        "Uno",
        "- a",
        "- b",
    ]


# --- comparing -----------------------------------------------------------------------------------


def test_compare_rows():
    old = ["Titolo", "Il Comune adotta un piano di backup.", "Paragrafo tolto del tutto qui."]
    new = ["Titolo", "Il Comune adotta un piano di backup settimanale.", "Nuova sezione finale."]
    result = diff.compare(old, new)
    kinds = [row.kind for row in result.rows]
    assert kinds == ["same", "changed", "removed", "added"]
    changed = result.rows[1]
    assert [(s.op, s.text) for s in changed.segments if s.op != "same"] == [("ins", " settimanale")]
    assert (result.added, result.removed, result.changed) == (1, 1, 1)
    assert not result.identical
    assert diff.compare(old, old).identical


def test_words_replace():
    segments = diff.words("Il piano è annuale.", "Il piano è mensile.")
    assert [(s.op, s.text) for s in segments] == [
        ("same", "Il piano è "),
        ("del", "annuale"),
        ("ins", "mensile"),
        ("same", "."),
    ]


def test_long_unchanged_runs_are_folded():
    old = [f"Paragrafo {n}" for n in range(30)]
    new = [*old[:15], "Inserito", *old[15:]]
    rows = diff.compare(old, new, context=2).rows
    kinds = [row.kind for row in rows]
    assert kinds == ["folded", "same", "same", "added", "same", "same", "folded"]
    assert rows[0].count == 13 and rows[-1].count == 13


# --- the compare page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _rows(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def world(_rows, db):
    return copy.deepcopy(_rows)


def _url(document, da=None, a=None):
    url = reverse("materials:compare", args=[document.pk])
    params = [f"{key}={value}" for key, value in (("da", da), ("a", a)) if value is not None]
    return url + ("?" + "&".join(params) if params else "")


@pytest.mark.django_db
def test_compare_drafts(client, world):
    member = fresh(world.users["wg_member"])
    document = services.create_document(
        member, world.group, title="Bozza", kind="text", body="Uno due tre.\n\nFine."
    )
    services.add_version(member, document, body="Uno due quattro.\n\nFine.\n\nAggiunta.")
    client.force_login(world.users["wg_member"])
    response = client.get(_url(document, 1, 2))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<del><span class="visually-hidden">' in html and "tre</del>" in html
    assert '<ins><span class="visually-hidden">' in html and "quattro</ins>" in html
    assert "Aggiunta.</ins>" in html
    assert 'id="compare-legend"' in html and 'name="da"' in html and 'name="a"' in html
    # Without parameters: the latest two; reversed works too.
    assert client.get(_url(document)).status_code == 200
    assert "tre</ins>" in client.get(_url(document, 2, 1)).content.decode()


@pytest.mark.django_db
def test_compare_docx_and_odt(client, world):
    member = fresh(world.users["wg_member"])
    document = services.create_document(
        member,
        world.group,
        title="Linee guida",
        kind="file",
        file=SimpleUploadedFile("lg.docx", real_docx("Obiettivo del documento", "Ambito")),
    )
    services.add_version(
        member,
        document,
        file=SimpleUploadedFile("lg.odt", real_odt("Obiettivo generale del documento", "Ambito")),
    )
    client.force_login(world.users["coordinator"])
    html = client.get(_url(document, 1, 2)).content.decode()
    assert "generale </ins>" in html or "generale</ins>" in html
    assert "Ambito" in html


@pytest.mark.django_db
def test_compare_pdf_is_not_available(client, world):
    member = fresh(world.users["wg_member"])
    document = services.create_document(
        member, world.group, title="Piano", kind="file", file=pdf_upload()
    )
    second = services.add_version(
        member, document, file=SimpleUploadedFile("p.docx", real_docx("Testo"))
    )
    client.force_login(world.users["wg_member"])
    response = client.get(_url(document, 1, 2))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="not-comparable-title"' in html and "PDF" in html
    assert reverse("materials:version_file", args=[document.versions.get(number=1).pk]) in html
    assert reverse("materials:version_file", args=[second.pk]) in html
    assert "<ins>" not in html.split('id="compare-legend"')[0].split("</h1>")[-1]


@pytest.mark.django_db
@pytest.mark.parametrize(("da", "a"), [(1, 1), (1, 9), ("x", 2), (0, 2), (1, None), ("", "")])
def test_compare_bad_parameters(client, world, da, a):
    member = fresh(world.users["wg_member"])
    document = services.create_document(member, world.group, title="B", kind="text", body="Uno")
    services.add_version(member, document, body="Due")
    client.force_login(world.users["wg_member"])
    response = client.get(_url(document, da, a))
    assert response.status_code == 400
    assert 'id="compare-error"' in response.content.decode()


@pytest.mark.django_db
def test_compare_single_version_and_outsiders(client, world):
    member = fresh(world.users["wg_member"])
    document = services.create_document(member, world.group, title="B", kind="text", body="Uno")
    client.force_login(world.users["wg_member"])
    response = client.get(_url(document))
    assert response.status_code == 200 and 'id="compare-error"' in response.content.decode()
    services.add_version(member, document, body="Due")
    for key in ("participant", "other_member", "staff"):
        client.logout()
        client.force_login(world.users[key])
        assert client.get(_url(document, 1, 2)).status_code == 404, key
    client.logout()
    assert client.get(_url(document, 1, 2)).status_code == 302
