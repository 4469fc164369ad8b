"""Writes for the provider area: API tokens, export records and background export jobs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Programme, Provider

from .exports import csv_chunks, export_filename, write_xlsx
from .models import ExportFormat, ExportJob, ExportRecord, ProviderApiToken
from .selectors import enrolment_rows

# Above this many rows an export is built by a worker rather than streamed to the browser.
BACKGROUND_THRESHOLD = 5000
EXPORT_KEEP_FOR = dt.timedelta(days=7)
PROGRESS_EVERY = 1000
EXPORT_FAILED = _("The export could not be built. Please try again.")


class ExportJobNotPending(Exception):
    """The job has already been picked up: running it again would duplicate the file."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(*, provider: Provider, by: Any, name: str) -> tuple[ProviderApiToken, str]:
    """A new token and its key. The key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ProviderApiToken.objects.create(
        provider=provider, created_by=by, name=name, prefix=key[:8], key_hash=hash_key(key)
    )
    return token, key


def token_revoke(*, token: ProviderApiToken) -> ProviderApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
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
    """Queue a background export; the worker starts once this transaction commits."""
    from .tasks import export_build_task

    job = ExportJob.objects.create(
        provider=provider, requested_by=by, format=fmt, cohort=cohort, programme=programme
    )
    transaction.on_commit(lambda: export_build_task.delay(job.pk))
    return job


def _claim(job_id: int) -> ExportJob:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ExportJob.Status.PENDING:
            raise ExportJobNotPending(job_id)
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    return job


def export_job_build(*, job_id: int) -> ExportJob:
    """Build the job's file. Refuses a job that is not pending, so a redelivered
    task never builds a second file."""
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
                    ExportJob.objects.filter(pk=job.pk).update(
                        progress_percent=min(99, done * 100 // max(total, 1))
                    )

        with tempfile.TemporaryFile() as out:
            if job.format == ExportFormat.XLSX:
                write_xlsx(tracked(), out)
            else:
                for chunk in csv_chunks(tracked()):
                    out.write(chunk)
            out.seek(0)
            name = job.cohort.name if job.cohort else str(job.programme)
            job.file.save(export_filename(name, job.format), File(out), save=False)
    except Exception as exc:
        job.status = ExportJob.Status.FAILED
        job.failure_reason = f"{EXPORT_FAILED} ({type(exc).__name__})"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "failure_reason", "finished_at"])
        raise
    now = timezone.now()
    with transaction.atomic():
        job.status = ExportJob.Status.DONE
        job.progress_percent = 100
        job.row_count = done
        job.finished_at = now
        job.expires_at = now + EXPORT_KEEP_FOR
        job.save()
        export_record(
            provider=job.provider,
            fmt=job.format,
            via=ExportRecord.Via.BACKGROUND,
            row_count=done,
            user=job.requested_by,
            cohort=job.cohort,
            programme=job.programme,
        )
    return job


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
