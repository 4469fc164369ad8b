"""Every periodic job in the schedule names a task that exists."""

from __future__ import annotations

from django.conf import settings

from portal.celery import app


def test_every_scheduled_task_is_registered() -> None:
    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names <= set(app.tasks), names - set(app.tasks)
    assert len(names) == len(settings.CELERY_BEAT_SCHEDULE)


def test_background_exports_nobody_is_building_are_swept() -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "providers.tasks.export_jobs_sweep_task" in tasks


def test_confirmed_invitation_imports_nobody_is_running_are_swept() -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "applications.tasks.invitation_imports_sweep_task" in tasks
