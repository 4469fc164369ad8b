"""One id per request, on every log line it causes, in its response and in its tasks.

The middleware takes the caller's `X-Request-ID` when it is safe to repeat (short, plain
characters: a proxy's or a load balancer's id), or makes a UUID4, and holds it in a
context variable for the rest of the request. `RequestIdFilter` copies it onto every log
record, so a JSON log line (LOG_FORMAT=json) carries `request_id`. A task queued during
the request carries the id in its message headers and logs under it on the worker; a task
queued from anywhere else logs under its own task id.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

import sentry_sdk
from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# What a caller may choose: an id, not a place to smuggle text into logs or headers.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
TASK_HEADER = "request_id"

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


def request_id_from(value: str | None) -> str:
    """The caller's id if it is safe to repeat, else a new one."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    return str(uuid.uuid4())


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        # Kept until the request is finished (below), not only while the middleware
        # runs: Django logs "Not Found" and the like after the middleware has returned.
        request_id_var.set(request_id)
        # Lets an error report in Sentry be matched with its log lines (a no-op without it).
        sentry_sdk.set_tag("request_id", request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def _request_id_cleared(**_: Any) -> None:
    request_id_var.set(None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request or task) to every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


@signals.before_task_publish.connect
def _request_id_into_task_headers(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


_task_tokens: dict[str, Token[str | None]] = {}


@signals.task_prerun.connect
def _request_id_for_task(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    # The publishing request's id; a task run in the web process (eager) keeps the one it
    # is already under; otherwise the task's own id.
    from_headers = getattr(task.request, TASK_HEADER, None) if task is not None else None
    request_id = from_headers or request_id_var.get() or task_id
    if task_id is not None:
        _task_tokens[task_id] = request_id_var.set(request_id)


@signals.task_postrun.connect
def _request_id_after_task(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id is not None else None
    if token is None:
        return
    try:
        request_id_var.reset(token)
    except ValueError:  # set in another context: nothing of ours to restore there
        request_id_var.set(None)
