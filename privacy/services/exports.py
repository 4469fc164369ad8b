"""Download your data: ask, build the ZIP in the background, record every download, purge.

Built like the provider's background exports (providers/services.py): the task
claims a pending job under its row lock (so a redelivered task never builds twice),
beats while it works, and writes only while its attempt still owns the job; a sweep
queues again jobs whose task was lost and restarts, once, a build whose worker died.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.background import enqueue_on_commit

from ..models import DataExport, PrivacyEvent
from ..selectors import data_export_in_progress, document_path, personal_data

KEEP_FOR = dt.timedelta(days=7)
BUILD_TASK = "privacy.tasks.data_export_build_task"
PENDING_REQUEUE_AFTER = dt.timedelta(minutes=2)
STALE_MARGIN = dt.timedelta(minutes=1)
MAX_BUILD_ATTEMPTS = 2
EXPORT_FAILED = _("Your data could not be prepared. Please ask for it again.")
EXPORT_STALLED = _("Preparing your data stopped before it was finished. Please ask for it again.")


class DataExportNotPending(Exception):
    """The job has already been picked up: building it again would make a second file."""


class DataExportSuperseded(Exception):
    """The sweep gave this attempt up for dead while it was building; its file is dropped."""


@dataclass(frozen=True)
class DataExportSweep:
    queued: int
    restarted: int
    failed: int


def privacy_event_record(
    *,
    user: User | None,
    kind: str,
    export: DataExport | None = None,
    detail: dict[str, Any] | None = None,
) -> PrivacyEvent:
    return PrivacyEvent.objects.create(user=user, kind=kind, export=export, detail=detail or {})


def data_export_request(*, user: User) -> DataExport:
    """Queue a download of everything held about `user`; one at a time per person.

    Asking again while one is being prepared returns that one rather than starting
    a second. The task is queued after commit; if the broker cannot take it the job
    waits for the sweep.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing = data_export_in_progress(user=user)
        if existing is not None:
            return existing
        export = DataExport.objects.create(user=user)
        privacy_event_record(user=user, kind=PrivacyEvent.Kind.EXPORT_REQUESTED, export=export)
        enqueue_on_commit(BUILD_TASK, export.pk)
    return export


def _claim(export_id: int) -> DataExport:
    with transaction.atomic():
        export = DataExport.objects.select_for_update(of=("self",)).get(pk=export_id)
        if export.status != DataExport.Status.PENDING:
            raise DataExportNotPending(export_id)
        now = timezone.now()
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            progress_percent=0,
        )
        export.status, export.attempts = DataExport.Status.RUNNING, export.attempts + 1
        export.heartbeat_at, export.progress_percent = now, 0
    return export


def _still_ours(export: DataExport) -> Any:
    return DataExport.objects.filter(
        pk=export.pk, status=DataExport.Status.RUNNING, attempts=export.attempts
    )


def _beat(export: DataExport, percent: int) -> None:
    if not _still_ours(export).update(progress_percent=percent, heartbeat_at=timezone.now()):
        raise DataExportSuperseded(export.pk)


