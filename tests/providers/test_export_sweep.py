"""Background exports survive a dead broker and a dead worker, and are built once."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from providers import services, tasks
from providers.models import ExportJob, ExportRecord
from providers.views import EXPORT_QUEUED
from tests.notifications.broker import unreachable_broker

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db


def _job(side: Side, **fields: Any) -> ExportJob:
    job = ExportJob.objects.create(
        provider=side.provider, requested_by=side.user, format="csv", cohort=side.cohort
    )
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def _long_ago() -> dt.datetime:
    """Longer ago than any worker may hold a task (the hard time limit)."""
    return timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)


@pytest.fixture
def queued(monkeypatch: Any) -> list[tuple[str, tuple[Any, ...]]]:
    """Every task the code asks to queue, still run (eagerly) as it would be."""
    from portal import background

    calls: list[tuple[str, tuple[Any, ...]]] = []
    real = background.enqueue

    def recording(task_name: str, *args: Any) -> bool:
        calls.append((task_name, args))
        return real(task_name, *args)

    monkeypatch.setattr(background, "enqueue", recording)
    return calls


@pytest.mark.django_db(transaction=True)
def test_starting_an_export_with_the_broker_down_answers_and_the_sweep_builds_it(
    a: Side,
) -> None:
    enrol(a.cohort, full_name="Amira Khan")
    url = reverse("provider:cohort_export", args=[a.cohort.pk])

    with unreachable_broker():
        response = a.client.post(url, {"format": "csv", "background": "1"}, follow=True)

    job = ExportJob.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("provider:export_job", args=[job.pk]), 302)]
    assert str(EXPORT_QUEUED) in response.content.decode()
    assert job.status == ExportJob.Status.PENDING
    assert not ExportRecord.objects.exists()

    # A couple of minutes later, with the broker back, the sweep queues it.
    ExportJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - services.PENDING_REQUEUE_AFTER - dt.timedelta(seconds=1)
    )
    assert tasks.export_jobs_sweep_task() == {"queued": 1, "restarted": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert ExportRecord.objects.get().row_count == 1


def test_the_sweep_queues_a_forgotten_job_once_when_run_twice(
    a: Side, queued: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    enrol(a.cohort)
    forgotten = _job(a, queued_at=timezone.now() - services.PENDING_REQUEUE_AFTER * 2)
    just_asked = _job(a)

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.export_jobs_sweep()

    assert queued == [("providers.tasks.export_build_task", (forgotten.pk,))]
    forgotten.refresh_from_db()
    just_asked.refresh_from_db()
    assert forgotten.status == ExportJob.Status.DONE
    assert just_asked.status == ExportJob.Status.PENDING  # its own task is still on its way
    assert ExportRecord.objects.count() == 1


def test_a_build_whose_worker_died_is_started_again_once(
    a: Side, queued: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    enrol(a.cohort)
    job = _job(a, status=ExportJob.Status.RUNNING, attempts=1, heartbeat_at=_long_ago())

    with django_capture_on_commit_callbacks(execute=True):
        first = services.export_jobs_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.export_jobs_sweep()

    assert (first.restarted, second.restarted, second.failed) == (1, 0, 0)
    assert queued == [("providers.tasks.export_build_task", (job.pk,))]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.row_count) == (ExportJob.Status.DONE, 2, 1)
    assert ExportRecord.objects.count() == 1


def test_a_build_that_dies_twice_fails_with_a_reason_for_the_page(
    a: Side, queued: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(a, status=ExportJob.Status.RUNNING, attempts=2, heartbeat_at=_long_ago())

    with django_capture_on_commit_callbacks(execute=True):
        assert services.export_jobs_sweep().failed == 1
    job.refresh_from_db()
    finished_at = job.finished_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.export_jobs_sweep() == services.ExportSweep(0, 0, 0)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.finished_at == finished_at is not None
    assert queued == []
    status = a.client.get(reverse("provider:export_status", args=[job.pk])).json()
    assert status == {"status": "failed", "percent": 0, "reason": str(services.EXPORT_STALLED)}


def test_a_build_that_is_still_making_progress_is_left_alone(a: Side, queued: list[Any]) -> None:
    recently = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT - 30)
    job = _job(a, status=ExportJob.Status.RUNNING, attempts=1, heartbeat_at=recently)

    assert services.export_jobs_sweep() == services.ExportSweep(0, 0, 0)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING
    assert queued == []


def test_progress_is_a_heartbeat(a: Side, monkeypatch: Any) -> None:
    monkeypatch.setattr("providers.services.PROGRESS_EVERY", 1)
    enrol(a.cohort)
    job = _job(a, heartbeat_at=_long_ago())
    beats: list[dt.datetime | None] = []
    real_chunks = services.csv_chunks

    def watched(rows: Any) -> Any:
        for chunk in real_chunks(rows):
            beats.append(ExportJob.objects.get(pk=job.pk).heartbeat_at)
            yield chunk

    monkeypatch.setattr("providers.services.csv_chunks", watched)
    started = timezone.now()
    services.export_job_build(job_id=job.pk)
    assert beats and all(beat is not None and beat >= started for beat in beats)


def test_a_build_given_up_for_dead_keeps_no_file_when_it_finishes(
    a: Side, monkeypatch: Any
) -> None:
    """A worker the sweep thought dead finishes after all: its file is thrown away."""
    enrol(a.cohort)
    job = _job(a)
    real_chunks = services.csv_chunks

    def slow_worker(rows: Any) -> Any:
        yield from real_chunks(rows)
        # Meanwhile the sweep gave the job up and a second attempt claimed it.
        ExportJob.objects.filter(pk=job.pk).update(attempts=2, heartbeat_at=timezone.now())

    monkeypatch.setattr("providers.services.csv_chunks", slow_worker)

    with pytest.raises(services.ExportJobSuperseded):
        services.export_job_build(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.file.name) == (ExportJob.Status.RUNNING, 2, "")
    assert list(Path(settings.PRIVATE_STORAGE_ROOT).rglob("*.csv")) == []
    assert not ExportRecord.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_job_build_one_file(a: Side) -> None:
    enrol(a.cohort)
    job = _job(a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            services.export_job_build(job_id=job.pk)
            outcomes.append("built")
        except services.ExportJobNotPending:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["built", "refused"]
    assert ExportRecord.objects.count() == 1
