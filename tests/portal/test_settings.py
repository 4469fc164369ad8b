"""Configuration comes from the environment, with safe defaults and a strict production shape."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.harness import ROOT

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-and-random-production-secret-for-tests-Zq8v2Lr9Xw4Tn7Kp3Hc6",
    "ALLOWED_HOSTS": "portal.example.org",
    "PATH": "/usr/bin:/bin",
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: str(getattr(s, n)) for n in {list(names)!r}}}))"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_passes_with_debug_off() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_stops_start_up_with_a_clear_message() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_defaults_are_sqlite_eager_tasks_and_local_cache() -> None:
    values = _settings(
        {"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        "DATABASES",
        "CELERY_TASK_ALWAYS_EAGER",
        "CACHES",
        "EMAIL_DELIVERY_BACKEND",
    )
    assert "sqlite3" in str(values["DATABASES"])
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert "LocMemCache" in str(values["CACHES"])
    assert "console" in str(values["EMAIL_DELIVERY_BACKEND"])


def test_database_and_redis_urls_give_the_production_shape() -> None:
    values = _settings(
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": "postgres://portal:pw@db.internal:5432/portal",
            "REDIS_URL": "redis://cache.internal:6379/1",
            "EMAIL_URL": "smtp://mail.internal:587",
        },
        "DATABASES",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_BROKER_URL",
        "CACHES",
        "EMAIL_DELIVERY_BACKEND",
        "PASSWORD_HASHERS",
        "SECURE_SSL_REDIRECT",
    )
    assert "django.db.backends.postgresql" in str(values["DATABASES"])
    assert "db.internal" in str(values["DATABASES"])
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "False"
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/1"
    assert "RedisCache" in str(values["CACHES"])
    assert "smtp.EmailBackend" in str(values["EMAIL_DELIVERY_BACKEND"])
    assert str(values["PASSWORD_HASHERS"]).startswith("['django.contrib.auth.hashers.Argon2")
    assert values["SECURE_SSL_REDIRECT"] == "True"
