"""The check on a resource's uploaded file: the same rules as an application's documents.

Size, and type judged by the file's content (applications.uploads), never by its name,
so a renamed executable is refused however it is called.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from applications.uploads import (
    EMPTY,
    MAX_DOCUMENT_BYTES,
    TOO_LARGE,
    WRONG_TYPE,
    sniff_document_type,
)

from .errors import FileRefused


def resource_file_check(*, upload: UploadedFile) -> str:
    """The file's real content type; FileRefused (with the reason) if it may not be stored."""
    size = upload.size or 0
    if size == 0:
        raise FileRefused(EMPTY)
    if size > MAX_DOCUMENT_BYTES:
        raise FileRefused(TOO_LARGE)
    content_type = sniff_document_type(upload) if upload.file is not None else None
    if content_type is None:
        raise FileRefused(WRONG_TYPE)
    return content_type
