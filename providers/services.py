"""Writes for the provider area: API tokens, export records and background export jobs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import tempfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import acting_as
from portal.background import enqueue_on_commit
from programmes.models import Cohort, Programme, Provider

from .exports import csv_chunks, export_filename, write_xlsx
from .models import ExportFormat, ExportJob, ExportRecord, ProviderApiToken
from .selectors import enrolment_rows

# Above this many rows an export is built by a worker rather than streamed to the browser.
BACKGROUND_THRESHOLD = 5000
EXPORT_KEEP_FOR = dt.timedelta(days=7)
PROGRESS_EVERY = 1000
EXPORT_FAILED = _("The export could not be built. Please try again.")
EXPORT_STALLED = _(
    "The export stopped before it was finished. Please try again, or export one cohort at a time."
)
BUILD_TASK = "providers.tasks.export_build_task"
# A job still waiting this long after it was queued has probably lost its task
# (the broker was down, or lost the message): the sweep queues it again.
PENDING_REQUEUE_AFTER = dt.timedelta(minutes=2)
# Added to the task's hard time limit before a silent build counts as dead, so
# a worker just finishing its last write is not taken for lost.
STALE_MARGIN = dt.timedelta(minutes=1)
# A build whose worker died is tried once more: workers die in deploys and
# restarts, which a second attempt survives. A build that dies twice is most
# likely too big to finish within the time limit, so a third would only hold a
# worker for as long again; it fails with a reason the person can act on.
MAX_BUILD_ATTEMPTS = 2


class ExportJobNotPending(Exception):
    """The job has already been picked up: running it again would duplicate the file."""


class ExportJobSuperseded(Exception):
    """The sweep gave this attempt up for dead while it was building; its file is dropped."""


@dataclass(frozen=True)
class ExportSweep:
    queued: int
    restarted: int
    failed: int


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(
    *, provider: Provider, by: Any, name: str, valid_for: dt.timedelta | None = None
) -> tuple[ProviderApiToken, str]:
    """A new token and its key. The key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    with acting_as(by):
        token = ProviderApiToken.objects.create(
            provider=provider,
            created_by=by,
            name=name,
            prefix=key[:8],
            key_hash=hash_key(key),
            expires_at=timezone.now() + valid_for if valid_for else None,
        )
    return token, key


def token_revoke(*, token: ProviderApiToken, by: Any) -> ProviderApiToken:
    """Stop a token working. It is kept, revoked, so its history and exports still name it."""
    with transaction.atomic():
        locked = ProviderApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            with acting_as(by):
                locked.save(update_fields=["revoked_at"])
    token.revoked_at = locked.revoked_at
    return token


def export_record(
    *,
    provider: Provider,
    fmt: str,
    via: str,
    row_count: int,
    user: Any = None,
    token: ProviderApiToken | None = None,
    cohort: Cohort | None = None,
    programme: Programme | None = None,
) -> ExportRecord:
    return ExportRecord.objects.create(
        provider=provider,
        user=user if user is not None and user.is_authenticated else None,
        token=token,
        cohort=cohort,
        programme=programme,
        format=fmt,
        via=via,
        row_count=row_count,
    )


def export_job_start(
    *,
    provider: Provider,
    by: Any,
    fmt: str,
    cohort: Cohort | None = None,
    programme: Programme | None = None,
) -> ExportJob:
    """Queue a background export; the worker starts once this transaction commits.

    If the broker cannot take the task the job simply waits: the sweep queues it.
    """
    job = ExportJob.objects.create(
        provider=provider, requested_by=by, format=fmt, cohort=cohort, programme=programme
    )
    enqueue_on_commit(BUILD_TASK, job.pk)
    return job


