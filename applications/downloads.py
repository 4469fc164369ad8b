"""How a supporting document leaves the portal: as an attachment nobody caches or sniffs."""

from __future__ import annotations

from django.http import FileResponse

from .models import SupportingDocument


def document_file_response(document: SupportingDocument) -> FileResponse:
    """The file of a document the caller has already checked the requester may see."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
