"""Subscribers hear once, in batches, when a cohort of their programme opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from post_office.models import Email

from programmes.models import CohortAnnouncement
from programmes.services.future_dates import cohort_announcements_send
from programmes.tasks import cohort_announcements_task
from tests import factories

pytestmark = pytest.mark.django_db


def _subscribe(programme, email, confirmed=True, unsubscribed=False):
    now = timezone.now()
    return factories.FutureDatesSubscriptionFactory(
        programme=programme,
        email=email,
        confirmed_at=now if confirmed else None,
        unsubscribed_at=now if unsubscribed else None,
    )


def test_confirmed_subscribers_are_told_once_when_applications_open() -> None:
    cohort = factories.CohortFactory(name="Spring 2027")
    _subscribe(cohort.programme, "yes@example.org")
    _subscribe(cohort.programme, "unconfirmed@example.org", confirmed=False)
    _subscribe(cohort.programme, "gone@example.org", unsubscribed=True)

    assert cohort_announcements_task() == 1
    assert cohort_announcements_task() == 0

    email = Email.objects.get()
    assert email.to == ["yes@example.org"]
    assert email.subject == f"New dates open: {cohort.programme.title}"
    assert "/future-dates/unsubscribe/" in email.message and email.html_message
    cohort.refresh_from_db()
    assert cohort.announced_at is not None


def test_large_lists_go_out_in_batches_without_repeats() -> None:
    cohort = factories.CohortFactory()
    for i in range(5):
        _subscribe(cohort.programme, f"person{i}@example.org")
    assert cohort_announcements_send(batch=2) == 2
    assert cohort_announcements_send(batch=2) == 2
    assert cohort_announcements_send(batch=2) == 1
    assert cohort_announcements_send(batch=2) == 0
    assert Email.objects.count() == 5 == CohortAnnouncement.objects.count()


def test_cohorts_not_yet_open_are_not_announced() -> None:
    cohort = factories.CohortFactory(
        applications_open_at=timezone.now() + dt.timedelta(days=2),
        applications_close_at=timezone.now() + dt.timedelta(days=20),
    )
    _subscribe(cohort.programme, "early@example.org")
    assert cohort_announcements_send() == 0
