"""Error reports to Sentry, started from settings only when SENTRY_DSN is set.

Applicants' personal data must not leave for a third party in an error report. So no
default PII (no user, no address), no request bodies (form posts hold emails and
passwords), no local variables of stack frames (they hold the same), and `_scrub`
removes what is left that could: cookies, the query string, credential headers. The
scrubber's list gains `email` for anything that names it elsewhere in an event.
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

DROPPED_REQUEST_PARTS = ("cookies", "data", "query_string", "env")
DROPPED_HEADERS = frozenset({"cookie", "authorization", "x-csrftoken", "proxy-authorization"})
DENYLIST = [*DEFAULT_DENYLIST, "email", "email_address", "new_email", "key"]


def _scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for part in DROPPED_REQUEST_PARTS:
            request.pop(part, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in DROPPED_HEADERS
            }
    event.pop("user", None)
    return event


def sentry_start(
    *,
    dsn: str,
    environment: str,
    release: str | None,
    sample_rate: float,
    traces_sample_rate: float,
) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        sample_rate=sample_rate,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        event_scrubber=EventScrubber(
            denylist=DENYLIST, pii_denylist=DEFAULT_PII_DENYLIST, recursive=True
        ),
        before_send=_scrub,  # type: ignore[arg-type]
    )
