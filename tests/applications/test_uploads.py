"""Uploaded files are judged by their content: a renamed program is not a PDF."""

from __future__ import annotations

import io

import pytest

from applications.storage import PrivateDocumentStorage
from applications.uploads import DOC, DOCX, PDF, sniff_document_type

from .documents import DOC_BYTES, EXE_BYTES, HTML_BYTES, PDF_BYTES, docx_bytes, zip_bytes


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (docx_bytes(), DOCX),
        (DOC_BYTES, DOC),
        (EXE_BYTES, None),
        (HTML_BYTES, None),
        (zip_bytes(), None),
        (b"PK\x03\x04 broken zip", None),
        (b"", None),
    ],
    ids=["pdf", "docx", "doc", "exe", "html", "other-zip", "broken-zip", "empty"],
)
def test_document_type_comes_from_the_content(content: bytes, expected: str | None) -> None:
    stream = io.BytesIO(content)
    assert sniff_document_type(stream) == expected
    assert stream.tell() == 0  # left ready for saving


def test_private_storage_has_no_public_url(settings, tmp_path) -> None:
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    storage = PrivateDocumentStorage()
    name = storage.save("documents/a.pdf", io.BytesIO(PDF_BYTES))
    assert (tmp_path / name).read_bytes() == PDF_BYTES
    assert not str(tmp_path).startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError):
        storage.url(name)
