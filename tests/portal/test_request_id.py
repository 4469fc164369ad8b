"""Every request has an id: in its X-Request-ID response header, on each log line it
causes (as JSON with LOG_FORMAT=json) and in the tasks it queues."""

from __future__ import annotations

import json
import logging
import uuid
from types import SimpleNamespace

import pytest

from portal.request_id import (
    HEADER,
    RequestIdFilter,
    _request_id_after_task,
    _request_id_for_task,
    _request_id_into_task_headers,
    current_request_id,
    request_id_var,
)

from .test_settings import PRODUCTION_ENV, _run

GOOD_ID = "lb-2f9c1e7a.01"

LOG_A_404 = f"""
import django
django.setup()
from django.test import Client
response = Client().get("/api/no-such-endpoint/", headers={{"X-Request-ID": %r}}, secure=True)
print("answered", response["{HEADER}"])
"""


def _json_log_of_a_404(sent_id: str) -> tuple[str, list[dict[str, object]]]:
    result = _run(
        LOG_A_404 % sent_id,
        {
            **PRODUCTION_ENV,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "sqlite://:memory:",
            "LOG_FORMAT": "json",
        },
    )
    assert result.returncode == 0, result.stderr
    answered = result.stdout.strip().splitlines()[-1].removeprefix("answered ")
    # Python's own warnings go to stderr too, as text; every log record is a JSON line.
    return answered, [json.loads(line) for line in result.stderr.splitlines() if line[:1] == "{"]


def test_with_log_format_json_a_request_logs_json_lines_under_its_own_id() -> None:
    answered, lines = _json_log_of_a_404(GOOD_ID)

    assert answered == GOOD_ID
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["request_id"] == GOOD_ID
    assert not_found["level"] == "WARNING"
    assert "Not Found: /api/no-such-endpoint/" in str(not_found["message"])
    assert "time" in not_found


@pytest.mark.parametrize(
    "bad_id",
    ["two words", "x" * 129, "-starts-with-a-dash", "quote\"and'semicolon;", "é-not-ascii"],
)
def test_an_unsafe_incoming_id_is_replaced_by_a_new_one(bad_id: str) -> None:
    answered, lines = _json_log_of_a_404(bad_id)

    assert answered != bad_id
    assert uuid.UUID(answered).version == 4
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["request_id"] == answered


def test_every_response_carries_the_id_and_a_new_one_each_time(client) -> None:
    first = client.get("/healthz")[HEADER]
    second = client.get("/healthz")[HEADER]

    assert uuid.UUID(first).version == 4 and uuid.UUID(second).version == 4
    assert first != second
    assert client.get("/healthz", headers={HEADER: GOOD_ID})[HEADER] == GOOD_ID
    assert current_request_id() is None


def test_a_refused_oversized_request_has_an_id_too(client, settings) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 10

    response = client.post("/api/v1/programmes/", data="x" * 100, content_type="text/plain")

    assert response.status_code == 413
    assert uuid.UUID(response[HEADER])


def test_records_outside_a_request_say_so_with_none() -> None:
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello", None, None)

    assert RequestIdFilter().filter(record) is True
    assert record.request_id is None  # type: ignore[attr-defined]


def test_a_task_carries_the_request_id_in_its_headers_and_logs_under_it() -> None:
    token = request_id_var.set(GOOD_ID)
    try:
        headers: dict[str, str] = {}
        _request_id_into_task_headers(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {"request_id": GOOD_ID}

    # On the worker the custom header is an attribute of task.request.
    task = SimpleNamespace(request=SimpleNamespace(request_id=GOOD_ID))
    _request_id_for_task(task_id="task-1", task=task)
    assert current_request_id() == GOOD_ID
    _request_id_after_task(task_id="task-1")
    assert current_request_id() is None


def test_a_task_queued_outside_a_request_logs_under_its_task_id() -> None:
    headers: dict[str, str] = {}
    _request_id_into_task_headers(headers=headers)
    assert headers == {}

    task = SimpleNamespace(request=SimpleNamespace())
    _request_id_for_task(task_id="task-2", task=task)
    assert current_request_id() == "task-2"
    _request_id_after_task(task_id="task-2")
    assert current_request_id() is None