def _claim(job_id: int) -> ExportJob:
    """Mark a pending job as running, under its row lock. Each claim is a new attempt."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).get(pk=job_id)
        if job.status != ExportJob.Status.PENDING:
            raise ExportJobNotPending(job_id)
        now = timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            progress_percent=0,
        )
        # Exact, since the row is locked.
        job.status, job.attempts, job.heartbeat_at = ExportJob.Status.RUNNING, job.attempts + 1, now
        job.progress_percent = 0
    return job


def _still_ours(job: ExportJob) -> Any:
    return ExportJob.objects.filter(
        pk=job.pk, status=ExportJob.Status.RUNNING, attempts=job.attempts
    )


def export_job_build(*, job_id: int) -> ExportJob:
    """Build the job's file.

    Refuses a job that is not pending, so a redelivered task never builds a second
    file. Every write after the claim is made only while this attempt still owns
    the job: if the sweep took it for dead and handed it on, this attempt stops
    (at its next progress update, or at the end, dropping its file).
    """
    job = _claim(job_id)
    try:
        rows = enrolment_rows(provider=job.provider, cohort=job.cohort, programme=job.programme)
        total = rows.count()
        done = 0

        def tracked() -> Any:
            nonlocal done
            for values in rows.iterator(chunk_size=2000):
                yield values
                done += 1
                if done % PROGRESS_EVERY == 0:
                    # Progress is also the heartbeat the sweep looks for.
                    beat = _still_ours(job).update(
                        progress_percent=min(99, done * 100 // max(total, 1)),
                        heartbeat_at=timezone.now(),
                    )
                    if not beat:
                        raise ExportJobSuperseded(job.pk)

        with tempfile.TemporaryFile() as out:
            if job.format == ExportFormat.XLSX:
                write_xlsx(tracked(), out)
            else:
                for chunk in csv_chunks(tracked()):
                    out.write(chunk)
            out.seek(0)
            programme = job.cohort.programme if job.cohort else job.programme
            filename = export_filename(
                programme=programme.slug,  # type: ignore[union-attr]
                cohort=job.cohort.name if job.cohort else None,
                fmt=job.format,
            )
            job.file.save(filename, File(out), save=False)
    except ExportJobSuperseded:
        raise
    except Exception as exc:
        _still_ours(job).update(
            status=ExportJob.Status.FAILED,
            failure_reason=f"{EXPORT_FAILED} ({type(exc).__name__})",
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        if not _still_ours(job).select_for_update(of=("self",)).exists():
            superseded = True
        else:
            superseded = False
            job.status = ExportJob.Status.DONE
            job.progress_percent = 100
            job.row_count = done
            job.heartbeat_at = now
            job.finished_at = now
            job.expires_at = now + EXPORT_KEEP_FOR
            job.save(
                update_fields=[
                    "status",
                    "progress_percent",
                    "row_count",
                    "heartbeat_at",
                    "finished_at",
                    "expires_at",
                    "file",
                ]
            )
            export_record(
                provider=job.provider,
                fmt=job.format,
                via=ExportRecord.Via.BACKGROUND,
                row_count=done,
                user=job.requested_by,
                cohort=job.cohort,
                programme=job.programme,
            )
    if superseded:
        job.file.delete(save=False)
        raise ExportJobSuperseded(job.pk)
    return job


def export_jobs_sweep(*, now: dt.datetime | None = None) -> ExportSweep:
    """Recover background exports that nothing is working on.

    Queues again a job left waiting (its task never reached a worker), and
    restarts once, or fails with a reason for the page, a job whose worker died
    mid-build (no heartbeat for longer than any task may run). Rows are locked
    with SKIP LOCKED, so a job a worker is claiming right now is left to it, and
    each change is made once however many sweeps run.
    """
    now = now or timezone.now()
    # No worker holds a task past the hard time limit: a heartbeat older than
    # that means the build's worker is gone.
    stale_before = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - STALE_MARGIN
    queued = restarted = failed = 0
    locked = ExportJob.objects.select_for_update(skip_locked=True, of=("self",)).order_by("pk")
    with transaction.atomic():
        for job in locked.filter(
            status=ExportJob.Status.PENDING, queued_at__lte=now - PENDING_REQUEUE_AFTER
        ):
            job.queued_at = now
            job.save(update_fields=["queued_at"])
            enqueue_on_commit(BUILD_TASK, job.pk)
            queued += 1
        for job in locked.filter(status=ExportJob.Status.RUNNING).filter(
            Q(heartbeat_at__lt=stale_before)
            | Q(heartbeat_at__isnull=True, created_at__lt=stale_before)
        ):
            if job.attempts < MAX_BUILD_ATTEMPTS:
                job.status = ExportJob.Status.PENDING
                job.progress_percent = 0
                job.queued_at = now
                job.save(update_fields=["status", "progress_percent", "queued_at"])
                enqueue_on_commit(BUILD_TASK, job.pk)
                restarted += 1
            else:
                job.status = ExportJob.Status.FAILED
                job.failure_reason = str(EXPORT_STALLED)
                job.finished_at = now
                job.save(update_fields=["status", "failure_reason", "finished_at"])
                failed += 1
    return ExportSweep(queued=queued, restarted=restarted, failed=failed)


def export_jobs_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired exports; the job rows stay as history."""
    now = now or timezone.now()
    purged = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        purged += 1
    return purged
