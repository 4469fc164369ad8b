"""Submitting an application: freeze what was said, screen it automatically, confirm by email."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import senior_years_of
from notifications.outbox import email_queue

from ..eligibility import evaluate, facts_for_application
from ..errors import (
    ALREADY_SUBMITTED,
    INCOMPLETE,
    AlreadySubmitted,
    ApplicationIncomplete,
)
from ..lifecycle import transition
from ..models import Application, ApplicationState, EligibilityOutcome
from ..sections import BY_KEY
from .drafts import ensure_accepting, sections_missing
from .places import application_book_or_queue
from .places.locking import lock_for

SCREENING_REASON = "Automatic screening against the programme's eligibility rules."

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B or 6/G: a reference read out on the phone or copied
# from a printout cannot be mistaken for another. 23**6 is about 148 million codes.
REFERENCE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
REFERENCE_LENGTH = 6
REFERENCE_PREFIX = "LP-"


def reference_new() -> str:
    """A reference no application has yet. The unique index backs up the check."""
    while True:
        code = REFERENCE_PREFIX + "".join(
            secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
        )
        if not Application.objects.filter(reference=code).exists():
            return code


def _snapshot(application: Application, today: Any) -> dict[str, Any]:
    user = application.applicant
    profile = getattr(user, "profile", None)
    career = list(user.career_entries.all())
    return {
        "full_name": user.full_name,
        "email": user.email,
        "phone": profile.phone if profile else "",
        "job_title": profile.job_title if profile else "",
        "current_role": profile.get_current_role_display() if profile else "",
        "employer": profile.employer_display if profile else "",
        "employer_type": profile.get_employer_type_display() if profile else "",
        "sector": profile.get_sector_display() if profile else "",
        "nation": profile.get_nation_display() if profile else "",
        "senior_strategic_years": senior_years_of(career, today=today),
        "career": [
            {
                "role": e.role_title,
                "organisation": e.organisation,
                "sector": e.get_sector_display(),
                "level": e.get_seniority_display(),
                "from": e.started_on.isoformat(),
                "to": e.ended_on.isoformat() if e.ended_on else None,
            }
            for e in career
        ],
    }


def application_submit(*, application: Application, by: User) -> Application:
    """Submit a complete draft and screen it. Submitting twice changes nothing the second time."""
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state != ApplicationState.DRAFT:
            raise AlreadySubmitted(ALREADY_SUBMITTED)
        missing = sections_missing(locked)
        if missing:
            titles = ", ".join(str(BY_KEY[key].title) for key in missing)
            raise ApplicationIncomplete(INCOMPLETE % {"sections": titles})
        ensure_accepting(locked.cohort)

        now = timezone.now()
        today = timezone.localdate()
        locked.snapshot = _snapshot(locked, today)
        locked.submitted_at = now
        # Kept if it ever had one, so a reference once quoted always finds this application.
        locked.reference = locked.reference or reference_new()
        transition(
            application=locked,
            to=ApplicationState.SUBMITTED,
            by=by,
            reason="Submitted by the applicant.",
            extra_fields=("snapshot", "submitted_at", "reference"),
        )

        rules = list(locked.cohort.programme.eligibility_rules.filter(is_active=True))
        verdict = evaluate(rules=rules, facts=facts_for_application(locked, today=today))
        locked.eligibility_outcome = verdict.outcome
        locked.eligibility_results = verdict.as_json()
        locked.screened_at = now
        transition(
            application=locked,
            to=_state_for(verdict.outcome),
            by=None,
            reason=SCREENING_REASON,
            extra_fields=("eligibility_outcome", "eligibility_results", "screened_at"),
        )
        application_book_or_queue(cohort=cohort, application=locked)
        email_queue(
            to=locked.applicant.email,
            template="application_submitted",
            context={
                "name": locked.applicant.get_short_name(),
                "reference": locked.reference,
                "programme": locked.cohort.programme.title,
                "cohort": locked.cohort.name,
                "outcome": locked.eligibility_outcome,
                "outcome_label": locked.get_eligibility_outcome_display(),
                "results": locked.eligibility_results,
                "application_path": f"/account/applications/{locked.pk}/",
                "team_email": locked.cohort.programme.contact_email,
            },
        )
    return locked


def _state_for(outcome: str) -> str:
    return {
        EligibilityOutcome.ELIGIBLE: ApplicationState.ELIGIBLE,
        EligibilityOutcome.NEEDS_REVIEW: ApplicationState.NEEDS_REVIEW,
        EligibilityOutcome.INELIGIBLE: ApplicationState.INELIGIBLE,
    }[EligibilityOutcome(outcome)]
