"""Contention benchmark: many people racing for a few places, through real HTTP.

Builds a fresh PostgreSQL database, a first-come cohort with CAPACITY places and
REQUESTS applicants whose applications are ready to submit, starts gunicorn
with several worker processes, then fires every submission at once from as many
client threads. Afterwards it checks the database: exactly CAPACITY enrolled,
everyone else on the waiting list in submission order, places_taken equal to the
enrolled count, and no server errors. Prints the figures as JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/contention.py --requests 500 --capacity 25 --workers 4

A second scenario (--scenario accept) gives CAPACITY people an offer and has
each of them press "accept" many times at once, REQUESTS requests in all.

--concurrency N sends the requests from N clients, each sending its next request as
soon as its last was answered (the shape of the pretix comparison: 50 at a time);
0, the default, fires every request at the same instant. --celery-worker starts one
Celery worker (solo pool) that delivers the confirmation emails during the race, as
production does; without it they wait in the outbox.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Prepared, fire, summarise, wait_for_port  # noqa: E402 (needs ROOT on the path)

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-that-is-long-and-random-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "EMAIL_URL": "memorymail://",
    "LOG_LEVEL": "WARNING",
    "PYTHONWARNINGS": "ignore::UserWarning",
}
CSRF_SECRET = "b" * 32  # Django accepts the unmasked 32-character secret as the form token.
SECTIONS = ["personal", "career", "eligibility", "statement", "documents", "endorsement"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _setup(database_url: str, requests: int, capacity: int, scenario: str) -> list[tuple[int, str]]:
    """Fresh schema and data. Returns (application id, session key) per request to send."""
    os.environ.update(BENCH_ENV, DATABASE_URL=database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    # The production shape serves pages with hashed static names: a refused request
    # renders the application page, which needs the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)

    from accounts.models import CareerEntry, Profile, User
    from applications.models import Application
    from applications.services import places
    from programmes.models import Cohort, Programme

    mode = "first_come" if scenario == "submit" else "selective"
    programme = Programme.objects.create(
        title="Women in Leadership", slug="women-in-leadership", summary="Two days.",
        description="Residential course.", audience="senior_leader", format="residential",
        duration="Two days", cost_type="funded", admission_mode=mode, is_published=True,
    )  # fmt: skip
    now = timezone.now()
    cohort = Cohort.objects.create(
        programme=programme, name="Autumn", capacity=capacity, delivery_mode="residential",
        starts_on=timezone.localdate() + dt.timedelta(days=60),
        ends_on=timezone.localdate() + dt.timedelta(days=61),
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=30),
    )  # fmt: skip
    people = requests if scenario == "submit" else capacity
    users = User.objects.bulk_create(
        [
            User(
                email=f"applicant{i}@example.com",
                full_name=f"Applicant {i}",
                password="!",
                email_verified_at=now,
            )
            for i in range(people)
        ]
    )
    # What a real applicant has before submitting: the profile and career history that
    # the personal and career sections check.
    Profile.objects.bulk_create(
        Profile(
            user=u, job_title="Head of service", current_role="head_of_service",
            employer_type="other", employer_name="Children's Trust",
            sector="childrens_social_care", nation="england",
        )
        for u in users
    )  # fmt: skip
    CareerEntry.objects.bulk_create(
        CareerEntry(
            user=u, role_title="Head of service", organisation="Children's Trust",
            sector="childrens_social_care", seniority="senior_strategic",
            started_on=dt.date(2018, 4, 1),
        )
        for u in users
    )  # fmt: skip
    applications = Application.objects.bulk_create(
        [
            Application(cohort=cohort, applicant=u, state="draft", sections_done=SECTIONS)
            for u in users
        ]
    )
    if scenario == "accept":
        staff = User.objects.create(email="staff@example.com", password="!")
        for application in applications:
            Application.objects.filter(pk=application.pk).update(state="eligible", submitted_at=now)
            application.refresh_from_db()
            places.application_offer(application=application, by=staff)
    # Made by the portal's own session engine, as signing in makes them: the people racing
    # signed in and filled in their forms first, so with Redis their sessions are cached.
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.pk] = str(store.session_key)
    targets = [(a.pk, sessions[a.applicant_id]) for a in applications]
    if scenario == "accept":
        targets = [targets[i % len(targets)] for i in range(requests)]
    # A running portal's tables have planner statistics (autovacuum keeps them); tables
    # bulk-filled a second ago have none, and the planner then treats each as one row and
    # picks plans that are quadratic in the waiting list.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    return targets


def _prepare(base: str, path_for: str, targets: list[tuple[int, str]]) -> list[Prepared]:
    """One signed-in, CSRF-protected form POST per target, as a browser sends it."""
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF_SECRET}).encode()
    return [
        Prepared(
            "POST",
            base + path_for.format(id=application_id),
            body,
            {
                "Cookie": f"sessionid={session_key}; csrftoken={CSRF_SECRET}",
                "Referer": base + "/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        for application_id, session_key in targets
    ]


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
         "--loglevel=WARNING", "-n", f"bench-{os.getpid()}@localhost",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    time.sleep(5)  # the worker connects to the broker and starts consuming
    return worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=25)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--scenario", choices=["submit", "accept"], default="submit")
    parser.add_argument(
        "--concurrency", type=int, default=0, help="clients at a time (0: all at once)"
    )
    parser.add_argument("--celery-worker", action="store_true", help="deliver during the race")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    if not database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    _ensure_database(database_url)

    targets = _setup(database_url, args.requests, args.capacity, args.scenario)
    port = _free_port()
    # The production shape: with REDIS_URL the emails wait in the outbox for a worker
    # instead of being delivered inside each request.
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    worker = None
    if args.celery_worker:
        if not os.environ.get("REDIS_URL"):
            sys.exit("--celery-worker needs REDIS_URL")
        worker = _start_worker(env)
    try:
        wait_for_port(port, what="gunicorn")
        path = (
            "/account/applications/{id}/submit/"
            if args.scenario == "submit"
            else "/account/applications/{id}/accept/"
        )
        requests = _prepare(f"http://127.0.0.1:{port}", path, targets)
        started = time.perf_counter()
        results = fire(requests, concurrency=args.concurrency)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)

    from applications.models import Application
    from applications.services.places import waiting_list
    from programmes.models import Cohort

    cohort = Cohort.objects.get()
    states = Counter(Application.objects.values_list("state", flat=True))
    queue = [t for t in waiting_list(cohort).values_list("submitted_at", flat=True) if t]
    enrolled_at = list(
        Application.objects.filter(state="enrolled").values_list("submitted_at", flat=True)
    )
    # Nobody skipped: everyone given a place was served before everyone who queued.
    nobody_skipped = not queue or not enrolled_at or max(enrolled_at) <= min(queue)
    summary = {
        "scenario": args.scenario,
        "requests": args.requests,
        "capacity": args.capacity,
        "gunicorn_workers": args.workers,
        "redis": bool(os.environ.get("REDIS_URL")),
        "enrolled": states.get("enrolled", 0),
        "waitlisted": states.get("waitlisted", 0),
        "places_taken": cohort.places_taken,
        "waiting_list_in_submission_order": queue == sorted(queue),
        "nobody_skipped": nobody_skipped,
        "concurrency": args.concurrency or args.requests,
        "celery_worker": args.celery_worker,
        **summarise(results, elapsed),
    }
    print(json.dumps(summary, indent=2))
    ok = (
        summary["enrolled"] == args.capacity
        and summary["server_errors"] == 0
        and (args.scenario != "submit" or (nobody_skipped and queue == sorted(queue)))
    )
    sys.exit(0 if ok else 1)


def _ensure_database(database_url: str) -> None:
    parsed = urllib.parse.urlparse(database_url)
    name = parsed.path.lstrip("/")
    import psycopg2

    conn = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


if __name__ == "__main__":
    main()
