"""A CSV file of invitations: checked and previewed, confirmed, then invited by a worker.

preview → (confirm) queued → (worker) running → done, or failed if the job
broke; a preview can be discarded instead. The rows judged at upload are kept
on the import, so what is confirmed is exactly what was shown.

The worker invites the "invite" rows a few at a time. Each batch is one
transaction that holds the import's row lock, invites through
`invitation_create` (which locks the cohort and checks places), and records
each row's outcome and the new `processed` count, so the report always
matches what was committed. A run that stops half way (a crash, a worker
killed, its time budget spent) leaves the rows it finished recorded; the next
run starts after them, so nobody is invited twice, and two runs at once take
turns on the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, User
from portal.background import enqueue_on_commit
from programmes.models import AdmissionMode, Cohort

from ...errors import ApplicationError
from ...models import InvitationImport
from .create import (
    COHORT_CANCELLED,
    NOT_BY_INVITATION,
    CohortCancelled,
    InvitationError,
    NotByInvitation,
    invitation_create,
)
from .rows import INVITE, ROW_ALREADY_INVITED, invitation_rows_check

logger = logging.getLogger(__name__)

Status = InvitationImport.Status
RUN_TASK = "applications.tasks.invitation_import_run_task"
INVITED, NOT_INVITED = "invited", "not_invited"
# Rows per transaction: few enough that the cohort is not held for long, enough
# that rewriting the report after each batch stays cheap for a 2,000-row file.
BATCH_ROWS = 10
# A run hands on to a fresh task after this long, well inside Celery's soft
# time limit, so a large file never runs into it.
TIME_BUDGET_SECONDS = 60.0
# A confirmed import still waiting this long has probably lost its task (the
# broker was down, or lost the message): the sweep queues it again.
REQUEUE_AFTER = dt.timedelta(minutes=2)

NOT_IN_PREVIEW = _(
    "This file has already been confirmed or discarded, so nothing was changed. "
    "The page shows where it is now."
)
NOTHING_TO_INVITE = _("Nobody in this file can be invited, so there is nothing to confirm.")
NO_ACTOR = _("The account of the person who confirmed this file has been closed.")


class ImportNotInPreview(InvitationError):
    pass


class NothingToInvite(InvitationError):
    pass


def _ensure_cohort_takes_invitations(cohort: Cohort) -> None:
    if cohort.programme.admission_mode != AdmissionMode.INVITATION:
        raise NotByInvitation(NOT_BY_INVITATION)
    if cohort.is_cancelled:
        raise CohortCancelled(COHORT_CANCELLED)


def invitation_import_create(
    *, cohort: Cohort, rows: Iterable[Mapping[Any, Any]], file_name: str, by: User
) -> InvitationImport:
    """Judge every row and keep the result for the preview. Nobody is invited yet."""
    _ensure_cohort_takes_invitations(cohort)
    checked = invitation_rows_check(cohort=cohort, rows=rows)
    return InvitationImport.objects.create(
        cohort=cohort,
        created_by=by,
        file_name=file_name[:255],
        rows=checked,
        total=sum(1 for row in checked if row["verdict"] == INVITE),
    )


def _lock(pk: int) -> InvitationImport:
    return InvitationImport.objects.select_for_update(of=("self",)).get(pk=pk)


def invitation_import_confirm(*, invitation_import: InvitationImport, by: User) -> InvitationImport:
    """Queue the invitations shown in the preview. Refused unless it is still a preview.

    A second confirmation (a double click, a replayed form, another tab) finds
    the import queued already and changes nothing.
    """
    with transaction.atomic():
        locked = _lock(invitation_import.pk)
        if locked.status != Status.PREVIEW:
            raise ImportNotInPreview(NOT_IN_PREVIEW)
        cohort = Cohort.objects.select_related("programme").get(pk=locked.cohort_id)
        _ensure_cohort_takes_invitations(cohort)
        if locked.total == 0:
            raise NothingToInvite(NOTHING_TO_INVITE)
        locked.status = Status.QUEUED
        locked.confirmed_by = by
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        enqueue_on_commit(RUN_TASK, locked.pk)
    return locked


def invitation_import_discard(*, invitation_import: InvitationImport, by: User) -> InvitationImport:
    """Drop a preview nobody wants. Its rows go too: nobody in them was invited."""
    with transaction.atomic():
        locked = _lock(invitation_import.pk)
        if locked.status != Status.PREVIEW:
            raise ImportNotInPreview(NOT_IN_PREVIEW)
        locked.status = Status.DISCARDED
        locked.rows = []
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "rows", "finished_at"])
    return locked


# --- The job ---------------------------------------------------------------

RUNNABLE = frozenset({Status.QUEUED, Status.RUNNING, Status.FAILED})


def _outcome(row: Mapping[str, Any], outcome: str, why: str = "") -> dict[str, Any]:
    return {
        "line": row["line"],
        "full_name": row["full_name"],
        "email": row["email"],
        "local_authority": row.get("local_authority", ""),
        "appointed_on": row.get("appointed_on", ""),
        "outcome": outcome,
        "why": why,
    }


def _invite_row(
    *,
    row: Mapping[str, Any],
    cohort: Cohort,
    by: User | None,
    authorities: Mapping[int, LocalAuthority],
) -> dict[str, Any]:
    """Invite one row, or say why not. Domain refusals are outcomes, never errors."""
    if by is None:
        return _outcome(row, NOT_INVITED, str(NO_ACTOR))
    appointed_on = row.get("appointed_on")
    try:
        _application, created = invitation_create(
            cohort=cohort,
            full_name=row["full_name"],
            email=row["email"],
            local_authority=authorities.get(row.get("local_authority_id") or 0),
            appointed_on=dt.date.fromisoformat(appointed_on) if appointed_on else None,
            by=by,
        )
    except ApplicationError as error:
        # invitation_create's own transaction was rolled back: nothing of this row is left.
        return _outcome(row, NOT_INVITED, str(error))
    if not created:
        return _outcome(row, NOT_INVITED, str(ROW_ALREADY_INVITED))
    return _outcome(row, INVITED)


def _run_batch(pk: int) -> tuple[InvitationImport, bool]:
    """Invite the next few rows, under the import's lock. (import, rows remain)."""
    with transaction.atomic():
        job = _lock(pk)
        if job.status != Status.RUNNING:
            return job, False  # another run finished it meanwhile
        done = {entry["line"] for entry in job.report}
        todo = [row for row in job.rows if row["verdict"] == INVITE and row["line"] not in done]
        if not todo:
            job.status = Status.DONE
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "finished_at"])
            return job, False
        batch = todo[:BATCH_ROWS]
        cohort = Cohort.objects.select_related("programme").get(pk=job.cohort_id)
        by = job.confirmed_by or job.created_by
        wanted = {row["local_authority_id"] for row in batch if row.get("local_authority_id")}
        authorities = LocalAuthority.objects.in_bulk(wanted) if wanted else {}
        for row in batch:
            job.report.append(_invite_row(row=row, cohort=cohort, by=by, authorities=authorities))
        job.processed = len(job.report)
        more = len(todo) > len(batch)
        if not more:
            job.status = Status.DONE
            job.finished_at = timezone.now()
        job.save(update_fields=["report", "processed", "status", "finished_at"])
    return job, more


