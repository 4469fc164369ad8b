"""Submitting runs the automatic screening, records everything, and confirms by email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Seniority
from applications.errors import AlreadySubmitted, ApplicationIncomplete, ApplicationsClosed
from applications.models import ApplicationEvent, ApplicationState, EligibilityOutcome
from applications.services.submission import application_submit
from tests import factories

from .conftest import READY_KEY

pytestmark = pytest.mark.django_db


def _submit(ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return application_submit(application=ready.application, by=ready.applicant)


def test_eligible_applicant_is_screened_eligible_and_emailed(
    ready, django_capture_on_commit_callbacks
) -> None:
    application = _submit(ready, django_capture_on_commit_callbacks)

    assert application.state == ApplicationState.ELIGIBLE
    assert application.eligibility_outcome == EligibilityOutcome.ELIGIBLE
    assert application.submitted_at is not None and application.screened_at is not None
    rules = {r.pk: r.version for r in ready.cohort.programme.eligibility_rules.all()}
    assert {(r["rule_id"], r["version"]) for r in application.eligibility_results} == set(
        rules.items()
    )
    assert all(r["outcome"] == "pass" and r["reason"] for r in application.eligibility_results)
    moves = list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "from_state", "to_state", "actor"
        )
    )
    assert moves == [
        ("draft", "submitted", ready.applicant.pk),
        ("submitted", "eligible", None),
    ]
    assert [m.to for m in mail.outbox] == [["amara@example.org"]]
    assert "Application received" in mail.outbox[0].subject


def test_a_no_to_a_declaration_makes_the_application_ineligible(
    ready, django_capture_on_commit_callbacks
) -> None:
    ready.application.declarations = {READY_KEY: False}
    ready.application.save()
    application = _submit(ready, django_capture_on_commit_callbacks)
    assert application.state == ApplicationState.INELIGIBLE
    failed = [r for r in application.eligibility_results if r["outcome"] == "fail"]
    assert len(failed) == 1 and failed[0]["reason"]


def test_too_little_experience_is_ineligible_with_a_reason(
    ready, django_capture_on_commit_callbacks
) -> None:
    ready.applicant.career_entries.update(started_on=timezone.localdate() - dt.timedelta(days=400))
    application = _submit(ready, django_capture_on_commit_callbacks)
    assert application.state == ApplicationState.INELIGIBLE
    reasons = " ".join(r["reason"] for r in application.eligibility_results)
    assert "1 year" in reasons and "at least 3" in reasons


def test_an_unanswerable_rule_sends_the_application_for_review(
    ready, django_capture_on_commit_callbacks
) -> None:
    # "In this role since" is optional, so a rule about how recent the role is can be
    # unanswerable on a complete application. (A profile with no nation cannot be
    # submitted at all: its personal section is incomplete.)
    factories.EligibilityRuleFactory(
        programme=ready.cohort.programme,
        kind="current_role",
        params={"roles": ["assistant_director"], "within_months": 12},
        message="Appointed in the last year",
    )
    ready.applicant.profile.current_role_since = None
    ready.applicant.profile.save()
    application = _submit(ready, django_capture_on_commit_callbacks)
    assert application.state == ApplicationState.NEEDS_REVIEW


def test_incomplete_application_is_refused_and_unchanged(ready) -> None:
    ready.application.sections_done = ["personal", "career"]
    ready.application.save()
    with pytest.raises(ApplicationIncomplete) as raised:
        application_submit(application=ready.application, by=ready.applicant)
    assert "Supporting statement" in str(raised.value)
    ready.application.refresh_from_db()
    assert ready.application.state == ApplicationState.DRAFT
    assert not ApplicationEvent.objects.exists()


def test_submitting_twice_records_one_submission(ready, django_capture_on_commit_callbacks) -> None:
    _submit(ready, django_capture_on_commit_callbacks)
    with pytest.raises(AlreadySubmitted):
        application_submit(application=ready.application, by=ready.applicant)
    assert ApplicationEvent.objects.filter(to_state="submitted").count() == 1
    assert len(mail.outbox) == 1


def test_submission_after_the_window_closes_is_refused(ready) -> None:
    cohort = ready.cohort
    cohort.applications_close_at = timezone.now() - dt.timedelta(minutes=1)
    cohort.applications_open_at = timezone.now() - dt.timedelta(days=10)
    cohort.save()
    with pytest.raises(ApplicationsClosed):
        application_submit(application=ready.application, by=ready.applicant)


def test_later_profile_changes_do_not_rewrite_a_submitted_application(
    ready, django_capture_on_commit_callbacks
) -> None:
    _submit(ready, django_capture_on_commit_callbacks)
    ready.applicant.profile.job_title = "Director"
    ready.applicant.profile.save()
    ready.applicant.career_entries.update(seniority=Seniority.PRACTITIONER)
    ready.application.refresh_from_db()
    assert ready.application.snapshot["job_title"] == "Assistant director, children's social care"
    assert ready.application.snapshot["career"][0]["level"] == "Senior strategic leadership"
    assert ready.application.snapshot["senior_strategic_years"] >= 8
