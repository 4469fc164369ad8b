"""Adding and removing supporting documents on a draft application."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ..errors import NOT_EDITABLE, ApplicationLocked
from ..models import Application, ApplicationState, SupportingDocument
from ..uploads import (
    EMPTY,
    EXTENSIONS,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    TOO_LARGE,
    TOO_MANY,
    WRONG_TYPE,
    sniff_document_type,
)


class DocumentRefused(Exception):
    pass


def document_add(
    *, application: Application, kind: str, upload: UploadedFile
) -> SupportingDocument:
    size = upload.size or 0
    if size == 0:
        raise DocumentRefused(EMPTY)
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(TOO_LARGE)
    content_type = sniff_document_type(upload) if upload.file is not None else None
    if content_type is None:
        raise DocumentRefused(WRONG_TYPE)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != ApplicationState.DRAFT:
            raise ApplicationLocked(NOT_EDITABLE)
        if locked.documents.count() >= MAX_DOCUMENTS:
            raise DocumentRefused(TOO_MANY)
        document = SupportingDocument(
            application=locked,
            kind=kind,
            original_name=(upload.name or "document")[-200:],
            content_type=content_type,
            size=size,
        )
        # Stored under a random name: the applicant's file name never reaches the disk.
        document.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}", upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.storage.delete(document.file.name)
            raise
        _changed(locked)
    return document


def document_delete(*, document: SupportingDocument) -> None:
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=document.application_id)
        if locked.state != ApplicationState.DRAFT:
            raise ApplicationLocked(NOT_EDITABLE)
        name = document.file.name
        storage = document.file.storage
        document.delete()
        _changed(locked)
        transaction.on_commit(lambda: storage.delete(name))


def _changed(application: Application) -> None:
    # The application's version: a submission prepared before this change (outside its
    # lock) sees a new updated_at under the lock and checks the documents again.
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
