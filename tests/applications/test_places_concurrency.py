"""Capacity holds under real concurrency: many threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from applications.models import Application
from applications.models import ApplicationState as S
from applications.services import places
from applications.services.submission import application_submit
from programmes.models import Cohort
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# PostgreSQL allows 100 connections here; leave room for the test runner's own.
THREADS = 40


def _run_all(jobs: list[Callable[[], Any]]) -> Counter[str]:
    """Run every job at once across THREADS threads; count outcomes by exception name."""
    barrier = threading.Barrier(min(THREADS, len(jobs)))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(batch: list[Callable[[], Any]]) -> None:
        try:
            barrier.wait(timeout=30)
            for job in batch:
                try:
                    job()
                    name = "ok"
                except Exception as error:  # counted and asserted on below
                    name = type(error).__name__
                with lock:
                    outcomes[name] += 1
        finally:
            connection.close()

    batches = [jobs[i :: min(THREADS, len(jobs))] for i in range(min(THREADS, len(jobs)))]
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        for future in [pool.submit(worker, batch) for batch in batches]:
            future.result()
    return outcomes


def test_hundred_applicants_racing_for_ten_first_come_places() -> None:
    cohort = factories.CohortFactory(capacity=10, programme__admission_mode="first_come")
    drafts = [
        factories.ApplicationFactory(
            cohort=cohort,
            state=S.DRAFT,
            sections_done=[
                "personal",
                "career",
                "eligibility",
                "statement",
                "documents",
                "endorsement",
            ],
        )
        for _ in range(100)
    ]
    for draft in drafts:  # what the sections need to count as complete
        factories.ProfileFactory(user=draft.applicant)
        factories.CareerEntryFactory(user=draft.applicant)

    outcomes = _run_all(
        [lambda a=a: application_submit(application=a, by=a.applicant) for a in drafts]
    )

    assert outcomes == Counter(ok=100)
    cohort.refresh_from_db()
    states = Counter(Application.objects.filter(cohort=cohort).values_list("state", flat=True))
    assert states == Counter({S.ENROLLED: 10, S.WAITLISTED: 90})
    assert cohort.places_taken == 10
    # The queue is in submission order: whoever submitted first waits least.
    queue = list(places.waiting_list(cohort).values_list("submitted_at", flat=True))
    assert queue == sorted(queue)
    enrolled_last = max(
        Application.objects.filter(cohort=cohort, state=S.ENROLLED).values_list(
            "submitted_at", flat=True
        )
    )
    assert enrolled_last <= queue[0]


def test_accepts_declines_and_staff_offers_racing_never_overfill() -> None:
    cohort = factories.CohortFactory(capacity=25, programme__admission_mode="selective")
    staff = factories.UserFactory()
    offered = [factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE) for _ in range(25)]
    for application in offered:
        places.application_offer(application=application, by=staff)
    waiting = [factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE) for _ in range(10)]
    for application in waiting:
        places.waitlist_add(application=application, by=staff)
    hopefuls = [factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE) for _ in range(30)]

    accepts = [lambda a=a: places.offer_accept(application=a, by=a.applicant) for a in offered[:20]]
    declines = [
        lambda a=a: places.offer_decline(application=a, by=a.applicant) for a in offered[20:]
    ]
    staff_offers = [lambda a=a: places.application_offer(application=a, by=staff) for a in hopefuls]
    outcomes = _run_all(accepts + declines + staff_offers)

    # Only "no place left" refusals: no deadlock, no other error.
    assert set(outcomes) <= {"ok", "CohortFull"}
    assert outcomes["ok"] >= 25
    cohort = Cohort.objects.get(pk=cohort.pk)
    held = Application.objects.filter(cohort=cohort, state__in=[S.OFFERED, S.ENROLLED]).count()
    assert cohort.places_taken == held == 25
    assert Application.objects.filter(cohort=cohort, state=S.ENROLLED).count() == 20
