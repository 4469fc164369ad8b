"""Export files live beside uploaded documents, outside any public URL."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateExportStorage(FileSystemStorage):
    """Files are only ever served by a view that checks the provider and the expiry."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    # Read the setting on each use so tests can point it at a temporary folder.
    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Exports have no URL; serve them through a view.")


_storage = PrivateExportStorage()


def export_storage() -> PrivateExportStorage:
    # A callable, so migrations name the function rather than freezing an instance.
    return _storage