def _claim(pk: int) -> InvitationImport | None:
    with transaction.atomic():
        job = _lock(pk)
        if job.status not in RUNNABLE:
            return None
        if job.status != Status.RUNNING:
            job.status = Status.RUNNING
            job.finished_at = None
            job.save(update_fields=["status", "finished_at"])
    return job


def _hand_on(pk: int) -> None:
    """Out of time: queue a fresh run for the rest.

    The import goes back to queued, so if that task is lost the sweep finds it.
    """
    with transaction.atomic():
        job = _lock(pk)
        if job.status == Status.RUNNING:
            job.status = Status.QUEUED
            job.save(update_fields=["status"])
            enqueue_on_commit(RUN_TASK, job.pk)


def _fail(pk: int) -> None:
    try:
        InvitationImport.objects.filter(pk=pk, status=Status.RUNNING).update(
            status=Status.FAILED, finished_at=timezone.now()
        )
    except Exception:  # the database itself may be what broke
        logger.exception("Could not mark invitation import %s as failed", pk)


def invitation_import_run(
    *, import_id: int, time_budget: float = TIME_BUDGET_SECONDS
) -> InvitationImport | None:
    """Invite the confirmed rows not yet done. Safe to run again, and at the same time.

    Does nothing for an import that is a preview, discarded or done. Resumes one
    that is queued, running (its worker died) or failed. On an unexpected error
    the import is marked failed, with every finished row recorded, and the
    error raised for the task to log or retry.
    """
    started = time.monotonic()
    job = _claim(import_id)
    if job is None:
        return None
    try:
        while True:
            job, more = _run_batch(import_id)
            if not more:
                return job
            if time.monotonic() - started > time_budget:
                _hand_on(import_id)
                return job
    except Exception:
        _fail(import_id)
        raise


def invitation_imports_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again confirmed imports whose task never reached a worker. Returns how many.

    A task queued twice is harmless: runs take turns on the import's lock and
    each starts after the rows already done.
    """
    now = now or timezone.now()
    stale = InvitationImport.objects.filter(
        status=Status.QUEUED, confirmed_at__lte=now - REQUEUE_AFTER
    ).values_list("pk", flat=True)
    queued = 0
    for pk in stale:
        enqueue_on_commit(RUN_TASK, pk)
        queued += 1
    return queued
