"""Demo applicants and applications: one in each lasting state, and a full cohort with a queue.

Each application is created once, with the history of how it got to its state;
a second run finds it and leaves it alone. An open offer was made two days before
the first run, with its deadline from the places service's own rule, so it can
still be accepted. Places taken are then recounted from the applications, so
capacity figures always match them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import (
    CareerEntry,
    CurrentRole,
    EmployerType,
    LocalAuthority,
    Nation,
    Profile,
    Sector,
    Seniority,
    User,
)
from applications.eligibility import evaluate, facts_for_application
from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.sections import SECTION_KEYS
from applications.services.places import offer_deadline
from applications.services.submission import reference_new
from programmes.models import AdmissionMode, Cohort

from .catalogue import DEMO_PASSWORD

# How an application reaches each state, after draft.
PATHS: dict[str, tuple[S, ...]] = {
    S.DRAFT: (),
    S.ELIGIBLE: (S.SUBMITTED, S.ELIGIBLE),
    S.NEEDS_REVIEW: (S.SUBMITTED, S.NEEDS_REVIEW),
    S.INELIGIBLE: (S.SUBMITTED, S.INELIGIBLE),
    S.OFFERED: (S.SUBMITTED, S.ELIGIBLE, S.OFFERED),
    S.WAITLISTED: (S.SUBMITTED, S.ELIGIBLE, S.WAITLISTED),
    S.REJECTED: (S.SUBMITTED, S.NEEDS_REVIEW, S.REJECTED),
    S.ENROLLED: (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED),
    S.DECLINED: (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.DECLINED),
    S.EXPIRED: (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.EXPIRED),
    S.WITHDRAWN: (S.SUBMITTED, S.ELIGIBLE, S.WITHDRAWN),
    S.COMPLETED: (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED, S.COMPLETED),
    S.DID_NOT_COMPLETE: (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED, S.DID_NOT_COMPLETE),
}

REASONS: dict[str, str] = {
    S.SUBMITTED: "Submitted by the applicant.",
    S.ELIGIBLE: "Automatic screening against the programme's eligibility rules.",
    S.NEEDS_REVIEW: "Automatic screening against the programme's eligibility rules.",
    S.INELIGIBLE: "Automatic screening against the programme's eligibility rules.",
    S.OFFERED: "Strong statement; good fit for this cohort.",
    S.WAITLISTED: "Cohort full; next in line.",
    S.REJECTED: "Experience is in a related field but not at a strategic level yet.",
    S.ENROLLED: "Offer accepted.",
    S.DECLINED: "Cannot attend the residential dates.",
    S.EXPIRED: "No answer before the offer deadline.",
    S.WITHDRAWN: "Moved to a new role.",
    S.COMPLETED: "Attended every session.",
    S.DID_NOT_COMPLETE: "Left part-way through for family reasons.",
}


@dataclass(frozen=True)
class DemoApplication:
    email: str
    full_name: str
    programme_slug: str
    cohort_name: str
    state: str
    senior_years: int = 5  # 0 means no career history at all: screening cannot check it


UPON, NEXT = "upon-aspiring-directors", "Next cohort"
APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication("applicant@example.com", "Priya Chaudhry", UPON, NEXT, S.DRAFT),
    DemoApplication("rhys.morgan@example.com", "Rhys Morgan", UPON, NEXT, S.ELIGIBLE),
    DemoApplication("nadia.hussain@example.com", "Nadia Hussain", UPON, NEXT, S.NEEDS_REVIEW, 0),
    DemoApplication("liam.doherty@example.com", "Liam Doherty", UPON, NEXT, S.INELIGIBLE, 1),
    DemoApplication("grace.adeyemi@example.com", "Grace Adeyemi", UPON, NEXT, S.OFFERED),
    DemoApplication("owen.price@example.com", "Owen Price", UPON, NEXT, S.WAITLISTED),
    DemoApplication("fatima.begum@example.com", "Fatima Begum", UPON, NEXT, S.REJECTED, 0),
    DemoApplication("daniel.kerr@example.com", "Daniel Kerr", UPON, NEXT, S.DECLINED),
    DemoApplication("sophie.turner@example.com", "Sophie Turner", UPON, NEXT, S.EXPIRED),
    DemoApplication("marcus.bell@example.com", "Marcus Bell", UPON, NEXT, S.WITHDRAWN),
    DemoApplication("hannah.lewis@example.com", "Hannah Lewis", UPON, "Current cohort", S.ENROLLED),
    DemoApplication("joseph.okoro@example.com", "Joseph Okoro", UPON, "2023 cohort", S.COMPLETED),
    DemoApplication(
        "emma.walsh@example.com", "Emma Walsh", UPON, "2023 cohort", S.DID_NOT_COMPLETE
    ),
)

# The IPC commissioning course sold out: its next cohort is full and people queue.
FULL_PROGRAMME, FULL_COHORT = "commissioning-for-childrens-services", "Next cohort"
FIRST_NAMES = (
    "Aisha",
    "Alan",
    "Bethan",
    "Chloe",
    "Craig",
    "Deborah",
    "Eleri",
    "Farah",
    "Gemma",
    "Ian",
    "Jasmine",
    "Karen",
    "Leon",
    "Mei",
    "Neil",
    "Olu",
    "Paula",
    "Ravi",
    "Sian",
    "Tariq",
    "Una",
    "Victor",
    "Wendy",
)


def _full_cohort_people(capacity: int) -> list[DemoApplication]:
    people = []
    for index, first in enumerate(FIRST_NAMES[: capacity + 3], start=1):
        state = S.ENROLLED if index <= capacity else S.WAITLISTED
        people.append(
            DemoApplication(
                f"commissioner{index:02d}@example.com",
                f"{first} Commissioner",
                FULL_PROGRAMME,
                FULL_COHORT,
                state,
            )
        )
    return people


def _person(spec: DemoApplication, password_hash: str, authority: LocalAuthority | None) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is not None:
        return user
    user = User.objects.create(
        email=spec.email,
        full_name=spec.full_name,
        password=password_hash,
        email_verified_at=timezone.now() - dt.timedelta(days=60),
    )
    Profile.objects.create(
        user=user,
        job_title="Assistant director",
        current_role=CurrentRole.ASSISTANT_DIRECTOR,
        current_role_since=dt.date(2021, 9, 1),
        employer_type=EmployerType.LOCAL_AUTHORITY if authority else EmployerType.OTHER,
        local_authority=authority,
        employer_name="" if authority else "Children's Trust",
        sector=Sector.CHILDRENS_SOCIAL_CARE,
        nation=authority.nation if authority else Nation.ENGLAND,
    )
    if spec.senior_years:
        today = timezone.localdate()
        CareerEntry.objects.create(
            user=user,
            role_title="Head of service, children in care",
            organisation=authority.name if authority else "Children's Trust",
            sector=Sector.CHILDRENS_SOCIAL_CARE,
            seniority=Seniority.SENIOR_OPERATIONAL,
            started_on=today - dt.timedelta(days=365 * (spec.senior_years + 4)),
            ended_on=today - dt.timedelta(days=365 * spec.senior_years + 1),
        )
        CareerEntry.objects.create(
            user=user,
            role_title="Assistant director, children's social care",
            organisation=authority.name if authority else "Children's Trust",
            sector=Sector.CHILDRENS_SOCIAL_CARE,
            seniority=Seniority.SENIOR_STRATEGIC,
            started_on=today - dt.timedelta(days=365 * spec.senior_years),
        )
    return user


# Days between the steps of a demo application's history.
STEP = dt.timedelta(days=2)
# How long ago an application still holding an open offer was offered its place.
OPEN_OFFER_AGE = dt.timedelta(days=2)


def _submitted_at(path: tuple[S, ...], now: dt.datetime) -> dt.datetime:
    if path and path[-1] == S.OFFERED:
        return now - OPEN_OFFER_AGE - STEP * path.index(S.OFFERED)
    return now - dt.timedelta(days=20)


def _application(spec: DemoApplication, user: User, cohort: Cohort) -> tuple[Application, bool]:
    existing = Application.objects.filter(cohort=cohort, applicant=user).first()
    if existing is not None:
        return existing, False
    path = PATHS[spec.state]
    if cohort.programme.admission_mode == AdmissionMode.FIRST_COME:
        # Booked straight away: first-come cohorts make no offers.
        path = tuple(state for state in path if state != S.OFFERED)
    submitted = _submitted_at(path, timezone.now())
    # When the application reached each state of its path.
    reached = {state: submitted + STEP * step for step, state in enumerate(path)}
    offered_at = reached.get(S.OFFERED) if spec.state == S.OFFERED else None
    application = Application.objects.create(
        cohort=cohort,
        applicant=user,
        state=spec.state,
        submitted_at=submitted if path else None,
        # Every submitted application has a reference, as one submitted through the site has.
        reference=reference_new() if path else "",
        sections_done=list(SECTION_KEYS) if path else ["personal", "career"],
        declarations={
            "ready_for_dcs_within_three_years": True,
        },
        supporting_statement=(
            "I lead our children in care and care leavers service and chair the local "
            "partnership's practice group. I want to strengthen how I lead across agencies."
        )
        if path
        else "",
        endorser_name="Director of children's services" if path else "",
        endorser_role="Director of children's services" if path else "",
        endorser_email="dcs.office@example.com" if path else "",
        offered_at=offered_at,
        offer_expires_at=offer_deadline(cohort, offered_at) if offered_at else None,
        waitlisted_at=reached.get(S.WAITLISTED) if spec.state == S.WAITLISTED else None,
    )
    if path:
        rules = list(cohort.programme.eligibility_rules.filter(is_active=True))
        verdict = evaluate(
            rules=rules, facts=facts_for_application(application, today=timezone.localdate())
        )
        application.eligibility_outcome = verdict.outcome
        application.eligibility_results = verdict.as_json()
        application.screened_at = submitted
        application.save(
            update_fields=["eligibility_outcome", "eligibility_results", "screened_at"]
        )
    previous: str = S.DRAFT
    for state in path:
        event = ApplicationEvent.objects.create(
            application=application,
            actor=user if state in (S.SUBMITTED, S.ENROLLED, S.DECLINED, S.WITHDRAWN) else None,
            from_state=previous,
            to_state=state,
            reason=REASONS[state],
        )
        # Spread the history out so it reads like real time passing.
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=reached[state])
        previous = state
    return application, True


def load_applications(cohorts: dict[tuple[str, str], Cohort]) -> Counter[str]:
    outcome: Counter[str] = Counter()
    password_hash = make_password(DEMO_PASSWORD)
    authorities = list(LocalAuthority.objects.order_by("name")[:40])
    full = cohorts[(FULL_PROGRAMME, FULL_COHORT)]
    specs = list(APPLICATIONS) + _full_cohort_people(full.capacity)
    for index, spec in enumerate(specs):
        authority = authorities[index % len(authorities)] if authorities else None
        user = _person(spec, password_hash, authority)
        _, created = _application(spec, user, cohorts[(spec.programme_slug, spec.cohort_name)])
        outcome["created" if created else "unchanged"] += 1
    _recount_places()
    return outcome


def _recount_places() -> None:
    counted = Cohort.objects.annotate(
        held=Count("applications", filter=Q(applications__state__in=HOLDS_A_PLACE))
    )
    for pk, taken, held in counted.values_list("pk", "places_taken", "held"):
        if taken != held:
            Cohort.objects.filter(pk=pk).update(places_taken=held)
