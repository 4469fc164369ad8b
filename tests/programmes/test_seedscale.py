"""seedscale: a large data set for benchmarks, here at a tiny size, with the invariants it keeps."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from accounts.models import Profile, User
from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application
from demo.catalogue import DEMO_PASSWORD
from programmes.management.commands.seedscale import ALREADY_SEEDED, REFUSED_WITHOUT_DEBUG
from programmes.models import Cohort, CohortStatus, Programme
from programmes.selectors import cohort_availability

pytestmark = pytest.mark.django_db


def _seed(programmes: int = 6, applicants: int = 150, **options: object) -> None:
    call_command(
        "seedscale",
        programmes=programmes,
        applicants=applicants,
        force=True,
        stdout=StringIO(),
        **options,
    )


def test_seeds_the_numbers_asked_for() -> None:
    _seed(programmes=6, applicants=150)
    assert Programme.objects.count() == 6
    assert Cohort.objects.count() == 60
    assert User.objects.filter(email__startswith="applicant").count() == 150
    assert Profile.objects.count() == 150
    assert Application.objects.count() == 300
    assert Programme.objects.filter(providers__isnull=True).count() == 0


def test_applicants_sign_in_with_the_demo_password() -> None:
    _seed()
    for email in ("applicant1@example.com", "applicant150@example.com"):
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_cohorts_and_applications_come_in_every_state() -> None:
    _seed(programmes=8, applicants=400)
    statuses = set(
        cohort_availability(cohorts=Cohort.objects.exclude(programme__admission_mode="invitation"))
        .values_list("status", flat=True)
        .distinct()
    )
    assert statuses >= {s for s in CohortStatus.values if s != CohortStatus.INVITATION_ONLY}
    states = set(Application.objects.values_list("state", flat=True).distinct())
    assert states >= {
        "draft", "submitted", "eligible", "needs_review", "ineligible", "offered", "waitlisted",
        "rejected", "enrolled", "declined", "expired", "completed", "did_not_complete",
        "withdrawn",
    }  # fmt: skip


def test_places_taken_counts_exactly_the_applications_holding_a_place() -> None:
    _seed(programmes=5, applicants=600)
    counted = Cohort.objects.annotate(
        held=Count("applications", filter=Q(applications__state__in=HOLDS_A_PLACE))
    )
    for cohort in counted:
        assert cohort.places_taken == cohort.held
        assert cohort.places_taken <= cohort.capacity
    assert any(c.places_taken == c.capacity for c in counted)


def test_nobody_applies_twice_to_one_programme() -> None:
    _seed(programmes=4, applicants=200)
    repeats = (
        Application.objects.values("applicant", "cohort__programme")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not repeats.exists()


def test_refuses_to_run_twice_on_one_database() -> None:
    _seed(programmes=2, applicants=5)
    with pytest.raises(CommandError, match=ALREADY_SEEDED[:40]):
        _seed(programmes=2, applicants=5)


def test_refuses_with_debug_off_unless_forced(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("seedscale", programmes=1, applicants=1, stdout=StringIO())
    assert str(refused.value) == REFUSED_WITHOUT_DEBUG
    assert not Programme.objects.exists()
