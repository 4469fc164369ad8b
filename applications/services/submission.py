"""Submitting an application: freeze what was said, screen it automatically, confirm by email."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import User
from accounts.selectors import senior_years_of
from notifications.outbox import RenderedEmail, email_render, emails_write
from portal.choices import choice_label
from portal.precompiled import PrecompiledGet
from programmes.models import AdmissionMode

from ..eligibility import evaluate, facts_for_application, required_document_kinds
from ..errors import (
    ALREADY_SUBMITTED,
    INCOMPLETE,
    AlreadySubmitted,
    ApplicationIncomplete,
)
from ..lifecycle import Step, transition_through
from ..models import Application, ApplicationState, EligibilityOutcome
from ..sections import BY_KEY
from ..selectors import section_facts_for
from .drafts import ensure_accepting, sections_missing
from .places import emails as place_emails
from .places.locking import lock_cohort, take_place
from .places.selectors import waitlist_position_on_joining
from .places.waitlist import BOOKED, QUEUED, booking_for

SCREENING_REASON = "Automatic screening against the programme's eligibility rules."

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B or 6/G: a reference read out on the phone or copied
# from a printout cannot be mistaken for another. 23**6 is about 148 million codes.
REFERENCE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
REFERENCE_LENGTH = 6
REFERENCE_PREFIX = "LP-"


def reference_draw() -> str:
    """A reference drawn at random; `reference_new` also checks nobody has it."""
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


def reference_new() -> str:
    """A reference no application has yet. The unique index backs up the check."""
    while True:
        code = reference_draw()
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
        "current_role": choice_label(profile, "current_role") if profile else "",
        "employer": profile.employer_display if profile else "",
        "employer_type": choice_label(profile, "employer_type") if profile else "",
        "sector": choice_label(profile, "sector") if profile else "",
        "nation": choice_label(profile, "nation") if profile else "",
        "senior_strategic_years": senior_years_of(career, today=today),
        "career": [
            {
                "role": e.role_title,
                "organisation": e.organisation,
                "sector": choice_label(e, "sector"),
                "level": choice_label(e, "seniority"),
                "from": e.started_on.isoformat(),
                "to": e.ended_on.isoformat() if e.ended_on else None,
            }
            for e in career
        ],
    }


# How often a submission is prepared again when the application changed between
# preparing it and locking it (another tab saved a section at the same instant).
PREPARE_ATTEMPTS = 3


class _Changed(Exception):
    """The application changed after it was prepared: prepare it again."""


@dataclass(frozen=True)
class _Prepared:
    """Everything a submission computes before it takes the cohort lock.

    Worked out from the application as it was at `version` (its updated_at), and only
    used if the locked row still has that version and is still a draft. The profile,
    career history and the programme's rules are other tables: a change to them in the
    same instant is as if it came just after the submission, which it may.
    """

    cohort_id: int
    version: dt.datetime
    snapshot: dict[str, Any]
    reference: str
    outcome: str
    results: list[dict[str, Any]]
    confirmation: RenderedEmail
    # For a first-come booking: the place or waiting-list email, whichever the cohort's
    # places (read without the lock) make likely; the other is rendered under the lock in
    # the rare case the guess was wrong (`place_email`).
    booked: RenderedEmail | None
    queued: RenderedEmail | None
    application: Application

    def place_email(self, notice: str) -> RenderedEmail:
        if notice == BOOKED.template:
            return self.booked or place_emails.render(self.application, notice)
        return self.queued or place_emails.render(
            self.application, notice, position=place_emails.POSITION_MARKER
        )


def application_submit(*, application: Application, by: User) -> Application:
    """Submit a complete draft and screen it. Submitting twice changes nothing the second time.

    Only the applicant submits their own application: for anyone else it is not there
    (Application.DoesNotExist), so a page can answer 404 without reading it first.

    The slow part (snapshot, screening, rendering the emails) runs before the cohort lock;
    under it, one booking or queueing decision and the writes. So bookings for one cohort,
    which take turns on its lock, each hold it for a few queries.
    """
    for _attempt in range(PREPARE_ATTEMPTS - 1):
        try:
            return _submit_prepared(prepared=_prepare(application.pk, applicant_id=by.pk), by=by)
        except _Changed:
            continue
    # Changing at every attempt: do the last one wholly under the lock.
    return _submit_prepared(
        prepared=_prepare(application.pk, applicant_id=by.pk), by=by, locked_first=True
    )


# Read in every submission, so its SQL is compiled once (portal/precompiled.py).
_APPLICATION_TO_PREPARE: PrecompiledGet[Application] = PrecompiledGet(
    lambda pk: Application.objects.select_related(
        "cohort__programme", "applicant__profile__local_authority"
    ).filter(pk=pk)
)


def _prepare(application_id: int, *, applicant_id: int) -> _Prepared:
    application = _APPLICATION_TO_PREPARE.get(application_id)
    if application.applicant_id != applicant_id:
        raise Application.DoesNotExist(application_id)
    if application.state != ApplicationState.DRAFT:
        raise AlreadySubmitted(ALREADY_SUBMITTED)
    programme = application.cohort.programme
    rules = list(programme.eligibility_rules.filter(is_active=True))
    prefetch_related_objects([application], "applicant__career_entries")
    # Which documents were uploaded decides something only when a rule asks for one.
    document_kinds: frozenset[str] = (
        frozenset(application.documents.values_list("kind", flat=True))
        if required_document_kinds(rules)
        else frozenset()
    )
    missing = sections_missing(
        application,
        facts=section_facts_for(application, rules=rules, document_kinds=document_kinds),
    )
    if missing:
        titles = ", ".join(str(BY_KEY[key].title) for key in missing)
        raise ApplicationIncomplete(INCOMPLETE % {"sections": titles})
    ensure_accepting(application.cohort)

    today = timezone.localdate()
    verdict = evaluate(
        rules=rules,
        facts=facts_for_application(application, today=today, document_kinds=document_kinds),
    )
    # Kept if it ever had one, so a reference once quoted always finds this application.
    # A new one is checked against everyone else's under the lock, in the same query.
    application.reference = application.reference or reference_draw()
    application.eligibility_outcome = verdict.outcome
    outcome_label = choice_label(application, "eligibility_outcome")
    results = verdict.as_json()
    confirmation = email_render(
        to=application.applicant.email,
        template="application_submitted",
        context={
            "name": application.applicant.get_short_name(),
            "reference": application.reference,
            "programme": programme.title,
            "cohort": application.cohort.name,
            "outcome": verdict.outcome,
            "outcome_label": outcome_label,
            "results": results,
            "application_path": f"/account/applications/{application.pk}/",
            "team_email": programme.contact_email,
        },
    )
    might_book = (
        programme.admission_mode == AdmissionMode.FIRST_COME
        and _state_for(verdict.outcome) == ApplicationState.ELIGIBLE
    )
    likely_full = application.cohort.places_taken >= application.cohort.capacity
    return _Prepared(
        cohort_id=application.cohort_id,
        version=application.updated_at,
        snapshot=_snapshot(application, today),
        reference=application.reference,
        outcome=verdict.outcome,
        results=results,
        confirmation=confirmation,
        booked=(
            place_emails.render(application, BOOKED.template)
            if might_book and not likely_full
            else None
        ),
        queued=(
            place_emails.render(application, QUEUED.template, position=place_emails.POSITION_MARKER)
            if might_book and likely_full
            else None
        ),
        application=application,
    )


def _submit_prepared(*, prepared: _Prepared, by: User, locked_first: bool = False) -> Application:
    with transaction.atomic():
        cohort = lock_cohort(prepared.cohort_id)
        row = _lock_row(prepared.application.pk, reference=prepared.reference)
        if row.state != ApplicationState.DRAFT:
            raise AlreadySubmitted(ALREADY_SUBMITTED)
        if row.cohort_id != cohort.pk or row.version != prepared.version:
            if not locked_first:
                raise _Changed
            # Prepared while the locks were not held: do it again under them.
            prepared = _prepare(prepared.application.pk, applicant_id=by.pk)
            row = _lock_row(prepared.application.pk, reference=prepared.reference)
        # The row is as it was when prepared (same version, still a draft), so the
        # prepared instance is written back; the fields below come from the locked row.
        locked = prepared.application
        locked.cohort = cohort
        locked.waitlist_priority = row.waitlist_priority
        # The window, publication and cancellation, on the locked cohort row.
        ensure_accepting(cohort)

        screened = _state_for(prepared.outcome)
        # Taken under the lock: the waiting list is in this order, so whoever was given
        # the lock (and a place) first also submitted first. Nobody is skipped.
        now = timezone.now()
        locked.snapshot = prepared.snapshot
        locked.submitted_at = now
        # Someone else drew the same new reference first (about one in 150 million
        # per application): draw again, asking the table each time.
        locked.reference = reference_new() if row.reference_taken else prepared.reference
        locked.eligibility_outcome = prepared.outcome
        locked.eligibility_results = prepared.results
        locked.screened_at = now
        steps = [
            Step(ApplicationState.SUBMITTED, by, "Submitted by the applicant."),
            Step(screened, None, SCREENING_REASON),
        ]
        fields = [
            "snapshot",
            "submitted_at",
            "reference",
            "eligibility_outcome",
            "eligibility_results",
            "screened_at",
        ]
        emails = [prepared.confirmation]
        booking = booking_for(cohort=cohort, application=locked, state=screened)
        if booking is not None:
            steps.append(Step(booking.to, None, booking.reason))
            if booking is BOOKED:
                take_place(cohort)
                emails.append(prepared.place_email(BOOKED.template))
            else:
                locked.waitlisted_at = now
                fields.append("waitlisted_at")
                position = waitlist_position_on_joining(
                    locked, joined_at=locked.waitlisted_at, priority=locked.waitlist_priority
                )
                queued = prepared.place_email(QUEUED.template)
                emails.append(place_emails.with_position(queued, position))
        transition_through(application=locked, steps=steps, extra_fields=tuple(fields))
        emails_write(rendered=emails)
    return locked


@dataclass(frozen=True)
class _LockedRow:
    state: str
    cohort_id: int
    version: dt.datetime
    waitlist_priority: int
    reference_taken: bool


def _lock_row(application_id: int, *, reference: str) -> _LockedRow:
    """Lock the application (after its cohort) and read what decides whether the prepared
    submission still holds, and whether anyone else has its reference, in one query.

    Written out: it runs under the cohort lock in every submission, where the ORM would
    build a model instance and an EXISTS that nothing else needs.
    """
    table = Application._meta.db_table
    sql = f"""
        SELECT a.state, a.cohort_id, a.updated_at, a.waitlist_priority,
               EXISTS (SELECT 1 FROM {table} r WHERE r.reference = %s AND r.id <> a.id)
        FROM {table} a WHERE a.id = %s
        FOR UPDATE OF a
    """  # noqa: S608 (the table name from the model; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [reference, application_id])
        found = cursor.fetchone()
    if found is None:
        raise Application.DoesNotExist(application_id)
    state, cohort_id, version, priority, taken = found
    return _LockedRow(state, cohort_id, version, priority, bool(taken))


def _state_for(outcome: str) -> str:
    return {
        EligibilityOutcome.ELIGIBLE: ApplicationState.ELIGIBLE,
        EligibilityOutcome.NEEDS_REVIEW: ApplicationState.NEEDS_REVIEW,
        EligibilityOutcome.INELIGIBLE: ApplicationState.INELIGIBLE,
    }[EligibilityOutcome(outcome)]