def data_export_build(*, export_id: int) -> DataExport:
    """Write data.json and every document into a ZIP in private storage."""
    export = _claim(export_id)
    try:
        held = personal_data(user=export.user)
        _beat(export, 10)
        with tempfile.TemporaryFile() as out:
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(
                    "data.json", json.dumps(held.data, indent=2, ensure_ascii=False, default=str)
                )
                total = max(len(held.documents), 1)
                for done, document in enumerate(held.documents, start=1):
                    with (
                        document.file.open("rb") as source,
                        archive.open(document_path(document), "w") as target,
                    ):
                        shutil.copyfileobj(source, target, 64 * 1024)
                    _beat(export, 10 + 89 * done // total)
            size = out.tell()
            out.seek(0)
            name = f"your-data-{timezone.localdate():%Y-%m-%d}.zip"
            export.file.save(name, File(out), save=False)
    except DataExportSuperseded:
        raise
    except Exception as exc:
        _still_ours(export).update(
            status=DataExport.Status.FAILED,
            failure_reason=f"{EXPORT_FAILED} ({type(exc).__name__})",
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        superseded = not _still_ours(export).select_for_update(of=("self",)).exists()
        if not superseded:
            export.status = DataExport.Status.DONE
            export.progress_percent = 100
            export.size = size
            export.heartbeat_at = export.finished_at = now
            export.expires_at = now + KEEP_FOR
            export.save(
                update_fields=[
                    "status",
                    "progress_percent",
                    "size",
                    "heartbeat_at",
                    "finished_at",
                    "expires_at",
                    "file",
                ]
            )
            privacy_event_record(
                user=export.user, kind=PrivacyEvent.Kind.EXPORT_READY, export=export
            )
    if superseded:
        export.file.delete(save=False)
        raise DataExportSuperseded(export.pk)
    return export


def data_export_downloaded(*, export: DataExport, by: User) -> PrivacyEvent:
    """Record that the owner took the file (the view has checked it is theirs)."""
    return privacy_event_record(user=by, kind=PrivacyEvent.Kind.EXPORT_DOWNLOADED, export=export)


def data_exports_sweep(*, now: dt.datetime | None = None) -> DataExportSweep:
    """Recover downloads nothing is working on (see providers.services.export_jobs_sweep)."""
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - STALE_MARGIN
    queued = restarted = failed = 0
    locked = DataExport.objects.select_for_update(skip_locked=True, of=("self",)).order_by("pk")
    with transaction.atomic():
        for export in locked.filter(
            status=DataExport.Status.PENDING, queued_at__lte=now - PENDING_REQUEUE_AFTER
        ):
            export.queued_at = now
            export.save(update_fields=["queued_at"])
            enqueue_on_commit(BUILD_TASK, export.pk)
            queued += 1
        for export in locked.filter(status=DataExport.Status.RUNNING).filter(
            Q(heartbeat_at__lt=stale_before)
            | Q(heartbeat_at__isnull=True, created_at__lt=stale_before)
        ):
            if export.attempts < MAX_BUILD_ATTEMPTS:
                export.status = DataExport.Status.PENDING
                export.progress_percent = 0
                export.queued_at = now
                export.save(update_fields=["status", "progress_percent", "queued_at"])
                enqueue_on_commit(BUILD_TASK, export.pk)
                restarted += 1
            else:
                export.status = DataExport.Status.FAILED
                export.failure_reason = str(EXPORT_STALLED)
                export.finished_at = now
                export.save(update_fields=["status", "failure_reason", "finished_at"])
                failed += 1
    return DataExportSweep(queued=queued, restarted=restarted, failed=failed)


def _file_drop(export: DataExport) -> None:
    stored = export.file
    export.file = ""
    export.save(update_fields=["file"])
    transaction.on_commit(lambda: stored.storage.delete(stored.name), robust=True)


def data_exports_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired downloads; the rows stay as the record. Runs nightly."""
    now = now or timezone.now()
    purged = 0
    with transaction.atomic():
        for export in (
            DataExport.objects.select_for_update(skip_locked=True)
            .filter(expires_at__lte=now)
            .exclude(file="")
        ):
            _file_drop(export)
            privacy_event_record(
                user=export.user, kind=PrivacyEvent.Kind.EXPORT_PURGED, export=export
            )
            purged += 1
    return purged


def data_exports_drop_for(*, user: User) -> int:
    """Delete every download file of `user` now (their account is being erased)."""
    dropped = 0
    for export in DataExport.objects.select_for_update().filter(user=user):
        if export.file:
            _file_drop(export)
            dropped += 1
        if export.in_progress:
            # A build still to run would gather the erased account; it finds nothing pending.
            export.status = DataExport.Status.FAILED
            export.failure_reason = ""
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "failure_reason", "finished_at"])
    return dropped
