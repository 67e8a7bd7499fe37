"""``cms.uploads``: files recognised by their content. Images (PNG, JPEG) only where a caller
accepts them, verified by Pillow (damaged, truncated or oversized images are refused)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cms import uploads

IMAGES = (*uploads.FORMATS, *uploads.IMAGE_FORMATS)
MB = 1024 * 1024


def _image(fmt, size=(32, 16)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def _check(name, content, accepted=IMAGES):
    return uploads.validate_document_upload(
        SimpleUploadedFile(name, content), max_size=10 * MB, accepted=accepted
    )


@pytest.mark.parametrize(
    ("name", "fmt", "media_type"),
    [
        ("schermata.png", "PNG", "image/png"),
        ("foto.jpg", "JPEG", "image/jpeg"),
        ("foto.jpeg", "JPEG", "image/jpeg"),
        ("FOTO.JPG", "JPEG", "image/jpeg"),
    ],
)
def test_images_accepted_where_named(name, fmt, media_type):
    assert _check(name, _image(fmt)).media_type == media_type


def test_images_not_accepted_by_default():
    with pytest.raises(ValidationError) as info:
        uploads.validate_document_upload(
            SimpleUploadedFile("schermata.png", _image("PNG")), max_size=10 * MB
        )
    assert info.value.code == "bad_type"
    assert "PNG" not in uploads.ACCEPT and ".pdf" in uploads.ACCEPT


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rotta.png", _image("PNG")[:50]),  # truncated
        ("rotta.jpg", _image("JPEG", (400, 400))[:300]),  # truncated
        ("finta.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # a signature, nothing else
        ("finta.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 20),
        ("foto.png", _image("JPEG")),  # the name lies
        ("schermata.jpg", _image("PNG")),
        ("programma.png", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_damaged_or_mislabelled_images_refused(name, content):
    with pytest.raises(ValidationError) as info:
        _check(name, content)
    assert info.value.code == "bad_type"


def _png_header_only(width, height):
    """A PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb's
    shape: the data is tiny, the picture huge)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 16)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def test_oversized_image_refused():
    with pytest.raises(ValidationError):
        _check("enorme.png", _png_header_only(20_000, 20_000))


def test_documents_unchanged():
    assert _check("a.pdf", b"%PDF-1.4\n%%EOF\n").extension == "pdf"
    assert uploads.ALL_FORMATS["jpg"].extensions == ("jpg", "jpeg")
