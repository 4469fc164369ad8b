"""GET /healthz names each dependency and its state; 503 when the database is down."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.harness import ROOT


@pytest.mark.django_db
def test_healthz_reports_each_dependency(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body["dependencies"]) == {"database", "cache", "broker"}
    assert body["dependencies"]["database"]["state"] == "ok"
    assert body["dependencies"]["cache"]["state"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_answers_plain_http_where_everything_else_is_sent_to_https(
    client, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/programmes/").status_code == 301


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_sees_a_live_broker(client) -> None:
    body = client.get("/healthz").json()
    assert body["dependencies"]["broker"] == {"state": "ok"}
    assert body["status"] == "ok"


def test_healthz_is_503_when_the_database_does_not_answer() -> None:
    # A real process pointed at a PostgreSQL port where nothing listens.
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "503", result.stderr
    parsed = json.loads(body)
    assert parsed["status"] == "unavailable"
    # The public body says what is down, never which exception a driver raised.
    assert parsed["dependencies"]["database"] == {"state": "unavailable"}
    assert "Error" not in body
