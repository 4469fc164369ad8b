"""Topology check: the portal scaled out on one machine, with every moving part real.

One PostgreSQL database and one Redis, and against them two gunicorn instances on two
ports (each with its own worker processes, as two hosts behind a load balancer would be),
two Celery workers with different node names on the same queue, exactly one celery beat,
and an SMTP server on loopback that records every message that arrives.

1. Booking race: REQUESTS applicants with signed-in sessions submit at the same instant
   for a CAPACITY-place first-come cohort, alternating between the two web instances.
   Checks: exactly CAPACITY enrolled, places_taken equal to it, the waiting list in
   submission order, no 5xx from either instance, and over SMTP one "application
   received" and one "your place is confirmed" or "you are on the waiting list" each.
2. Offers expiring: COHORTS selective cohorts, each with OFFERS people holding an offer
   that lapses a few seconds from now (staggered by cohort) and OFFERS + 2 waiting.
   Beat's offer sweep (every OFFERS_SWEEP_SECONDS) and, at each deadline, two extra
   sweeps sent at once so both workers race for the same rows, expire them.
   Checks: each offer expired exactly once (one audit event), each freed place offered
   to the next person in line, places_taken consistent, one "offer has expired" and one
   "place has come up" email each, no email twice, and which worker did what.
3. One beat: every offer sweep a worker received was sent by the one beat (or by this
   script), so no second scheduler was feeding the queue, and its sweeps sent nothing twice.

Prints a JSON summary; exits non-zero if any check fails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_topology \\
    REDIS_URL=redis://127.0.0.1:6379/3 CELERY_QUEUE=topology \\
        .venv/bin/python bench/topology.py

(Like the other benchmarks it drops and recreates the `public` schema of the database it
is given, and it empties the Redis database and purges the Celery queue it is given.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from email import message_from_bytes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.contention import (  # noqa: E402
    BENCH_ENV,
    _ensure_database,
    _free_port,
    _setup,
)
from bench.load import wait_for_port  # noqa: E402

CSRF_SECRET = "b" * 32  # as in contention.py: the unmasked secret is a valid form token
NODES = ("topo-a", "topo-b")
EXPIRE_TASK = "applications.tasks.offers_expire_due_task"
DELIVER_TASK = "notifications.tasks.outbox_deliver_task"
# Celery's own worker log lines (celery.app.trace, celery.worker.strategy).
RECEIVED = re.compile(r"Task ([\w.]+)\[[\w-]+\] received")
SUCCEEDED = re.compile(r"Task ([\w.]+)\[[\w-]+\] succeeded in [\d.e-]+s: (\S+)")
BEAT_SENT = re.compile(r"Sending due task ([\w-]+) \(([\w.]+)\)")


class Inbox:
    """An aiosmtpd handler that keeps (recipient, subject, Message-ID) of every message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append(
                    (recipient, str(message["Subject"]), str(message["Message-ID"]))
                )
        return "250 OK"

    def snapshot(self) -> list[tuple[str, str, str]]:
        with self.lock:
            return list(self.messages)


