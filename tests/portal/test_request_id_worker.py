"""On a real worker (Redis, PostgreSQL), a task logs under the id of the request that queued it."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from portal.celery import app as celery_app
from portal.request_id import request_id_var
from providers.tasks import export_build_task
from tests.harness import WorkerProcess, celery_worker

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NO_SUCH_JOB = 987654321


def _task_lines(worker: WorkerProcess, job_id: int) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in worker.log().splitlines() if line[:1] == "{"]
    return [
        line
        for line in lines
        if line.get("logger") == "providers.tasks" and str(job_id) in str(line.get("message"))
    ]


def _wait_for_line(worker: WorkerProcess, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if found := _task_lines(worker, job_id):
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"the task never logged about job {job_id}:\n{worker.log()}")


def test_a_task_logs_as_json_under_the_request_id_that_queued_it() -> None:
    celery_app.conf.task_always_eager = False
    with celery_worker(extra_env={"LOG_FORMAT": "json"}) as worker:
        token = request_id_var.set("req-from-the-web-1")
        try:
            sent = export_build_task.delay(NO_SUCH_JOB)
        finally:
            request_id_var.reset(token)
        from_request = _wait_for_line(worker, NO_SUCH_JOB)

        unrelated = export_build_task.delay(NO_SUCH_JOB + 1)
        from_elsewhere = _wait_for_line(worker, NO_SUCH_JOB + 1)

    assert from_request["request_id"] == "req-from-the-web-1", sent.id
    assert from_elsewhere["request_id"] == unrelated.id
