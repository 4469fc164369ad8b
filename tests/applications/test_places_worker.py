"""Places with the real moving parts: Redis, a Celery worker and an SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.utils import timezone
from post_office.models import STATUS, Email

from applications.models import Application
from applications.models import ApplicationState as S
from applications.services import places
from applications.tasks import offers_expire_due_task
from portal.celery import app as celery_app
from tests import factories
from tests.harness import ROOT, celery_worker, smtp_server, subprocess_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait(condition, timeout: float = 40) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_worker_expires_an_offer_and_the_next_person_is_emailed_the_place() -> None:
    celery_app.conf.task_always_eager = False
    cohort = factories.CohortFactory(capacity=1)
    staff = factories.UserFactory()
    first = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    second = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)

    with (
        smtp_server() as inbox,
        celery_worker(email_url=f"smtp://{inbox.host}:{inbox.port}") as worker,
    ):
        places.application_offer(application=first, by=staff)
        places.waitlist_add(application=second, by=staff)
        # The deadline has just passed; the worker's minute sweep expires the offer
        # (run here twice, as a late and a timely beat would: one effect).
        deadline = timezone.now() - dt.timedelta(seconds=1)
        Application.objects.filter(pk=first.pk).update(offer_expires_at=deadline)
        offers_expire_due_task.delay()
        offers_expire_due_task.delay()

        assert _wait(lambda: Application.objects.get(pk=second.pk).state == S.OFFERED), worker.log()
        assert _wait(lambda: len(inbox.messages) >= 4), worker.log()

    first.refresh_from_db()
    assert first.state == S.EXPIRED
    received = Counter((m["To"], m["Subject"].split(":")[0]) for m in inbox.messages)
    title = cohort.programme.title
    assert received[(first.applicant.email, "Your offer has expired")] == 1
    assert received[(second.applicant.email, "A place has come up for you")] == 1
    waitlist_offer = next(
        m for m in inbox.messages if m["Subject"].startswith("A place has come up")
    )
    assert waitlist_offer["Subject"] == f"A place has come up for you: {title}"
    assert {p.get_content_type() for p in waitlist_offer.walk()} >= {"text/plain", "text/html"}


DECISIONS = """
import django
django.setup()
from applications.models import Application
from applications.services import places
from accounts.models import User
staff = User.objects.get(pk={staff})
places.application_offer(application=Application.objects.get(pk={offer}), by=staff)
places.waitlist_add(application=Application.objects.get(pk={wait}), by=staff)
declined = Application.objects.get(pk={decline})
places.offer_decline(application=declined, by=declined.applicant)
print("decisions saved")
"""


def test_decisions_save_while_the_broker_is_down_and_every_email_goes_once_it_is_back() -> None:
    celery_app.conf.task_always_eager = False
    cohort = factories.CohortFactory(capacity=3)
    staff = factories.UserFactory()
    to_decline = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    places.application_offer(application=to_decline, by=staff)
    Email.objects.all().delete()
    to_offer = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    to_wait = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)

    # A web process whose broker is a dead port: the decisions must still be saved.
    script = DECISIONS.format(
        staff=staff.pk, offer=to_offer.pk, wait=to_wait.pk, decline=to_decline.pk
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=subprocess_env(REDIS_URL="redis://127.0.0.1:9/0", EMAIL_URL="smtp://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "decisions saved" in result.stdout, result.stderr
    assert Application.objects.get(pk=to_offer.pk).state == S.OFFERED
    assert Application.objects.get(pk=to_decline.pk).state == S.DECLINED
    queued = Email.objects.filter(status=STATUS.queued).count()
    # Offer made, moved to the waiting list, offer declined, and the freed place offered on.
    assert queued == 4
    assert Application.objects.get(pk=to_wait.pk).state == S.OFFERED
    assert not Email.objects.filter(status=STATUS.sent).exists()

    # The broker and a worker come back; the periodic sweep delivers the backlog.
    with (
        smtp_server() as inbox,
        celery_worker(
            email_url=f"smtp://{inbox.host}:{inbox.port}",
            beat=True,
            extra_env={"OUTBOX_SWEEP_SECONDS": "2"},
        ) as worker,
    ):
        assert _wait(lambda: len(inbox.messages) >= queued), worker.log()
        time.sleep(5)  # several more sweeps: nothing may be sent twice

    assert len(inbox.messages) == queued
    assert Counter(m["To"] for m in inbox.messages) == Counter(
        [
            to_offer.applicant.email,
            to_wait.applicant.email,
            to_wait.applicant.email,
            to_decline.applicant.email,
        ]
    )
    assert Email.objects.filter(status=STATUS.sent).count() == queued
