"""Export benchmark: 100,000 enrolments out of PostgreSQL, our streaming CSV against COPY.

Builds a fresh PostgreSQL schema with one provider, one programme, COHORTS cohorts and
ROWS enrolled people (users, profiles, applications with snapshots, and the events that
date their enrolment), all with bulk_create. Then, in this one process:

- COPY: PostgreSQL's own `COPY (SELECT …) TO STDOUT WITH CSV` of the very SQL our export
  runs (the queryset from providers.selectors.enrolment_rows), into a null sink;
- export: `GET /api/v1/enrolments/?programme=…&format=csv` through Django's test client
  with a provider token, every streamed chunk consumed and thrown away;

each REPEAT times (median reported), then the export once more under tracemalloc for the
peak Python memory, for the whole programme (ROWS) and for one cohort (ROWS / COHORTS), to
show memory does not grow with the number of rows. Prints the figures as JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_export_bench \\
        .venv/bin/python bench/export.py --rows 100000 --cohorts 10
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-that-is-long-and-random-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "EMAIL_URL": "memorymail://",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": "",
    "PYTHONWARNINGS": "ignore::UserWarning",
}
BATCH = 5000


class NullSink:
    """Where COPY writes: counts bytes, keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


def _ensure_database(database_url: str) -> None:
    import psycopg2

    parsed = urllib.parse.urlparse(database_url)
    conn = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        name = parsed.path.lstrip("/")
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _setup(rows: int, cohorts: int) -> tuple[Any, list[Any], str]:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)

    from accounts.models import LocalAuthority, Nation, Profile, User
    from applications.models import Application, ApplicationEvent, ApplicationState
    from programmes.models import Cohort, Programme, Provider, ProviderMembership
    from providers.services import token_create

    provider = Provider.objects.create(name="Bench provider", slug="bench-provider")
    programme = Programme.objects.create(
        title="Bench programme",
        slug="bench-programme",
        summary="s",
        description="d",
        audience="senior_leader",
        format="online",
        duration="6 months",
        cost_type="funded",
        admission_mode="first_come",
        accreditation="ILM Level 7",
        is_published=True,
    )
    programme.providers.add(provider)
    today = timezone.localdate()
    the_cohorts = [
        Cohort.objects.create(
            programme=programme,
            name=f"Cohort {n}",
            starts_on=today,
            capacity=rows,
            ends_on=today + dt.timedelta(days=90),
            delivery_mode="online",
        )
        for n in range(cohorts)
    ]
    authorities = [
        LocalAuthority.objects.get_or_create(
            name=f"Council {n}", defaults={"nation": Nation.ENGLAND}
        )[0]
        for n in range(20)
    ]
    enrolled_at = timezone.now() - dt.timedelta(days=30)
    for start in range(0, rows, BATCH):
        size = min(BATCH, rows - start)
        users = User.objects.bulk_create(
            User(
                email=f"bench{start + i}@example.org", full_name=f"Person {start + i}", password="!"
            )
            for i in range(size)
        )
        Profile.objects.bulk_create(
            Profile(
                user=u,
                job_title="Head of service",
                local_authority=authorities[i % 20],
                nation=Nation.ENGLAND,
            )
            for i, u in enumerate(users)
        )
        applications = Application.objects.bulk_create(
            Application(
                cohort=the_cohorts[(start + i) % cohorts],
                applicant=u,
                state=ApplicationState.ENROLLED,
                submitted_at=enrolled_at,
                snapshot={
                    "full_name": u.full_name,
                    "email": u.email,
                    "job_title": "Head of service, children's social care",
                    "employer": f"Council {i % 20}",
                    "nation": "England",
                    "career": [{"role": "Head of service", "organisation": "Council"}],
                },
            )
            for i, u in enumerate(users)
        )
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(application=a, from_state="offered", to_state="enrolled")
            for a in applications
        )
    ApplicationEvent.objects.update(created_at=enrolled_at)
    staff = User.objects.create(email="bench-staff@example.org", full_name="Staff", password="!")
    ProviderMembership.objects.create(user=staff, provider=provider)
    _token, key = token_create(provider=provider, by=staff, name="bench")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return programme, the_cohorts, key


