"""Where documents live: a folder outside MEDIA_ROOT and STATIC_ROOT, with no URL at all."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateDocumentStorage(FileSystemStorage):
    """Files are only ever streamed by views that check who is asking."""

    def __init__(self) -> None:
        # Owner-only: another account on the server has no business reading them.
        super().__init__(
            base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
        )

    # Read the setting on each use rather than once, so tests can point it elsewhere.
    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        import os

        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private documents have no URL; serve them through a view.")


private_document_storage = PrivateDocumentStorage()
