"""Export files live beside uploaded documents, outside any public URL."""

from __future__ import annotations

from applications.storage import PrivateDocumentStorage


class PrivateExportStorage(PrivateDocumentStorage):
    """Files are only ever served by a view that checks the provider and the expiry."""

    def url(self, name: str | None) -> str:
        raise ValueError("Exports have no URL; serve them through a view.")


_storage = PrivateExportStorage()


def export_storage() -> PrivateExportStorage:
    # A callable, so migrations name the function rather than freezing an instance.
    return _storage