def _existing() -> tuple[Any, list[Any], str]:
    from accounts.models import User
    from programmes.models import Programme
    from providers.services import token_create

    programme = Programme.objects.get(slug="bench-programme")
    staff = User.objects.get(email="bench-staff@example.org")
    _token, key = token_create(provider=programme.providers.get(), by=staff, name="bench")
    return programme, list(programme.cohorts.order_by("pk")), key


def _copy_seconds(queryset: Any) -> tuple[float, int]:
    from django.db import connection

    sql, params = queryset.query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg2 cursor, for mogrify and copy_expert
        statement = raw.mogrify(sql, params).decode()
        sink = NullSink()
        started = time.perf_counter()
        raw.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV HEADER", sink)
        return time.perf_counter() - started, sink.size


def _export_seconds(client: Any, url: str, key: str, params: dict[str, str]) -> tuple[float, int]:
    from providers.api.throttling import ProviderTokenThrottle

    ProviderTokenThrottle.rate = "100000/min"  # the benchmark is not what the limit is for
    started = time.perf_counter()
    response = client.get(url, params, headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200, response.content
    chunks = response.streaming_content if response.streaming else [response.content]
    size = sum(len(chunk) for chunk in chunks)
    return time.perf_counter() - started, size


def _peak_memory(client: Any, url: str, key: str, params: dict[str, str]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    _export_seconds(client, url, key, params)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cohorts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data of the last run: the resident memory figures then show the "
        "export alone, not the bulk inserts of the setup",
    )
    args = parser.parse_args()
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_export_bench"
    )
    if not database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    _ensure_database(database_url)
    os.environ.update(BENCH_ENV, DATABASE_URL=database_url)
    import django

    django.setup()
    from django.test import Client

    from providers.selectors import enrolment_rows

    started = time.perf_counter()
    if args.reuse:
        programme, cohorts, key = _existing()
    else:
        programme, cohorts, key = _setup(args.rows, args.cohorts)
    setup_seconds = time.perf_counter() - started
    provider = programme.providers.get()
    client = Client()
    # One small (JSON) request first, so imports and caches are not counted as export memory.
    _export_seconds(client, f"/api/v1/cohorts/{cohorts[0].pk}/enrolments/", key, {})
    rss_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    cases = {
        "programme": (
            "/api/v1/enrolments/",
            {"programme": programme.slug, "format": "csv"},
            enrolment_rows(provider=provider, programme=programme),
        ),
        "cohort": (
            f"/api/v1/cohorts/{cohorts[0].pk}/enrolments/",
            {"format": "csv"},
            enrolment_rows(provider=provider, cohort=cohorts[0]),
        ),
    }
    results: dict[str, Any] = {"setup_seconds": round(setup_seconds, 1), "reuse": args.reuse}
    for name, (url, params, queryset) in cases.items():
        copies = [_copy_seconds(queryset) for _ in range(args.repeat)]
        exports = [_export_seconds(client, url, key, params) for _ in range(args.repeat)]
        copy_s = statistics.median(s for s, _ in copies)
        export_s = statistics.median(s for s, _ in exports)
        results[name] = {
            "rows": queryset.count(),
            "copy_seconds": round(copy_s, 3),
            "copy_bytes": copies[0][1],
            "export_seconds": round(export_s, 3),
            "export_bytes": exports[0][1],
            "export_vs_copy": round(export_s / copy_s, 2),
            "export_rows_per_second": round(queryset.count() / export_s),
            "python_peak_kib": round(_peak_memory(client, url, key, params) / 1024),
        }
    results["rss_peak_growth_mib"] = round(
        (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before_kib) / 1024, 1
    )
    results["rss_peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
