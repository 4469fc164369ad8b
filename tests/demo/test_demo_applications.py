"""The demo has an application in every lasting state and a full cohort with a queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application, ApplicationEvent, EligibilityRule
from applications.models import ApplicationState as S
from programmes.models import Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings) -> None:
    settings.DEBUG = True
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_lasting_state_is_present(loaded) -> None:
    present = set(Application.objects.values_list("state", flat=True))
    # "submitted" lasts no time at all: screening runs in the same transaction.
    assert present == set(S.values) - {S.SUBMITTED}


def test_automatic_outcomes_agree_with_the_states(loaded) -> None:
    for application in Application.objects.exclude(state=S.DRAFT):
        results = {r["outcome"] for r in application.eligibility_results}
        if application.state == S.INELIGIBLE:
            assert "fail" in results
        if application.state == S.NEEDS_REVIEW:
            assert "unknown" in results and "fail" not in results


def test_each_application_has_the_history_of_its_path(loaded) -> None:
    completed = Application.objects.get(applicant__email="joseph.okoro@example.com")
    assert list(completed.events.values_list("to_state", flat=True)) == [
        S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED, S.COMPLETED,
    ]  # fmt: skip


def test_the_commissioning_course_is_full_with_a_waiting_list(loaded) -> None:
    cohort = Cohort.objects.get(
        programme__slug="commissioning-for-childrens-services", name="Next cohort"
    )
    assert cohort.places_taken == cohort.capacity
    assert cohort.applications.filter(state=S.ENROLLED).count() == cohort.capacity
    assert cohort.applications.filter(state=S.WAITLISTED).count() == 3


def test_places_taken_match_the_applications_holding_them(loaded) -> None:
    for cohort in Cohort.objects.all():
        held = cohort.applications.filter(state__in=HOLDS_A_PLACE).count()
        assert cohort.places_taken == held, cohort


def test_rules_of_the_real_programmes_are_loaded(loaded) -> None:
    slugs = set(EligibilityRule.objects.values_list("programme__slug", flat=True))
    assert {"upon-aspiring-directors", "lga-leadership-essentials-childrens-services"} <= slugs


def test_running_again_adds_no_applications_or_history(loaded) -> None:
    before = (Application.objects.count(), ApplicationEvent.objects.count())
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Application.objects.count(), ApplicationEvent.objects.count()) == before