@dataclass
class Processes:
    """Everything started, so that one `finally` stops all of it."""

    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        with (self.logs / f"{name}.log").open("wb") as log:  # the child keeps its own copy
            self.running[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop(self, *names: str) -> None:
        for name in names or tuple(self.running):
            process = self.running.pop(name, None)
            if process is None:
                continue
            process.terminate()  # gunicorn and celery both shut down warm on SIGTERM
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(condition: Any, timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


# --- Setup --------------------------------------------------------------------------


def _expiry_setup(cohorts: int, offers: int) -> tuple[list[int], int]:
    """Selective cohorts of OFFERS places with eligible applicants; no offers yet.

    Returns the cohort ids and the staff user's id. The offers are made later, while
    everything runs, so their deadlines can be seconds away.
    """
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application
    from programmes.models import Cohort, Programme

    now = timezone.now()
    programme = Programme.objects.create(
        title="Leading Change", slug="leading-change", summary="Five days.",
        description="Selective course.", audience="senior_leader", format="residential",
        duration="Five days", cost_type="funded", admission_mode="selective", is_published=True,
    )  # fmt: skip
    staff = User.objects.create(email="staff@example.com", full_name="Staff", password="!")
    ids = []
    for k in range(cohorts):
        cohort = Cohort.objects.create(
            programme=programme, name=f"Cohort {k}", capacity=offers,
            delivery_mode="residential",
            starts_on=timezone.localdate() + dt.timedelta(days=60),
            ends_on=timezone.localdate() + dt.timedelta(days=65),
            applications_open_at=now - dt.timedelta(days=1),
            applications_close_at=now + dt.timedelta(days=30),
        )  # fmt: skip
        people = User.objects.bulk_create(
            User(
                email=f"c{k}-p{i}@example.com", full_name=f"Cohort {k} person {i}",
                password="!", email_verified_at=now,
            )
            for i in range(2 * offers + 2)
        )  # fmt: skip
        # Screened and found eligible: the state a selective cohort's team offers from.
        Application.objects.bulk_create(
            Application(cohort=cohort, applicant=u, state="eligible", submitted_at=now)
            for u in people
        )
        ids.append(cohort.pk)
    return ids, staff.pk


def _cutoff_set(cohort_id: int, cutoff: dt.datetime | None, staff: Any) -> None:
    """Set the cohort's "no offers after" through the same service the team's form uses."""
    from programmes.models import Cohort
    from programmes.services.cohorts import CohortDetails, cohort_update

    cohort = Cohort.objects.get(pk=cohort_id)
    cohort_update(
        cohort=cohort,
        details=replace(CohortDetails.of(cohort), offer_cutoff_at=cutoff),
        capacity=cohort.capacity,
        expected_updated_at=cohort.updated_at,
        by=staff,
    )


def _offers_make(
    cohort_ids: list[int], staff_id: int, offers: int, lead: float, stagger: float
) -> dict[int, dict[str, Any]]:
    """Offer OFFERS places in each cohort, with deadlines `lead` + k * `stagger` seconds away.

    An offer's deadline is never later than the cohort's cut-off, so the team's own
    steps give a deadline seconds away: set a cut-off, make the offers, put the rest on
    the waiting list, lift the cut-off (so freed places can be offered on). No row is
    written behind the services' back.
    """
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application
    from applications.services import places
    from applications.services.places.selectors import waiting_list

    staff = User.objects.get(pk=staff_id)
    first = timezone.now() + dt.timedelta(seconds=lead)
    plan: dict[int, dict[str, Any]] = {}
    for k, cohort_id in enumerate(cohort_ids):
        deadline = first + dt.timedelta(seconds=k * stagger)
        _cutoff_set(cohort_id, deadline, staff)
        applications = list(Application.objects.filter(cohort_id=cohort_id).order_by("id"))
        for application in applications[:offers]:
            places.application_offer(application=application, by=staff)
        for application in applications[offers:]:
            places.waitlist_add(application=application, by=staff)
        _cutoff_set(cohort_id, None, staff)
        cohort = applications[0].cohort
        plan[cohort_id] = {
            "deadline": deadline,
            "offered": [a.pk for a in applications[:offers]],
            "waiting": list(waiting_list(cohort).values_list("pk", flat=True)),
        }
    late = Application.objects.filter(state="offered", offer_expires_at__lte=timezone.now())
    if late.exists():
        sys.exit(f"Setting up the offers took longer than --lead {lead}s; give a longer lead.")
    return plan


# --- The race -----------------------------------------------------------------------


def _race(bases: list[str], targets: list[tuple[int, str]]) -> list[tuple[int, int, float]]:
    """Every submission at the same instant, alternating between the web instances.

    Returns (instance index, status, seconds) per request.
    """
    barrier = threading.Barrier(len(targets))
    results: list[tuple[int, int, float]] = [(0, 0, 0.0)] * len(targets)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def send(index: int, application_id: int, session_key: str) -> None:
        instance = index % len(bases)
        base = bases[instance]
        request = urllib.request.Request(  # noqa: S310 (plain http to loopback)
            f"{base}/account/applications/{application_id}/submit/",
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF_SECRET}).encode(),
            headers={
                "Cookie": f"sessionid={session_key}; csrftoken={CSRF_SECRET}",
                "Referer": base + "/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        barrier.wait()
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=180) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = -1
        results[index] = (instance, status, time.perf_counter() - started)

    threads = [
        threading.Thread(target=send, args=(i, app_id, key))
        for i, (app_id, key) in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _race_checks(capacity: int) -> dict[str, Any]:
    from applications.models import Application
    from applications.services.places.selectors import waiting_list
    from programmes.models import Cohort

    cohort = Cohort.objects.get(programme__slug="women-in-leadership")
    rows = Application.objects.filter(cohort=cohort)
    states = Counter(rows.values_list("state", flat=True))
    queue = [t for t in waiting_list(cohort).values_list("submitted_at", flat=True) if t]
    enrolled_at = list(rows.filter(state="enrolled").values_list("submitted_at", flat=True))
    return {
        "enrolled": states.get("enrolled", 0),
        "waitlisted": states.get("waitlisted", 0),
        "places_taken": cohort.places_taken,
        "waiting_list_in_submission_order": queue == sorted(queue),
        "nobody_skipped": not queue or not enrolled_at or max(enrolled_at) <= min(queue),
        "other_states": {s: n for s, n in states.items() if s not in ("enrolled", "waitlisted")},
    }


# --- Expiry -------------------------------------------------------------------------


def _sweeps_at_deadlines(plan: dict[int, dict[str, Any]], sent: list[int]) -> threading.Thread:
    """At each deadline, two sweeps at once: both workers go for the same lapsed offers."""
    from django.utils import timezone

    from portal.background import enqueue

    def run() -> None:
        for deadline in sorted(p["deadline"] for p in plan.values()):
            wait = (deadline - timezone.now()).total_seconds() + 0.3
            if wait > 0:
                time.sleep(wait)
            for _ in range(2):
                if enqueue(EXPIRE_TASK):
                    sent[0] += 1

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _expiry_checks(plan: dict[int, dict[str, Any]], offers: int) -> dict[str, Any]:
    from django.db.models import Count, Q

    from applications.models import Application, ApplicationEvent
    from applications.services.places.selectors import waiting_list
    from programmes.models import Cohort

    problems: list[str] = []
    offered_first = [pk for p in plan.values() for pk in p["offered"]]
    expired_events = Counter(
        ApplicationEvent.objects.filter(to_state="expired").values_list("application_id", flat=True)
    )
    states = dict(Application.objects.filter(cohort_id__in=plan).values_list("pk", "state"))
    not_expired = [pk for pk in offered_first if states[pk] != "expired"]
    expired_twice = [pk for pk in offered_first if expired_events[pk] != 1]
    if not_expired:
        problems.append(f"{len(not_expired)} offers did not expire")
    if expired_twice:
        problems.append(f"{len(expired_twice)} offers without exactly one expiry event")
    handed_on: list[int] = []
    for cohort_id, p in plan.items():
        cohort = Cohort.objects.annotate(
            holding=Count("applications", filter=Q(applications__state__in=["offered", "enrolled"]))
        ).get(pk=cohort_id)
        next_in_line, still_waiting = p["waiting"][:offers], p["waiting"][offers:]
        handed_on += next_in_line
        if any(states[pk] != "offered" for pk in next_in_line):
            problems.append(f"cohort {cohort_id}: the next {offers} in line were not all offered")
        if list(waiting_list(cohort).values_list("pk", flat=True)) != still_waiting:
            problems.append(f"cohort {cohort_id}: the rest of the waiting list changed")
        if not cohort.places_taken == cohort.holding == cohort.capacity:
            problems.append(
                f"cohort {cohort_id}: places_taken {cohort.places_taken}, "
                f"holding {cohort.holding}, capacity {cohort.capacity}"
            )
    return {
        "offers_made": len(offered_first),
        "expired": sum(1 for pk in offered_first if states[pk] == "expired"),
        "expiry_events": sum(expired_events[pk] for pk in offered_first),
        "handed_on_to_next_in_line": sum(1 for pk in handed_on if states[pk] == "offered"),
        "problems": problems,
    }


# --- Email --------------------------------------------------------------------------


def _email_checks(
    inbox: Inbox, race_people: int, plan: dict[int, dict[str, Any]], offers: int
) -> dict[str, Any]:
    """What arrived over SMTP, against what each person should have been told."""
    from post_office.models import STATUS, Email

    from applications.models import Application

    messages = inbox.snapshot()
    ids = Counter(message_id for _to, _subject, message_id in messages)
    told = Counter((to, subject.split(":")[0]) for to, subject, _id in messages)
    email_of = dict(Application.objects.values_list("pk", "applicant__email"))
    expected: dict[tuple[str, str], int] = {}
    enrolled = set(
        Application.objects.filter(cohort__programme__slug="women-in-leadership", state="enrolled")
        .values_list("applicant__email", flat=True)
    )  # fmt: skip
    for i in range(race_people):
        to = f"applicant{i}@example.com"
        subject = "Your place is confirmed" if to in enrolled else "You are on the waiting list"
        expected[(to, "Application received")] = 1
        expected[(to, subject)] = 1
    for p in plan.values():
        for pk in p["offered"]:
            expected[(email_of[pk], "You have been offered a place")] = 1
            expected[(email_of[pk], "Your offer has expired")] = 1
        for pk in p["waiting"]:
            expected[(email_of[pk], "You are on the waiting list")] = 1
        for pk in p["waiting"][:offers]:
            expected[(email_of[pk], "A place has come up for you")] = 1
    # "Your offer ends soon" goes once per offer if the quarter-hour reminder sweep happens
    # to run while these offers are out; allowed, but never twice.
    optional = {key for key in told if key[1] == "Your offer ends soon"}
    wrong = {
        f"{to}: {subject}": told.get((to, subject), 0)
        for (to, subject) in set(expected) | set(told)
        if told.get((to, subject), 0) != expected.get((to, subject), 0)
        and not ((to, subject) in optional and told[(to, subject)] == 1)
    }
    statuses = Counter(Email.objects.values_list("status", flat=True))
    return {
        "received": len(messages),
        "outbox_rows": sum(statuses.values()),
        "outbox_not_sent": sum(n for s, n in statuses.items() if s != STATUS.sent),
        "message_ids_received_twice": sum(1 for n in ids.values() if n > 1),
        "expected_emails": sum(expected.values()),
        "reminders_seen": len(optional),
        "per_person_mismatches": len(wrong),
        "mismatch_examples": dict(sorted(wrong.items())[:10]),
    }


# --- Logs ---------------------------------------------------------------------------


def _worker_figures(log: str) -> dict[str, Any]:
    received = Counter(RECEIVED.findall(log))
    returned: dict[str, int] = defaultdict(int)
    for task, value in SUCCEEDED.findall(log):
        if value.isdigit():
            returned[task] += int(value)
    return {
        "expiry_sweeps_run": received.get(EXPIRE_TASK, 0),
        "offers_expired": returned.get(EXPIRE_TASK, 0),
        "deliveries_run": received.get(DELIVER_TASK, 0),
        "emails_delivered": returned.get(DELIVER_TASK, 0),
        "tasks_received": sum(received.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="submissions in the race")
    parser.add_argument("--capacity", type=int, default=25, help="places in the race's cohort")
    parser.add_argument("--web-workers", type=int, default=2, help="per gunicorn instance")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="per Celery worker")
    parser.add_argument("--cohorts", type=int, default=6, help="selective cohorts with offers")
    parser.add_argument("--offers", type=int, default=4, help="offers lapsing in each")
    parser.add_argument("--lead", type=float, default=12, help="seconds to the first deadline")
    parser.add_argument("--stagger", type=float, default=3, help="seconds between deadlines")
    parser.add_argument("--sweep-seconds", type=int, default=2, help="beat's sweep interval")
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        sys.exit("This check needs DATABASE_URL=postgres://... and REDIS_URL=redis://...")
    os.environ.setdefault("CELERY_QUEUE", "topology")
    _ensure_database(database_url)

    from aiosmtpd.controller import Controller

    inbox = Inbox()
    smtp_port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        # Celery's task lines (received, succeeded: N) are how we tell the workers apart.
        "LOG_LEVEL": "INFO",
        "OFFERS_SWEEP_SECONDS": str(args.sweep_seconds),
        "OUTBOX_SWEEP_SECONDS": str(args.sweep_seconds),
    }
    targets = _setup(database_url, args.requests, args.capacity, "submit")
    cohort_ids, staff_id = _expiry_setup(args.cohorts, args.offers)

    from django.core.cache import cache
    from django.db import connection

    from portal.celery import app

    cache.clear()  # a nudge marker left by an earlier run would hold back the first delivery
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    connection.close()

    logs = Path(tempfile.mkdtemp(prefix="topology-"))
    processes = Processes(logs)
    ports = [_free_port(), _free_port()]
    figures: dict[str, Any] = {"logs": str(logs)}
    script_sweeps = [0]
    try:
        for n, port in enumerate(ports):
            processes.start(
                f"web-{n}",
                [sys.executable, "-m", "gunicorn", "portal.wsgi",
                 "--workers", str(args.web_workers), "--bind", f"127.0.0.1:{port}",
                 "--backlog", "2048", "--timeout", "180", "--log-level", "warning"],
                env,
            )  # fmt: skip
        for node in NODES:
            processes.start(
                node,
                [sys.executable, "-m", "celery", "-A", "portal", "worker",
                 "--concurrency", str(args.worker_concurrency), "--loglevel=INFO",
                 "-n", f"{node}@%h", "--without-gossip", "--without-mingle"],
                env,
            )  # fmt: skip
        processes.start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO",
             "-s", str(logs / "celerybeat-schedule")],
            env,
        )  # fmt: skip
        for port in ports:
            wait_for_port(port, timeout=60)
        for node in NODES:
            if not _wait(lambda node=node: " ready." in processes.log(node), 90):
                raise RuntimeError(f"{node} did not start:\n{processes.log(node)}")

        # 1. The booking race, across both web instances.
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        started = time.perf_counter()
        results = _race(bases, targets)
        figures["race_wall_seconds"] = round(time.perf_counter() - started, 2)
        figures["race_statuses"] = {
            f"web-{n}": dict(Counter(str(s) for i, s, _t in results if i == n))
            for n in range(len(bases))
        }
        figures["race_p50_ms"] = round(
            sorted(t for _i, _s, t in results)[len(results) // 2] * 1000, 1
        )

        # 2. Offers lapsing while both workers and beat run.
        plan = _offers_make(cohort_ids, staff_id, args.offers, args.lead, args.stagger)
        sweeper = _sweeps_at_deadlines(plan, script_sweeps)
        # Race: "received", then the place or the queue. Each cohort: offer and expiry
        # for the first OFFERS, "waiting" for the OFFERS + 2 behind them, and a freed
        # place for the next OFFERS.
        expected_mail = 2 * args.requests + args.cohorts * (
            2 * args.offers + (args.offers + 2) + args.offers
        )

        from django.utils.timezone import now as time_now
        from post_office.models import STATUS, Email

        from applications.models import Application

        def settled() -> bool:
            lapsed = Application.objects.filter(
                cohort_id__in=cohort_ids, state="offered", offer_expires_at__lte=time_now()
            ).exists()
            pending = Email.objects.exclude(status=STATUS.sent).exists()
            connection.close()
            return (
                not sweeper.is_alive()
                and not lapsed
                and not pending
                and len(inbox.snapshot()) >= expected_mail
            )

        started = time.perf_counter()
        figures["settled"] = _wait(settled, args.timeout, step=0.5)
        figures["expiry_wall_seconds"] = round(time.perf_counter() - started, 2)
        # A few more sweeps of both kinds: anything done twice would show now.
        time.sleep(3 * args.sweep_seconds + 1)
        processes.stop("beat")
        time.sleep(args.sweep_seconds + 1)  # the last sweep it sent is received and run
    finally:
        processes.stop()
        controller.stop()

    beat_log = processes.log("beat")
    beat_sent = Counter(task for _name, task in BEAT_SENT.findall(beat_log))
    workers = {node: _worker_figures(processes.log(node)) for node in NODES}
    race = _race_checks(args.capacity)
    expiry = _expiry_checks(plan, args.offers)
    mail = _email_checks(inbox, args.requests, plan, args.offers)
    expiry_received = sum(w["expiry_sweeps_run"] for w in workers.values())
    beats_started = beat_log.count("beat: Starting...")
    server_errors = {
        name: sum(n for s, n in statuses.items() if int(s) >= 500 or int(s) < 0)
        for name, statuses in figures["race_statuses"].items()
    }
    summary = {
        "requests": args.requests,
        "capacity": args.capacity,
        "web_instances": len(ports),
        "gunicorn_workers_each": args.web_workers,
        "celery_workers": list(NODES),
        "worker_concurrency_each": args.worker_concurrency,
        "sweep_seconds": args.sweep_seconds,
        "race": {
            **race,
            "statuses": figures["race_statuses"],
            "server_errors": server_errors,
            "wall_seconds": figures["race_wall_seconds"],
            "p50_ms": figures["race_p50_ms"],
        },
        "expiry": {
            **expiry,
            "settled": figures["settled"],
            "wall_seconds": figures["expiry_wall_seconds"],
        },
        "email": mail,
        "workers": workers,
        "beat": {
            "processes_started": beats_started,
            "offer_sweeps_sent": beat_sent.get(EXPIRE_TASK, 0),
            "outbox_sweeps_sent": beat_sent.get(DELIVER_TASK, 0),
            "offer_sweeps_sent_by_this_script": script_sweeps[0],
            "offer_sweeps_received_by_workers": expiry_received,
        },
        "logs": figures["logs"],
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }
    checks = {
        "race_enrolled_exactly_capacity": race["enrolled"] == args.capacity,
        "race_places_taken_consistent": race["places_taken"] == race["enrolled"],
        "race_everyone_else_waiting": race["waitlisted"] == args.requests - args.capacity,
        "race_waiting_list_in_submission_order": race["waiting_list_in_submission_order"]
        and race["nobody_skipped"],
        "race_no_5xx": not any(server_errors.values()),
        "race_both_instances_served": all(
            sum(s.values()) >= len(results) // len(ports) for s in figures["race_statuses"].values()
        ),
        "offers_each_expired_once": expiry["expired"]
        == expiry["expiry_events"]
        == expiry["offers_made"],
        "expiry_cascaded_in_order": not expiry["problems"],
        "offers_expired_by_workers_add_up": sum(w["offers_expired"] for w in workers.values())
        == expiry["offers_made"],
        "both_workers_ran_offer_sweeps": all(w["expiry_sweeps_run"] for w in workers.values()),
        "both_workers_delivered_email": all(w["emails_delivered"] for w in workers.values()),
        "each_email_once_per_person": mail["per_person_mismatches"] == 0,
        "no_email_twice": mail["message_ids_received_twice"] == 0,
        "outbox_all_sent_and_received": mail["outbox_not_sent"] == 0
        and mail["received"] == mail["outbox_rows"],
        "one_beat": beats_started == 1
        and expiry_received == beat_sent.get(EXPIRE_TASK, 0) + script_sweeps[0]
        and beat_sent.get(EXPIRE_TASK, 0) > 0,
    }
    summary["both_workers_expired_offers"] = all(w["offers_expired"] for w in workers.values())
    summary["checks"] = checks
    summary["failed"] = [name for name, ok in checks.items() if not ok]
    print(json.dumps(summary, indent=2, default=str))
    sys.exit(1 if summary["failed"] else 0)


if __name__ == "__main__":
    main()
