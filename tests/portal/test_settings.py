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
    # Read, never connected to, by these tests: production runs with Redis.
    "REDIS_URL": "redis://cache.internal:6379/1",
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


def test_deploy_check_passes_with_error_reports_and_json_logs_on() -> None:
    env = {
        **PRODUCTION_ENV,
        # Never sent to: the check starts the SDK but nothing fails.
        "SENTRY_DSN": "http://public-key@127.0.0.1:9/1",
        "SENTRY_ENVIRONMENT": "staging",
        "SENTRY_TRACES_SAMPLE_RATE": "0.1",
        "LOG_FORMAT": "json",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unknown_log_format_stops_start_up() -> None:
    result = _run("import django; django.setup()", {**PRODUCTION_ENV, "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr


def test_missing_secret_key_stops_start_up_with_a_clear_message() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_redis_stops_start_up_unless_asked_for_by_name() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    refused = _run("import django; django.setup()", env)
    assert refused.returncode != 0
    assert "REDIS_URL is not set" in refused.stderr

    allowed = _settings({**env, "ALLOW_NO_REDIS": "1"}, "CELERY_TASK_ALWAYS_EAGER")
    assert allowed["CELERY_TASK_ALWAYS_EAGER"] == "True"


def test_hsts_reaches_beyond_this_site_only_when_switched_on() -> None:
    default = _settings(
        PRODUCTION_ENV,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_HSTS_SECONDS",
    )
    assert default == {
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
        "SECURE_HSTS_PRELOAD": "False",
        "SECURE_HSTS_SECONDS": "31536000",
    }
    opted_in = _settings(
        {**PRODUCTION_ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"},
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SILENCED_SYSTEM_CHECKS",
    )
    assert opted_in == {
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "True",
        "SILENCED_SYSTEM_CHECKS": "[]",
    }


def test_the_admin_is_served_where_the_environment_says() -> None:
    code = (
        "import django; django.setup(); from django.urls import reverse; "
        "print(reverse('admin:index'))"
    )
    result = _run(code, {**PRODUCTION_ENV, "ADMIN_PATH": "/back-office-7f3k/"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/back-office-7f3k/"


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


def _database(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(json.dumps({k: d[k] for k in "
        "('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS')}))"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgres_keeps_connections_with_health_checks_by_default() -> None:
    postgres = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://portal:pw@db.internal:5432/portal"}
    assert _database(postgres) == {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
    }
    assert _database({"DEBUG": "1", "PATH": "/usr/bin:/bin"})["CONN_MAX_AGE"] == 0


def test_connection_settings_come_from_the_environment() -> None:
    behind_pgbouncer = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://portal:pw@pgbouncer.internal:6432/portal",
        "CONN_MAX_AGE": "300",
        "CONN_HEALTH_CHECKS": "0",
        "DISABLE_SERVER_SIDE_CURSORS": "1",
    }
    assert _database(behind_pgbouncer) == {
        "CONN_MAX_AGE": 300,
        "CONN_HEALTH_CHECKS": False,
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }
