"""Seed a large, realistic data set for benchmarks: `seedscale --programmes N --applicants M`.

N published programmes (varied titles, summaries, themes, audiences, formats, costs and
providers), ten cohorts each in a mix of states (finished, running, open, full with a
waiting list, closed, not open yet, no dates for applying yet, cancelled), M applicants
`applicant<n>@example.com` with the demo password and a profile, and about two applications
each, in every state, on cohorts of two different programmes.

Rows are bulk-inserted in batches, so 1,000 programmes and 100,000 applicants take about a
minute, not hours; the password is hashed once and the hash reused. `Cohort.places_taken`
is then counted from the applications that hold a place, exactly as the places services
keep it, and every CHECK constraint holds (a cohort never holds more than its capacity).

It lives with the catalogue it mostly fills, but it writes applicants and applications too:
those imports are inside `handle`, so importing this app never pulls in the apps above it.
It refuses to run with DEBUG off unless given --force (it creates accounts with a published
password), and refuses to run twice on one database.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from programmes.models import (
    AdmissionMode,
    Audience,
    Cohort,
    CostType,
    DeliveryFormat,
    Programme,
    Provider,
)

REFUSED_WITHOUT_DEBUG = (
    "seedscale creates accounts with a published password, so it refuses to run with "
    "DEBUG off. Use --force if you really mean to seed benchmark data here."
)
ALREADY_SEEDED = (
    "This database already has seedscale data (applicant1@example.com exists). "
    "Seed a fresh database instead."
)

BATCH = 5000
COHORTS_PER_PROGRAMME = 10
APPLICATIONS_PER_APPLICANT = 2
PROVIDERS = 60
FUNDERS = 4
SLUG_PREFIX = "scale-"

PLACES = [
    "Northern", "Midlands", "Cardiff", "Pennine", "Thames Valley", "Severn", "Yorkshire",
    "Coastal", "Cambridge", "Mersey", "Solent", "Wessex", "Tyne", "Humber", "Chiltern",
]  # fmt: skip
ORGANISATIONS = [
    "Leadership Centre", "Institute of Public Care", "School of Social Work",
    "Children's Services Academy", "Partnership Trust", "Leadership College",
    "Centre for Public Services", "Practice Institute",
]  # fmt: skip
TOPICS = [
    "Leadership", "Commissioning", "Systems leadership", "Safeguarding", "Finance for leaders",
    "Coaching", "Resilience", "Partnership working", "Inclusive leadership",
    "Strategic planning", "Practice leadership", "Leading change", "Data and insight",
    "Corporate parenting", "Youth justice leadership", "SEND leadership", "Early help",
    "Workforce development", "Governance", "Scrutiny", "Anti-racist leadership",
    "Family help", "Quality assurance", "Leading through inspection",
]  # fmt: skip
FORMS = [
    "essentials", "for new directors", "masterclass", "programme", "in practice",
    "fellowship", "academy", "foundations", "for elected members", "for aspiring directors",
    "for senior leaders", "intensive",
]  # fmt: skip
REGIONS = ["", "", "", " (Wales)", " (North West)", " (London)", " (South West)", " (Midlands)"]
THEMES = [
    "Leading change", "Systems leadership", "Working with partners", "Safeguarding",
    "Commissioning services", "Budgets and finance", "Coaching and mentoring",
    "Equality and inclusion", "Using data", "Political awareness", "Resilience",
    "Children in care", "Care leavers", "Special educational needs", "Youth justice",
    "Early help", "Workforce", "Inspection readiness", "Corporate parenting",
]  # fmt: skip
OPENINGS = [
    "A practical course for", "A development programme for", "Peer learning for",
    "Structured support for", "An intensive course for", "A year of learning for",
]  # fmt: skip
AUDIENCE_WORDS = {
    Audience.ASPIRING_DIRECTOR: "people preparing to become a director of children's services",
    Audience.NEW_DIRECTOR: "directors in their first two years in post",
    Audience.SENIOR_LEADER: "senior leaders across children's services",
    Audience.ELECTED_MEMBER: "councillors who lead on or scrutinise children's services",
    Audience.COMMISSIONER: "people who plan and buy services for children and families",
}
DESCRIPTION_SENTENCES = [
    "Sessions combine short talks, case studies and action learning sets.",
    "Each participant works on a live challenge from their own organisation.",
    "Coaches with experience of leading children's services support every group.",
    "Participants meet peers from other councils and partner agencies.",
    "The course covers budgets, workforce planning and working with partners.",
    "There is time to reflect on leadership style and on feedback from colleagues.",
    "Residential days are held in a venue with step-free access throughout.",
    "Online sessions are recorded for those who cannot attend live.",
    "The programme draws on research about what helps children and families.",
    "Participants finish with a plan for their next steps as a leader.",
]  # fmt: skip
DURATIONS = ["Two days", "Six weeks", "Three months", "Six months", "Nine months", "One year"]
ACCREDITATIONS = ["", "", "Postgraduate certificate (60 credits)", "ILM Level 7 certificate"]
JOB_TITLES = [
    "Head of service", "Assistant director", "Service manager", "Deputy director",
    "Principal social worker", "Councillor", "Commissioning manager",
]  # fmt: skip
FIRST_NAMES = [
    "Aisha", "Ben", "Carys", "Dev", "Elin", "Femi", "Grace", "Huw", "Isla", "Jamal", "Kate",
    "Liam", "Mei", "Nia", "Owen", "Priya", "Rhys", "Sara", "Tomasz", "Yasmin",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Baker", "Chen", "Davies", "Evans", "Fraser", "Griffiths", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Price", "Roberts", "Shah",
]  # fmt: skip
REFERENCE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"


@dataclass(frozen=True)
class CohortKind:
    """One of the ten cohort shapes every programme gets, relative to today."""

    name: str
    starts_in: int  # days from today
    length: int  # days
    opens_in: int | None  # days from now; None: no application window yet
    closes_in: int | None
    cancelled: bool = False
    full: bool = False


KINDS = (
    CohortKind("Finished long ago", -420, 90, -500, -440),
    CohortKind("Finished", -200, 100, -280, -220),
    CohortKind("Running", -30, 120, -100, -40),
    CohortKind("Open", 45, 90, -10, 20),
    CohortKind("Full", 40, 60, -14, 25, full=True),
    CohortKind("Closed", 12, 60, -40, -2),
    CohortKind("Opens soon", 90, 90, 15, 45),
    CohortKind("Dates to follow", 200, 60, None, None),
    CohortKind("Cancelled", 60, 30, -5, 30, cancelled=True),
    CohortKind("Later", 120, 150, -5, 60),
)

# What an application on each kind of cohort may be, by admission mode. The first
# states of each list that hold a place are used only while places are left.
_STARTED = ["completed", "completed", "did_not_complete", "withdrawn", "rejected", "declined"]
STATES: dict[str, dict[str, list[str]]] = {
    AdmissionMode.SELECTIVE: {
        "finished": _STARTED,
        "running": ["enrolled", "enrolled", "withdrawn", "rejected", "declined"],
        "open": ["draft", "submitted", "eligible", "needs_review", "ineligible", "offered",
                 "waitlisted", "rejected", "expired"],
        "full": ["enrolled", "offered", "waitlisted"],
        "closed": ["eligible", "needs_review", "offered", "enrolled", "rejected", "waitlisted"],
        "not_open": ["draft"],
        "cancelled": ["withdrawn"],
    },
    AdmissionMode.FIRST_COME: {
        "finished": [s for s in _STARTED if s != "declined"],
        "running": ["enrolled", "enrolled", "withdrawn"],
        "open": ["draft", "needs_review", "ineligible", "enrolled", "waitlisted", "rejected"],
        "full": ["enrolled", "waitlisted"],
        "closed": ["enrolled", "waitlisted", "needs_review", "rejected"],
        "not_open": ["draft"],
        "cancelled": ["withdrawn"],
    },
    AdmissionMode.INVITATION: {
        "finished": [*_STARTED[:4], "declined"],
        "running": ["enrolled", "enrolled", "withdrawn"],
        "open": ["draft", "offered", "enrolled", "declined", "expired"],
        "full": ["enrolled", "offered"],
        "closed": ["offered", "enrolled", "declined"],
        "not_open": ["draft"],
        "cancelled": ["withdrawn"],
    },
}  # fmt: skip
HOLDS_A_PLACE = frozenset({"offered", "enrolled", "completed", "did_not_complete"})
SUBMITTED_SECTIONS = ["personal", "career", "eligibility", "statement", "documents", "endorsement"]


def _group(kind: CohortKind) -> str:
    if kind.cancelled:
        return "cancelled"
    if kind.starts_in + kind.length < 0:
        return "finished"
    if kind.starts_in <= 0:
        return "running"
    if kind.full:
        return "full"
    if kind.opens_in is None or kind.opens_in > 0:
        return "not_open"
    if kind.closes_in is not None and kind.closes_in <= 0:
        return "closed"
    return "open"


def _reference(n: int) -> str:
    digits = []
    for _ in range(6):
        n, digit = divmod(n, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "LP-" + "".join(reversed(digits))


class Command(BaseCommand):
    help = "Seed N programmes (10 cohorts each) and M applicants with about 2 applications each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programmes", type=int, default=1000)
        parser.add_argument("--applicants", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026, help="random seed (repeatable)")
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never in production)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        from accounts.models import User

        if User.objects.filter(email="applicant1@example.com").exists():
            raise CommandError(ALREADY_SEEDED)
        started = time.monotonic()
        # Repeatable test data, not secrets.
        self.random = random.Random(options["seed"])  # noqa: S311
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        with transaction.atomic():
            providers, funders = self._providers()
            programmes = self._programmes(options["programmes"], providers, funders)
            cohorts = self._cohorts(programmes)
            users = self._applicants(options["applicants"])
            states = self._applications(users, programmes, cohorts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(programmes)} programmes, {len(cohorts)} cohorts, {len(users)} "
                f"applicants and {sum(states.values())} applications in "
                f"{time.monotonic() - started:.0f} s."
            )
        )

    # --- Catalogue --------------------------------------------------------------------------

    def _providers(self) -> tuple[list[Provider], list[Provider]]:
        names = [f"{place} {org}" for org in ORGANISATIONS for place in PLACES]
        self.random.shuffle(names)
        rows = [
            Provider(
                name=name,
                slug=f"{SLUG_PREFIX}{slugify(name)}-{n}",
                kind=Provider.Kind.FUNDER if n < FUNDERS else Provider.Kind.PROVIDER,
                website=f"https://{slugify(name)}.example.org/",
                description=f"{name} runs development programmes for public services.",
            )
            for n, name in enumerate(names[: PROVIDERS + FUNDERS])
        ]
        created = Provider.objects.bulk_create(rows, batch_size=BATCH)
        return created[FUNDERS:], created[:FUNDERS]

    def _programmes(
        self, count: int, providers: list[Provider], funders: list[Provider]
    ) -> list[Programme]:
        pick = self.random
        rows = []
        for n in range(count):
            topic, form = TOPICS[n % len(TOPICS)], FORMS[(n // len(TOPICS)) % len(FORMS)]
            title = f"{topic} {form}{pick.choice(REGIONS)}"
            audience = pick.choice(Audience.values)
            cost_type = CostType.FUNDED if pick.random() < 0.4 else CostType.PAID
            themes = pick.sample(THEMES, pick.randint(2, 4))
            rows.append(
                Programme(
                    title=title,
                    slug=f"{SLUG_PREFIX}{slugify(title)}-{n}"[:100],
                    summary=f"{pick.choice(OPENINGS)} {AUDIENCE_WORDS[Audience(audience)]}, "
                    f"on {themes[0].lower()} and {themes[1].lower()}.",
                    description=" ".join(pick.sample(DESCRIPTION_SENTENCES, 5)),
                    themes="\n".join(themes),
                    audience=audience,
                    format=pick.choice(DeliveryFormat.values),
                    duration=pick.choice(DURATIONS),
                    cost_type=cost_type,
                    cost_amount=None
                    if cost_type == CostType.FUNDED
                    else Decimal(pick.randrange(150, 4000, 50)),
                    accreditation=pick.choice(ACCREDITATIONS),
                    admission_mode=pick.choices(AdmissionMode.values, weights=[5, 4, 1])[0],
                    contact_email=f"team{n}@example.org",
                    is_published=pick.random() < 0.95,
                    funder=pick.choice(funders) if pick.random() < 0.3 else None,
                )
            )
        created = Programme.objects.bulk_create(rows, batch_size=BATCH)
        through = Programme.providers.through
        links = [
            through(programme_id=programme.pk, provider_id=provider.pk)
            for programme in created
            for provider in pick.sample(providers, pick.choice([1, 1, 1, 2, 3]))
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        return created

    def _cohorts(self, programmes: list[Programme]) -> list[Cohort]:
        pick = self.random
        day = dt.timedelta(days=1)
        rows = []
        for n, programme in enumerate(programmes):
            # Spreads start dates, so "soonest first" has work to do: later for cohorts
            # to come, earlier for those begun, so each keeps the state of its kind.
            shift = n % 37
            for kind in KINDS:
                starts_in = kind.starts_in + (shift if kind.starts_in > 0 else -shift)
                starts = self.today + starts_in * day
                rows.append(
                    Cohort(
                        programme=programme,
                        name=f"{kind.name} {starts:%B %Y}",
                        starts_on=starts,
                        ends_on=starts + kind.length * day,
                        applications_open_at=None
                        if kind.opens_in is None
                        else self.now + kind.opens_in * day,
                        applications_close_at=None
                        if kind.closes_in is None
                        else self.now + min(kind.closes_in, starts_in) * day,
                        capacity=8 if kind.full else pick.randint(15, 40),
                        delivery_mode=programme.format,
                        venue=pick.choice(PLACES) + " and online",
                        offer_deadline_days=pick.choice([7, 14, 21]),
                        cancelled_at=self.now - 3 * day if kind.cancelled else None,
                        cancellation_reason="Too few people could attend on these dates."
                        if kind.cancelled
                        else "",
                    )
                )
        return Cohort.objects.bulk_create(rows, batch_size=BATCH)

    # --- People -----------------------------------------------------------------------------

    def _applicants(self, count: int) -> list[Any]:
        from django.contrib.auth.hashers import make_password

        from accounts.models import (
            CurrentRole,
            EmployerType,
            LocalAuthority,
            Nation,
            Profile,
            Sector,
            User,
        )
        from demo.catalogue import DEMO_PASSWORD

        pick = self.random
        # One hash for everyone: Argon2 is slow on purpose, and 100,000 hashes would
        # take longer than the rest of the seeding put together.
        password = make_password(DEMO_PASSWORD)
        users = User.objects.bulk_create(
            (
                User(
                    email=f"applicant{n}@example.com",
                    full_name=f"{pick.choice(FIRST_NAMES)} {pick.choice(LAST_NAMES)}",
                    password=password,
                    email_verified_at=self.now - dt.timedelta(days=pick.randint(1, 700)),
                    date_joined=self.now - dt.timedelta(days=pick.randint(700, 900)),
                )
                for n in range(1, count + 1)
            ),
            batch_size=BATCH,
        )
        authorities = list(LocalAuthority.objects.all())
        roles = [r for r in CurrentRole.values if r != CurrentRole.OTHER]
        profiles = []
        for user in users:
            authority = pick.choice(authorities) if authorities and pick.random() < 0.8 else None
            profiles.append(
                Profile(
                    user=user,
                    job_title=pick.choice(JOB_TITLES),
                    current_role=pick.choice(roles),
                    current_role_since=self.today - dt.timedelta(days=pick.randint(30, 3000)),
                    employer_type=EmployerType.LOCAL_AUTHORITY
                    if authority
                    else pick.choice([EmployerType.CHARITY, EmployerType.NHS]),
                    local_authority=authority,
                    employer_name="" if authority else "Children's Trust",
                    sector=pick.choice(Sector.values),
                    nation=authority.nation if authority else Nation.ENGLAND,
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=BATCH)
        return users

    def _applications(
        self, users: list[Any], programmes: list[Programme], cohorts: list[Cohort]
    ) -> Counter[str]:
        from applications.models import Application

        pick = self.random
        by_programme: dict[int, list[tuple[Cohort, str]]] = {}
        for index, cohort in enumerate(cohorts):
            group = _group(KINDS[index % len(KINDS)])
            by_programme.setdefault(cohort.programme_id, []).append((cohort, group))
        mode = {p.pk: p.admission_mode for p in programmes}
        held: Counter[int] = Counter()
        states: Counter[str] = Counter()
        programme_ids = list(by_programme)
        rows: list[Any] = []
        for user in users:
            # Two cohorts of different programmes, so nobody holds two places on one.
            chosen = pick.sample(programme_ids, min(APPLICATIONS_PER_APPLICANT, len(programme_ids)))
            for programme_id in chosen:
                cohort, group = pick.choice(by_programme[programme_id])
                state = self._state(cohort, group, STATES[mode[programme_id]][group], held)
                states[state] += 1
                rows.append(self._application(cohort, user, state, len(rows)))
        Application.objects.bulk_create(rows, batch_size=BATCH)
        for cohort in cohorts:
            cohort.places_taken = held[cohort.pk]
        # The counter is kept as the places services keep it: those holding a place.
        Cohort.objects.bulk_update(cohorts, ["places_taken"], batch_size=BATCH)
        return states

    def _state(self, cohort: Cohort, group: str, choices: list[str], held: Counter[int]) -> str:
        full = held[cohort.pk] >= cohort.capacity
        # A cohort meant to be full fills up first.
        state = choices[0] if group == "full" and not full else self.random.choice(choices)
        if state in HOLDS_A_PLACE:
            if full:
                fallback = [s for s in choices if s not in HOLDS_A_PLACE]
                return fallback[0] if fallback else "withdrawn"
            held[cohort.pk] += 1
        return state

    def _application(self, cohort: Cohort, user: Any, state: str, n: int) -> Any:
        from applications.models import Application

        day = dt.timedelta(days=1)
        submitted = state != "draft"
        screened = state not in ("draft", "submitted")
        opened = cohort.applications_open_at or (self.now - 30 * day)
        submitted_at = min(opened + dt.timedelta(hours=self.random.randint(1, 400)), self.now)
        offered_at = self.now - 2 * day if state == "offered" else None
        return Application(
            cohort=cohort,
            applicant=user,
            state=state,
            submitted_at=submitted_at if submitted else None,
            reference=_reference(n + 7_000_000) if submitted else None,
            sections_done=SUBMITTED_SECTIONS if submitted else ["personal", "career"],
            declarations={"ready_for_dcs_within_three_years": True},
            supporting_statement="I lead a children in care service and want to lead "
            "across agencies."
            if submitted
            else "",
            endorser_name="Director of children's services" if submitted else "",
            endorser_role="Director of children's services" if submitted else "",
            endorser_email="dcs.office@example.com" if submitted else "",
            eligibility_outcome=""
            if state in ("draft", "submitted")
            else {"ineligible": "ineligible", "needs_review": "needs_review"}.get(
                state, "eligible"
            ),
            screened_at=submitted_at if screened else None,
            offered_at=offered_at,
            offer_expires_at=offered_at + cohort.offer_deadline_days * day if offered_at else None,
            waitlisted_at=submitted_at if state == "waitlisted" else None,
        )
