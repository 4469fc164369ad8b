"""Pages benchmark: the public pages at seedscale, through real HTTP to gunicorn.

Seeds a fresh PostgreSQL database with `seedscale` (1,000 programmes, 10,000 cohorts,
100,000 applicants, 200,000 applications by default), starts gunicorn in the production
shape (DEBUG off, persistent connections), then requests each page many times, one request
at a time from one local client, so no request queues behind another. Reports, per page,
the median and 90th percentile response time and the queries a request makes (counted
in-process with the same code, through Django's test client), both for a page made afresh
and for the same page asked for again, which the catalogue cache answers from memory.
Every timed request but the first of each page is such a repeat; to time pages made
afresh every time, as during a stream of catalogue changes, set CATALOGUE_CACHE_BYTES=0.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_pages_bench \\
        .venv/bin/python bench/page_times.py                 # seeds (~1 min), then measures
    DATABASE_URL=... .venv/bin/python bench/page_times.py --reuse --requests 300

The response time is measured by the client over loopback: it includes accepting the
connection and sending the bytes, which /healthz (one query, no template) shows as a floor.

Like the other benchmarks it drops and recreates the `public` schema of the database it is
given, unless --reuse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.contention import BENCH_ENV, _ensure_database, _free_port  # noqa: E402
from bench.load import wait_for_port  # noqa: E402


def _pages() -> list[tuple[str, str]]:
    from programmes.models import Programme

    # A published programme with its ten cohorts, the same one every run.
    slug = (
        Programme.objects.filter(is_published=True, cohorts__isnull=False)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    return [
        ("health check", "/healthz"),
        ("directory", "/programmes/"),
        ("search", "/programmes/?q=leadership"),
        ("search, typo", "/programmes/?q=leadershp"),
        ("search + filters", "/programmes/?q=commissioning&audience=senior_leader&open_now=true"),
        ("filter: audience", "/programmes/?audience=senior_leader"),
        ("filter: provider", "/programmes/?provider=" + _a_provider_slug()),
        ("filter: format", "/programmes/?delivery=blended"),
        ("filter: cost", "/programmes/?cost=funded"),
        ("filter: open now", "/programmes/?open_now=true"),
        ("filter: places", "/programmes/?places=true"),
        ("filter: starts from", f"/programmes/?starts_from={later}"),
        ("directory, page 10", "/programmes/?page=10"),
        ("home", "/"),
        ("programme page (10 cohorts)", f"/programmes/{slug}/"),
        ("API programmes", "/api/v1/programmes/"),
        ("API programmes, search", "/api/v1/programmes/?q=leadership"),
        ("API cohorts", "/api/v1/cohorts/"),
        ("API programme", f"/api/v1/programmes/{slug}/"),
    ]


def _a_provider_slug() -> str:
    from programmes.models import Provider

    return str(
        Provider.objects.filter(kind=Provider.Kind.PROVIDER, programmes__isnull=False)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )


def _setup(database_url: str, programmes: int, applicants: int, reuse: bool) -> None:
    # testserver: the in-process client that counts queries.
    os.environ.update(
        BENCH_ENV,
        DATABASE_URL=database_url,
        ALLOW_NO_REDIS="1",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not reuse:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        call_command(
            "seedscale",
            programmes=programmes,
            applicants=applicants,
            force=True,
            stdout=sys.stderr,
        )
        print(f"seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)


def _queries(pages: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Per page: the queries of a page made afresh, and of the same page asked for again
    (kept under the catalogue version unless CATALOGUE_CACHE_BYTES=0)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counted = {}
    for name, path in pages:
        with CaptureQueriesContext(connection) as made:
            client.get(path)
        with CaptureQueriesContext(connection) as again:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counted[name] = (len(made), len(again))
    connection.close()
    return counted


def _time(port: int, path: str, requests: int, warmup: int = 10) -> list[float]:
    times = []
    for n in range(warmup + requests):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        if n >= warmup:
            times.append(elapsed)
    return times


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=1000)
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--reuse", action="store_true", help="measure the data already there")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    _ensure_database(database_url)
    _setup(database_url, args.programmes, args.applicants, args.reuse)
    pages = _pages()
    queries = _queries(pages)

    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    results = []
    load_before = _load()
    try:
        wait_for_port(port)
        for name, path in pages:
            times = _time(port, path, args.requests)
            ordered = sorted(times)
            results.append(
                {
                    "page": name,
                    "path": path,
                    "median_ms": round(statistics.median(times), 1),
                    "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
                    "queries_made": queries[name][0],
                    "queries_again": queries[name][1],
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "programmes": args.programmes,
                "applicants": args.applicants,
                "requests_per_page": args.requests,
                "gunicorn_workers": args.workers,
                "load_average_before": load_before,
                "load_average_after": _load(),
                "pages": results,
            },
            indent=2,
        )
    )
    print("\n| page | median | p90 | queries made / again |\n|---|---|---|---|")
    for row in results:
        print(
            f"| {row['page']} | {row['median_ms']} ms | {row['p90_ms']} ms "
            f"| {row['queries_made']} / {row['queries_again']} |"
        )


if __name__ == "__main__":
    main()
