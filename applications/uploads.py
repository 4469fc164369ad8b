"""Checks on uploaded documents: size, and type judged by the file's content, not its name."""

from __future__ import annotations

import zipfile
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS = 5

TOO_LARGE = _("The file must be smaller than 5 MB.")
EMPTY = _("The file is empty.")
WRONG_TYPE = _("The file must be a PDF or a Word document (.pdf, .docx or .doc).")
TOO_MANY = _("You can upload up to 5 documents. Delete one to add another.")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", DOC: ".doc"}

_OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def sniff_document_type(stream: IO[bytes] | Any) -> str | None:
    """The real type of a PDF or Word file, or None for anything else (renamed files included)."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == _OLE_SIGNATURE:
        return DOC
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None
