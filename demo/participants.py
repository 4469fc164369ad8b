"""The past Upon aspiring directors cohorts, with their people, for the reports.

Cohort 1 is as reported (DOMAIN.md): 19 participants, 14 from children's social care,
3 from education, 1 from adult social care and 1 from commissioning; 14 British, 3 Irish
and 2 African; none disabled. The notes give no figures for who applied and was not
offered a place, so cohort 1 has no such applicants here. Cohort 2 and the 2023 cohort
are invented to be bigger and somewhat more diverse (as the programme meant them to be
after cohort 1), with applicants turned down, a waiting list and completions.

Each person is made once, keyed on their address; their history is dated inside the
cohort's own application window and running dates, so the reports' time series read
true. A second run finds everyone and changes nothing. These accounts cannot sign in.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import (
    CareerEntry,
    CurrentRole,
    EmployerType,
    Nation,
    Profile,
    Sector,
    Seniority,
    User,
)
from applications.eligibility import evaluate, facts_for_application
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.sections import SECTION_KEYS
from applications.services.submission import reference_new
from equality.models import AgeBand, EqualityAnswers, HouseholdEarnerOccupation, Sex
from programmes.models import Cohort

UPON = "upon-aspiring-directors"

COMPLETED = (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED, S.COMPLETED)
DID_NOT_COMPLETE = (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED, S.DID_NOT_COMPLETE)
FROM_WAITING_LIST = (S.SUBMITTED, S.ELIGIBLE, S.WAITLISTED, S.OFFERED, S.ENROLLED, S.COMPLETED)
TURNED_DOWN = (S.SUBMITTED, S.NEEDS_REVIEW, S.REJECTED)
NOT_ELIGIBLE = (S.SUBMITTED, S.INELIGIBLE)
WITHDREW = (S.SUBMITTED, S.ELIGIBLE, S.WITHDRAWN)

# Years of senior strategic experience each path's people have: screening then gives
# the outcome their history shows (no history at all: the rule cannot tell).
SENIOR_YEARS: dict[tuple[str, ...], int] = {TURNED_DOWN: 0, NOT_ELIGIBLE: 1}


@dataclass(frozen=True)
class PastCohort:
    name: str
    email_prefix: str
    paths: tuple[tuple[tuple[str, ...], int], ...]
    sectors: tuple[tuple[str, int], ...]
    ethnic_groups: tuple[tuple[str, int], ...]
    disabled: int
    disability_not_said: int = 0
    seed: int = 0


def _repeat(pairs: Sequence[tuple[object, int]]) -> list[object]:
    return [value for value, count in pairs for _ in range(count)]


PAST_COHORTS: tuple[PastCohort, ...] = (
    PastCohort(
        name="Cohort 1",
        email_prefix="upon1",
        paths=((COMPLETED, 19),),
        sectors=(
            (Sector.CHILDRENS_SOCIAL_CARE, 14),
            (Sector.EDUCATION, 3),
            (Sector.ADULT_SOCIAL_CARE, 1),
            (Sector.COMMISSIONING, 1),
        ),
        ethnic_groups=(("white_british", 14), ("white_irish", 3), ("black_african", 2)),
        disabled=0,
        seed=1,
    ),
    PastCohort(
        name="Cohort 2",
        email_prefix="upon2",
        paths=(
            (COMPLETED, 26),
            (FROM_WAITING_LIST, 6),
            (DID_NOT_COMPLETE, 3),
            (TURNED_DOWN, 5),
            (NOT_ELIGIBLE, 4),
            (WITHDREW, 3),
        ),
        sectors=(
            (Sector.CHILDRENS_SOCIAL_CARE, 28),
            (Sector.EDUCATION, 7),
            (Sector.EARLY_HELP, 4),
            (Sector.YOUTH_JUSTICE, 3),
            (Sector.ADULT_SOCIAL_CARE, 2),
            (Sector.COMMISSIONING, 2),
            (Sector.INCLUSION, 1),
        ),
        ethnic_groups=(
            ("white_british", 31),
            ("white_irish", 3),
            ("white_other", 1),
            ("black_african", 4),
            ("black_caribbean", 3),
            ("mixed_white_black_caribbean", 1),
            ("asian_indian", 2),
            ("asian_pakistani", 1),
            ("prefer_not_to_say", 1),
        ),
        disabled=2,
        disability_not_said=2,
        seed=2,
    ),
    PastCohort(
        name="2023 cohort",
        email_prefix="upon2023",
        # With the two people demo.applications puts on this cohort, 40 took part.
        paths=(
            (COMPLETED, 30),
            (FROM_WAITING_LIST, 5),
            (DID_NOT_COMPLETE, 3),
            (TURNED_DOWN, 10),
            (NOT_ELIGIBLE, 7),
            (WITHDREW, 5),
        ),
        sectors=(
            (Sector.CHILDRENS_SOCIAL_CARE, 34),
            (Sector.EDUCATION, 9),
            (Sector.EARLY_HELP, 5),
            (Sector.YOUTH_JUSTICE, 3),
            (Sector.HEALTH, 3),
            (Sector.ADULT_SOCIAL_CARE, 2),
            (Sector.COMMISSIONING, 2),
            (Sector.INCLUSION, 2),
        ),
        ethnic_groups=(
            ("white_british", 37),
            ("white_irish", 3),
            ("white_other", 2),
            ("black_african", 6),
            ("black_caribbean", 4),
            ("mixed_white_black_caribbean", 2),
            ("mixed_white_asian", 1),
            ("asian_indian", 2),
            ("asian_pakistani", 1),
            ("asian_bangladeshi", 1),
            ("prefer_not_to_say", 1),
        ),
        disabled=3,
        disability_not_said=2,
        seed=3,
    ),
)

FIRST = ("Alex", "Bronwen", "Carys", "Dev", "Efua", "Finn", "Gwen", "Hari", "Imogen", "Jon",
         "Kemi", "Lowri", "Mo", "Niamh", "Osian", "Parveen", "Rhian", "Sam", "Tomos",
         "Yaw")  # fmt: skip
LAST = ("Ashby", "Bevan", "Carr", "Doyle", "Evans", "Ferris", "Griffiths", "Hale", "Iqbal",
        "Jones", "Kaur", "Lloyd", "Mensah", "Nolan", "Owusu", "Pryce", "Quinn", "Reid")  # fmt: skip
SEXES = (Sex.FEMALE, Sex.FEMALE, Sex.MALE)
AGES = (AgeBand.FROM_40_TO_49, AgeBand.FROM_40_TO_49, AgeBand.FROM_50_TO_59, AgeBand.FROM_30_TO_39)
OCCUPATIONS = (
    HouseholdEarnerOccupation.PROFESSIONAL,
    HouseholdEarnerOccupation.ROUTINE,
    HouseholdEarnerOccupation.MANAGER,
    HouseholdEarnerOccupation.CLERICAL,
    HouseholdEarnerOccupation.TECHNICAL,
)


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    path: tuple[str, ...]
    sector: str
    ethnic_group: str
    disability: str
    index: int


def people_of(cohort: PastCohort) -> list[Person]:
    """Everyone in a past cohort, with their characteristics shuffled the same way each run."""
    paths = _repeat(cohort.paths)
    size = len(paths)
    # Seeded so that every run shuffles the same way; nothing here is secret.
    rng = random.Random(cohort.seed)  # noqa: S311
    sectors, ethnic = _repeat(cohort.sectors), _repeat(cohort.ethnic_groups)
    if len(sectors) != size or len(ethnic) != size:
        raise ValueError(f"{cohort.name}: every list must have {size} people")
    disability = (
        ["yes"] * cohort.disabled
        + ["prefer_not_to_say"] * cohort.disability_not_said
        + ["no"] * (size - cohort.disabled - cohort.disability_not_said)
    )
    for values in (sectors, ethnic, disability):
        rng.shuffle(values)
    return [
        Person(
            email=f"{cohort.email_prefix}.{index + 1:02d}@example.com",
            full_name=f"{FIRST[index % len(FIRST)]} {LAST[(index * 7 + cohort.seed) % len(LAST)]}",
            path=paths[index],  # type: ignore[arg-type]
            sector=str(sectors[index]),
            ethnic_group=str(ethnic[index]),
            disability=str(disability[index]),
            index=index,
        )
        for index in range(size)
    ]


def _times(person: Person, cohort: Cohort) -> list[dt.datetime]:
    """When each step of the person's path happened, inside the cohort's real dates."""
    opened = cohort.applications_open_at or dt.datetime.combine(
        cohort.starts_on - dt.timedelta(days=90), dt.time(9), tzinfo=dt.UTC
    )
    closed = cohort.applications_close_at or opened + dt.timedelta(days=45)
    submitted = opened + dt.timedelta(hours=7 * person.index + 1)
    decided = closed + dt.timedelta(days=10)
    started = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    ended = dt.datetime.combine(cohort.ends_on, dt.time(17), tzinfo=dt.UTC)
    # Waiting-list offers go out one every few days as places free up.
    from_list = decided + dt.timedelta(days=4 + 3 * (person.index % 7))
    at: dict[str, dt.datetime] = {
        S.SUBMITTED: submitted,
        S.ELIGIBLE: submitted + dt.timedelta(minutes=1),
        S.NEEDS_REVIEW: submitted + dt.timedelta(minutes=1),
        S.INELIGIBLE: submitted + dt.timedelta(minutes=1),
        S.WAITLISTED: decided,
        S.REJECTED: decided,
        S.WITHDRAWN: decided - dt.timedelta(days=3),
        S.OFFERED: from_list if S.WAITLISTED in person.path else decided,
        S.COMPLETED: ended,
        S.DID_NOT_COMPLETE: ended,
    }
    at[S.ENROLLED] = min(at[S.OFFERED] + dt.timedelta(days=3), started)
    return [at[state] for state in person.path]


def _account(person: Person, submitted: dt.datetime) -> User:
    user = User.objects.create(
        email=person.email, full_name=person.full_name, email_verified_at=submitted
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Profile.objects.create(
        user=user,
        job_title="Assistant director",
        current_role=CurrentRole.ASSISTANT_DIRECTOR,
        employer_type=EmployerType.LOCAL_AUTHORITY,
        sector=person.sector,
        nation=Nation.ENGLAND,
    )
    years = SENIOR_YEARS.get(person.path, 5)
    if years:
        CareerEntry.objects.create(
            user=user,
            role_title="Assistant director",
            organisation="County Council",
            sector=person.sector,
            seniority=Seniority.SENIOR_STRATEGIC,
            started_on=submitted.date() - dt.timedelta(days=365 * years + 30),
        )
    EqualityAnswers.objects.create(
        user=user,
        ethnic_group=person.ethnic_group,
        disability=person.disability,
        sex=SEXES[person.index % len(SEXES)],
        age_band=AGES[person.index % len(AGES)],
        household_earner_occupation=OCCUPATIONS[person.index % len(OCCUPATIONS)],
    )
    return user


def _application(person: Person, user: User, cohort: Cohort) -> None:
    times = _times(person, cohort)
    submitted = times[0]
    application = Application.objects.create(
        cohort=cohort,
        applicant=user,
        state=person.path[-1],
        submitted_at=submitted,
        reference=reference_new(),
        sections_done=list(SECTION_KEYS),
        declarations={"ready_for_dcs_within_three_years": True},
        supporting_statement="I lead a large children's services team and want to lead wider.",
        endorser_name="Director of children's services",
        endorser_role="Director of children's services",
        endorser_email="dcs.office@example.com",
        snapshot={
            "full_name": user.full_name,
            "email": user.email,
            "current_role": str(CurrentRole.ASSISTANT_DIRECTOR.label),
            "employer_type": str(EmployerType.LOCAL_AUTHORITY.label),
            "sector": str(Sector(person.sector).label),
            "nation": str(Nation.ENGLAND.label),
        },
    )
    rules = list(cohort.programme.eligibility_rules.filter(is_active=True))
    verdict = evaluate(
        rules=rules, facts=facts_for_application(application, today=submitted.date())
    )
    application.eligibility_outcome = verdict.outcome
    application.eligibility_results = verdict.as_json()
    application.screened_at = submitted
    application.save(update_fields=["eligibility_outcome", "eligibility_results", "screened_at"])
    previous: str = S.DRAFT
    for state, at in zip(person.path, times, strict=True):
        event = ApplicationEvent.objects.create(
            application=application, from_state=previous, to_state=state
        )
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=at)
        previous = state


def load_participants(cohorts: dict[tuple[str, str], Cohort]) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for past in PAST_COHORTS:
        cohort = cohorts[(UPON, past.name)]
        for person in people_of(past):
            if User.objects.filter(email=person.email).exists():
                outcome["unchanged"] += 1
                continue
            user = _account(person, _times(person, cohort)[0])
            _application(person, user, cohort)
            outcome["created"] += 1
    return outcome
