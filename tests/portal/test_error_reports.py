"""With SENTRY_DSN set, an unhandled error is reported, with no personal data in it.

A loopback HTTP server stands in for Sentry's ingest; a separate process starts the portal
from its production-like environment (as gunicorn would), posts a form with an email, a
password and cookies to a view that fails, and waits for the SDK to deliver.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.harness import ROOT

from .failing_urls import FAILURE
from .test_settings import PRODUCTION_ENV

EMAIL = "amira.khan@example.org"
PASSWORD = "correct-horse-battery-staple-42"
COOKIE = "cookie-value-that-must-stay-home"
REQUEST_ID = "ingress-7f3a9c"

# Through Django's real WSGI application, as gunicorn calls it (werkzeug builds the
# request), so the SDK sees what it would see in production.
POST_TO_THE_FAILING_VIEW = f"""
import django
django.setup()
import sentry_sdk
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings
from werkzeug.test import Client

# Production serves collected, hashed static files; this run has not collected them.
STATIC = {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(
    ROOT_URLCONF="tests.portal.failing_urls",
    STORAGES={{**settings.STORAGES, "staticfiles": STATIC}},
):
    client = Client(get_wsgi_application())
    client.set_cookie("remember_me", {COOKIE!r}, domain="testserver")
    response = client.post(
        "/fail-on-purpose/?email={EMAIL}",
        base_url="https://testserver",
        data={{"email": {EMAIL!r}, "password": {PASSWORD!r}}},
        headers={{"X-Request-ID": {REQUEST_ID!r}, "Authorization": "Token {PASSWORD}"}},
    )
print("status", response.status_code, "sentry", sentry_sdk.get_client().is_active())
sentry_sdk.flush(timeout=10)
"""


class Ingest(BaseHTTPRequestHandler):
    received: list[bytes]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.server.received.append(body)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def ingest() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _post_to_the_failing_view(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", POST_TO_THE_FAILING_VIEW],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            **PRODUCTION_ENV,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "sqlite://:memory:",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _events(envelopes: list[bytes]) -> list[dict[str, Any]]:
    """The event items of Sentry envelopes: a header line, then item header and payload lines."""
    events = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_an_unhandled_error_reaches_sentry_without_personal_data(ingest) -> None:
    port = ingest.server_address[1]
    outcome = _post_to_the_failing_view(
        {"SENTRY_DSN": f"http://public-key@127.0.0.1:{port}/1", "SENTRY_ENVIRONMENT": "staging"}
    )

    assert outcome == "status 500 sentry True"
    [event] = _events(ingest.received)
    assert event["exception"]["values"][-1]["value"] == FAILURE
    assert event["environment"] == "staging"
    assert event["tags"]["request_id"] == REQUEST_ID
    assert event["request"]["url"] == "https://testserver/fail-on-purpose/"
    assert event["request"]["method"] == "POST"
    assert "X-Request-Id" in event["request"]["headers"]
    raw = b"".join(ingest.received).decode()
    for secret in (EMAIL, PASSWORD, COOKIE, "amira.khan"):
        assert secret not in raw
    assert "cookies" not in event["request"] and "data" not in event["request"]
    assert "user" not in event


def test_without_a_dsn_nothing_is_started_or_sent(ingest) -> None:
    outcome = _post_to_the_failing_view({})

    assert outcome == "status 500 sentry False"
    assert ingest.received == []
