"""The demo catalogue as plain data: no database access here.

`python manage.py loaddemo` turns these records into rows. Facts (names, durations, capacities,
past cohort dates) come from the shared domain notes; every sentence is our own. Where the notes
give no exact day (for example "an October run in 2023"), the day chosen is illustrative.

Cohorts that are running or still to come are placed relative to the date passed to
`demo_cohorts()`, so whenever the demo is loaded it has application windows that are open, not
yet open and closed. Their names do not depend on the date, so loading again on another day
moves the dates of the same rows instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from programmes.models import (
    AdmissionMode,
    Audience,
    CostType,
    DeliveryFormat,
    ProgrammeTeamMember,
    Provider,
)

# Shared by every demo account and listed in the README; never a real credential.
DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True, slots=True)
class ProviderData:
    slug: str
    name: str
    kind: Provider.Kind
    website: str
    description: str


@dataclass(frozen=True, slots=True)
class ProgrammeData:
    slug: str
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    audience: Audience
    format: DeliveryFormat
    duration: str
    cost_type: CostType
    admission_mode: AdmissionMode
    provider_slugs: tuple[str, ...]
    funder_slug: str | None = None
    cost_amount: Decimal | None = None
    cost_note: str = ""
    accreditation: str = ""
    # The programme team's address: on the programme page and in every email to applicants.
    contact_email: str = ""
    is_published: bool = True


@dataclass(frozen=True, slots=True)
class CohortData:
    programme_slug: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    delivery_mode: DeliveryFormat
    applications_open_at: dt.datetime | None = None
    applications_close_at: dt.datetime | None = None
    venue: str = ""
    offer_deadline_days: int = 14


@dataclass(frozen=True, slots=True)
class AccountData:
    email: str
    full_name: str
    is_superuser: bool = False
    # (programme slug, role) pairs for ProgrammeTeamMember rows.
    team_roles: tuple[tuple[str, ProgrammeTeamMember.Role], ...] = ()
    provider_slugs: tuple[str, ...] = field(default=())
    # Base32 secret of the account's demo authenticator app (README), for the roles that
    # must use a second factor. Loaded only with DEBUG on.
    totp_secret: str = ""


# --- Providers ---------------------------------------------------------------------------------

PROVIDERS: tuple[ProviderData, ...] = (
    ProviderData(
        slug="staff-college",
        name="The Staff College",
        kind=Provider.Kind.PROVIDER,
        website="https://thestaffcollege.uk",
        description=(
            "A leadership college for people who run services for children and families. "
            "It leads the consortium behind the Upon programmes and runs its own short "
            "courses for senior leaders."
        ),
    ),
    ProviderData(
        slug="ipc",
        name="Institute of Public Care (IPC), Oxford Brookes University",
        kind=Provider.Kind.PROVIDER,
        website="https://ipc.brookes.ac.uk",
        description=(
            "Part of Oxford Brookes University. IPC works with councils and care services on "
            "commissioning, service design and leadership, and offers university-accredited "
            "courses alongside programmes built for a single council."
        ),
    ),
    ProviderData(
        slug="skills-for-care",
        name="Skills for Care",
        kind=Provider.Kind.PROVIDER,
        website="https://www.skillsforcare.org.uk",
        description=(
            "A workforce development body for social care in England, and one of the partners "
            "in the children's services leadership consortium."
        ),
    ),
    ProviderData(
        slug="gatenbysanderson",
        name="GatenbySanderson",
        kind=Provider.Kind.PROVIDER,
        website="https://www.gatenbysanderson.com",
        description=(
            "A firm that recruits and develops leaders for public services. It brings its "
            "experience of senior appointments to the consortium's programmes."
        ),
    ),
    ProviderData(
        slug="lga",
        name="Local Government Association (LGA)",
        kind=Provider.Kind.PROVIDER,
        website="https://www.local.gov.uk",
        description=(
            "The national membership body for councils in England. Its leadership offer is "
            "aimed at councillors, with mentoring, coaching and tailored help for councils."
        ),
    ),
    ProviderData(
        slug="dfe",
        name="Department for Education (DfE)",
        kind=Provider.Kind.FUNDER,
        website="https://www.gov.uk/government/organisations/department-for-education",
        description=(
            "The government department responsible for children's services in England. A "
            "three-year grant of £3m from the department pays for the Upon programmes."
        ),
    ),
)

CONSORTIUM: tuple[str, ...] = ("staff-college", "ipc", "skills-for-care", "gatenbysanderson")


# --- Programmes --------------------------------------------------------------------------------

PROGRAMMES: tuple[ProgrammeData, ...] = (
    ProgrammeData(
        slug="upon-aspiring-directors",
        title="Upon aspiring directors programme",
        contact_email="upon.aspiring@example.org",
        summary=(
            "A free programme for senior leaders who expect to be ready for a director of "
            "children's services post within about three years."
        ),
        description=(
            "Upon prepares the next generation of directors of children's services. It is run "
            "by a consortium led by The Staff College and paid for by the Department for "
            "Education, so there is no fee.\n\n"
            "You should have at least three years of effective leadership at a senior, "
            "strategic level in local-government children's services or a related field, and "
            "expect to be ready to step up to a director role within the next three years. "
            "People from the public and private sectors can apply.\n\n"
            "Each cohort mixes online and in-person learning over six to eight months, and "
            "participants can use a free library of resources for aspiring directors. Since "
            "the first cohort, selection gives more weight to transferable skills, so that "
            "Black, Asian and minority-ethnic leaders are not held back by the process."
        ),
        themes=(
            "Personal leadership qualities and resilience",
            "Systems leadership, alliances and partnerships",
            "Working in political and corporate contexts",
            "Leading in complexity",
            "Engaging communities",
            "Delivering results",
            "Innovation and change",
        ),
        audience=Audience.ASPIRING_DIRECTOR,
        format=DeliveryFormat.BLENDED,
        duration="Six to eight months",
        cost_type=CostType.FUNDED,
        cost_note="Paid for by the Department for Education",
        admission_mode=AdmissionMode.SELECTIVE,
        provider_slugs=CONSORTIUM,
        funder_slug="dfe",
    ),
    ProgrammeData(
        slug="upon-new-directors",
        title="Upon new directors programme",
        contact_email="upon.newdirectors@example.org",
        summary=(
            "Support for directors of children's services from the moment they are appointed "
            "through their first year in the job."
        ),
        description=(
            "When a council appoints a new director of children's services, the consortium "
            "gets in touch and offers a place: there is no application to make.\n\n"
            "The programme surrounds a new director with support during the first year in "
            "post, combining time with peers, expert input and individual help. It is paid "
            "for by the Department for Education."
        ),
        themes=(
            "Settling into the director role",
            "Building relationships with leaders, members and partners",
            "Peer support from other new directors",
            "Personal resilience in a demanding job",
        ),
        audience=Audience.NEW_DIRECTOR,
        format=DeliveryFormat.BLENDED,
        duration="Your first year in post",
        cost_type=CostType.FUNDED,
        cost_note="Paid for by the Department for Education",
        admission_mode=AdmissionMode.INVITATION,
        provider_slugs=CONSORTIUM,
        funder_slug="dfe",
    ),
    ProgrammeData(
        slug="black-and-asian-leadership-initiative",
        title="Black and Asian Leadership Initiative",
        contact_email="bali.team@example.org",
        summary=(
            "A three-day positive-action programme for Black and Asian leaders in children's "
            "services, with at most 25 people in each group."
        ),
        description=(
            "The Staff College runs this programme for leaders who identify as Black or Asian. "
            "Over three days, participants look at what race means and how ideas about it "
            "are formed, and at practical ways to challenge racism in their organisations.\n\n"
            "Groups are kept small, with no more than 25 places, and places are given in the "
            "order bookings arrive."
        ),
        themes=(
            "Understanding concepts of race",
            "Tackling racism in organisations",
            "Leading as a Black or Asian leader",
        ),
        audience=Audience.SENIOR_LEADER,
        format=DeliveryFormat.FACE_TO_FACE,
        duration="Three days",
        cost_type=CostType.PAID,
        cost_amount=Decimal("750.00"),
        cost_note="Indicative fee",
        admission_mode=AdmissionMode.FIRST_COME,
        provider_slugs=("staff-college",),
    ),
    ProgrammeData(
        slug="women-in-leadership",
        title="Women in Leadership programme",
        contact_email="women.in.leadership@example.org",
        summary=(
            "A two-day residential course from The Staff College for women in senior roles in "
            "children's services."
        ),
        description=(
            "This short residential course gives women leaders two days away from work to "
            "reflect on how they lead, share experience with peers and plan their next "
            "steps.\n\n"
            "Places are booked on a first-come basis; when a course is full you can join the "
            "waiting list or ask to hear about future dates."
        ),
        themes=(
            "Leading with confidence and authenticity",
            "Learning from other women leaders",
            "Planning your career",
        ),
        audience=Audience.SENIOR_LEADER,
        format=DeliveryFormat.RESIDENTIAL,
        duration="Two days, residential",
        cost_type=CostType.PAID,
        cost_amount=Decimal("950.00"),
        cost_note="Indicative fee",
        admission_mode=AdmissionMode.FIRST_COME,
        provider_slugs=("staff-college",),
    ),
    ProgrammeData(
        slug="commissioning-for-childrens-services",
        title="Commissioning for children's services",
        contact_email="commissioning.team@example.org",
        summary=(
            "Eight half-day online sessions on commissioning children's services, with "
            "independent study and an optional route to a postgraduate certificate."
        ),
        description=(
            "The Institute of Public Care runs this course for people who plan, buy and "
            "review services for children and families. Learning happens in eight live "
            "online sessions of half a day each, with reading and study in between.\n\n"
            "If you want a qualification, you can complete a commissioning project in your "
            "own workplace and have it assessed for university credit. The course fills up "
            "quickly: when it is full, join the waiting list and we will tell you about new "
            "dates."
        ),
        themes=(
            "Understanding need and demand",
            "Shaping the market of providers",
            "Planning and buying services",
            "Reviewing outcomes and value",
        ),
        audience=Audience.COMMISSIONER,
        format=DeliveryFormat.ONLINE,
        duration="Eight half-day online sessions plus independent study",
        cost_type=CostType.PAID,
        cost_amount=Decimal("1200.00"),
        cost_note="Indicative fee",
        accreditation=(
            "Optional postgraduate certificate in commissioning and purchasing (20 "
            "master's-level credits) through a work-based project"
        ),
        admission_mode=AdmissionMode.FIRST_COME,
        provider_slugs=("ipc",),
    ),
    ProgrammeData(
        slug="lga-leadership-essentials-childrens-services",
        title="Leadership Essentials: children's services",
        contact_email="leadership.essentials@example.org",
        summary=(
            "A two-day residential for lead members for children's services and chairs of "
            "children's services scrutiny committees."
        ),
        description=(
            "Councillors who hold the children's services portfolio, or who chair the "
            "committee that scrutinises it, have a different job from the officers who run "
            "the service. This LGA residential gives them two days to work through that role "
            "with councillors from other councils.\n\n"
            "The LGA can also arrange mentoring, coaching and support shaped to a particular "
            "council alongside the programme."
        ),
        themes=(
            "The role of the lead member",
            "Holding services to account through scrutiny",
            "Working with the director of children's services",
        ),
        audience=Audience.ELECTED_MEMBER,
        format=DeliveryFormat.RESIDENTIAL,
        duration="Two days, residential",
        cost_type=CostType.PAID,
        cost_amount=Decimal("300.00"),
        cost_note="Indicative fee",
        admission_mode=AdmissionMode.FIRST_COME,
        provider_slugs=("lga",),
    ),
    ProgrammeData(
        slug="pgcert-strategic-operational-leadership-wales",
        title="Postgraduate Certificate in Strategic and Operational Leadership",
        contact_email="pgcert.wales@example.org",
        summary=(
            "A university-accredited leadership qualification for social care leaders working "
            "in Wales, delivered by IPC for Social Care Wales."
        ),
        description=(
            "This postgraduate certificate is for leaders employed in social care in Wales. "
            "It links strategic thinking with the day-to-day running of services, and is "
            "assessed and accredited by Oxford Brookes University.\n\n"
            "Places are limited and applications are reviewed before offers are made."
        ),
        themes=(
            "Strategic leadership",
            "Leading operational services",
            "Leading change in the Welsh policy context",
        ),
        audience=Audience.SENIOR_LEADER,
        format=DeliveryFormat.BLENDED,
        duration="Part time, over about a year",
        cost_type=CostType.PAID,
        cost_amount=Decimal("2500.00"),
        cost_note="Indicative fee",
        accreditation="Postgraduate certificate from Oxford Brookes University",
        admission_mode=AdmissionMode.SELECTIVE,
        provider_slugs=("ipc",),
    ),
    ProgrammeData(
        slug="ipc-bespoke-council-programmes",
        title="Bespoke leadership programmes for councils",
        contact_email="bespoke.programmes@example.org",
        summary=(
            "Leadership and management programmes that IPC designs with one council for its "
            "own managers."
        ),
        description=(
            "Some councils want a programme built around their own priorities and people. "
            "IPC agrees the content, format and timetable with the council, which then "
            "invites its own staff to take part. There are no open dates to book."
        ),
        themes=(
            "Content agreed with each council",
            "Leadership and management skills",
        ),
        audience=Audience.SENIOR_LEADER,
        format=DeliveryFormat.FACE_TO_FACE,
        duration="Agreed with each council",
        cost_type=CostType.PAID,
        # A made-up price for work quoted council by council would mislead the cost filter.
        cost_amount=None,
        cost_note="Priced for each council on request",
        admission_mode=AdmissionMode.INVITATION,
        provider_slugs=("ipc",),
    ),
)


# --- Cohorts -----------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A wall-clock time in London on the given day."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _past_cohorts() -> list[CohortData]:
    """Cohorts that have finished. Dates from the domain notes where they give them."""
    d = dt.date
    return [
        CohortData(
            programme_slug="upon-aspiring-directors",
            name="Cohort 1",
            starts_on=d(2020, 11, 1),
            ends_on=d(2021, 6, 30),
            capacity=19,
            # Planned as blended; it ran wholly online.
            delivery_mode=DeliveryFormat.ONLINE,
            applications_open_at=_at(d(2020, 8, 3)),
            applications_close_at=_at(d(2020, 9, 18), 17),
        ),
        CohortData(
            programme_slug="upon-aspiring-directors",
            name="Cohort 2",
            starts_on=d(2021, 9, 27),
            ends_on=d(2022, 3, 31),
            capacity=50,
            delivery_mode=DeliveryFormat.BLENDED,
            applications_open_at=_at(d(2021, 6, 1)),
            applications_close_at=_at(d(2021, 7, 16), 17),
        ),
        CohortData(
            programme_slug="upon-aspiring-directors",
            name="2023 cohort",
            starts_on=d(2023, 9, 1),
            ends_on=d(2024, 3, 31),
            capacity=40,
            delivery_mode=DeliveryFormat.BLENDED,
            applications_open_at=_at(d(2023, 5, 2)),
            applications_close_at=_at(d(2023, 6, 16), 17),
        ),
        CohortData(
            programme_slug="upon-new-directors",
            name="2022 to 2023 intake",
            starts_on=d(2022, 9, 1),
            ends_on=d(2023, 8, 31),
            capacity=40,
            delivery_mode=DeliveryFormat.BLENDED,
            offer_deadline_days=21,
        ),
        CohortData(
            programme_slug="black-and-asian-leadership-initiative",
            name="2023 cohort",
            starts_on=d(2023, 6, 13),
            ends_on=d(2023, 6, 15),
            capacity=25,
            delivery_mode=DeliveryFormat.FACE_TO_FACE,
            applications_open_at=_at(d(2023, 3, 1)),
            applications_close_at=_at(d(2023, 5, 12), 17),
            offer_deadline_days=7,
        ),
        CohortData(
            programme_slug="women-in-leadership",
            name="October 2023",
            starts_on=d(2023, 10, 10),
            ends_on=d(2023, 10, 11),
            capacity=24,
            delivery_mode=DeliveryFormat.RESIDENTIAL,
            applications_open_at=_at(d(2023, 6, 5)),
            applications_close_at=_at(d(2023, 9, 15), 17),
            venue="Residential conference centre, details sent on booking",
            offer_deadline_days=7,
        ),
        CohortData(
            programme_slug="commissioning-for-childrens-services",
            name="Autumn 2023",
            starts_on=d(2023, 9, 14),
            ends_on=d(2023, 12, 14),
            capacity=20,
            delivery_mode=DeliveryFormat.ONLINE,
            applications_open_at=_at(d(2023, 4, 3)),
            applications_close_at=_at(d(2023, 8, 31), 17),
            offer_deadline_days=7,
        ),
        CohortData(
            programme_slug="lga-leadership-essentials-childrens-services",
            name="Autumn 2023",
            starts_on=d(2023, 11, 17),
            ends_on=d(2023, 11, 18),
            capacity=20,
            delivery_mode=DeliveryFormat.RESIDENTIAL,
            applications_open_at=_at(d(2023, 7, 3)),
            applications_close_at=_at(d(2023, 10, 20), 17),
            venue="Residential conference centre, details sent on booking",
            offer_deadline_days=7,
        ),
        CohortData(
            programme_slug="pgcert-strategic-operational-leadership-wales",
            name="2022 to 2023 cohort",
            starts_on=d(2022, 10, 3),
            ends_on=d(2023, 9, 29),
            capacity=18,
            delivery_mode=DeliveryFormat.BLENDED,
            applications_open_at=_at(d(2022, 5, 9)),
            applications_close_at=_at(d(2022, 7, 15), 17),
            venue="Cardiff and online",
        ),
    ]


def _current_and_upcoming_cohorts(today: dt.date) -> list[CohortData]:
    """Cohorts placed around `today`: one running, the rest starting later."""

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    return [
        # Upon aspiring: one under way (window long closed) and one taking applications now.
        CohortData(
            programme_slug="upon-aspiring-directors",
            name="Current cohort",
            starts_on=day(-60),
            ends_on=day(120),
            capacity=40,
            delivery_mode=DeliveryFormat.BLENDED,
            applications_open_at=_at(day(-150)),
            applications_close_at=_at(day(-105), 17),
        ),
        CohortData(
            programme_slug="upon-aspiring-directors",
            name="Next cohort",
            starts_on=day(84),
            ends_on=day(84 + 190),
            capacity=40,
            delivery_mode=DeliveryFormat.BLENDED,
            applications_open_at=_at(day(-14)),
            applications_close_at=_at(day(28), 17),
        ),
        # Upon new directors: invitation only, so no application window.
        CohortData(
            programme_slug="upon-new-directors",
            name="Current intake",
            starts_on=day(-120),
            ends_on=day(-120 + 364),
            capacity=40,
            delivery_mode=DeliveryFormat.BLENDED,
            offer_deadline_days=21,
        ),
        CohortData(
            programme_slug="upon-new-directors",
            name="Next intake",
            starts_on=day(45),
            ends_on=day(45 + 364),
            capacity=40,
            delivery_mode=DeliveryFormat.BLENDED,
            offer_deadline_days=21,
        ),
        CohortData(
            programme_slug="black-and-asian-leadership-initiative",
            name="Next cohort",
            starts_on=day(60),
            ends_on=day(62),
            capacity=25,
            delivery_mode=DeliveryFormat.FACE_TO_FACE,
            applications_open_at=_at(day(-7)),
            applications_close_at=_at(day(35), 17),
            offer_deadline_days=7,
        ),
        # Women in Leadership: bookings not open yet.
        CohortData(
            programme_slug="women-in-leadership",
            name="Next residential",
            starts_on=day(100),
            ends_on=day(101),
            capacity=24,
            delivery_mode=DeliveryFormat.RESIDENTIAL,
            applications_open_at=_at(day(21)),
            applications_close_at=_at(day(70), 17),
            venue="Residential conference centre, details sent on booking",
            offer_deadline_days=7,
        ),
        # Small on purpose: later demo steps fill it and build a waiting list.
        CohortData(
            programme_slug="commissioning-for-childrens-services",
            name="Next cohort",
            starts_on=day(42),
            ends_on=day(42 + 98),
            capacity=20,
            delivery_mode=DeliveryFormat.ONLINE,
            applications_open_at=_at(day(-21)),
            applications_close_at=_at(day(21), 17),
            offer_deadline_days=7,
        ),
        CohortData(
            programme_slug="lga-leadership-essentials-childrens-services",
            name="Next residential",
            starts_on=day(56),
            ends_on=day(57),
            capacity=20,
            delivery_mode=DeliveryFormat.RESIDENTIAL,
            applications_open_at=_at(day(-5)),
            applications_close_at=_at(day(40), 17),
            venue="Residential conference centre, details sent on booking",
            offer_deadline_days=7,
        ),
        # PGCert: applications have just closed; the cohort has not started.
        CohortData(
            programme_slug="pgcert-strategic-operational-leadership-wales",
            name="Next cohort",
            starts_on=day(25),
            ends_on=day(25 + 350),
            capacity=18,
            delivery_mode=DeliveryFormat.BLENDED,
            applications_open_at=_at(day(-60)),
            applications_close_at=_at(day(-3), 17),
            venue="Cardiff and online",
        ),
    ]


def demo_cohorts(today: dt.date) -> list[CohortData]:
    """Every demo cohort, with running and upcoming ones dated relative to `today`."""
    return _past_cohorts() + _current_and_upcoming_cohorts(today)


# --- Accounts ----------------------------------------------------------------------------------

ACCOUNTS: tuple[AccountData, ...] = (
    AccountData(email="applicant@example.com", full_name="Priya Chaudhry"),
    AccountData(
        email="staff@example.com",
        full_name="Gareth Ellison",
        team_roles=(
            ("upon-aspiring-directors", ProgrammeTeamMember.Role.MANAGER),
            ("upon-new-directors", ProgrammeTeamMember.Role.MANAGER),
        ),
        totp_secret="CBOO4CAPWNV2SUTXJMI5SO6LKKDYNP5X",  # noqa: S106 (published demo secret)
    ),
    AccountData(
        email="screener@example.com",
        full_name="Abena Mensah",
        team_roles=(("upon-aspiring-directors", ProgrammeTeamMember.Role.SCREENER),),
        totp_secret="72AHPGSP2BCTP3MQKPEHFGRXNKTI7TPL",  # noqa: S106 (published demo secret)
    ),
    AccountData(
        email="provider@example.com",
        full_name="Helen Marsh",
        provider_slugs=("ipc",),
        totp_secret="TL44WQYWHPVO7CKI4D3A55VQDCNE6BJS",  # noqa: S106 (published demo secret)
    ),
    AccountData(
        email="admin@example.com",
        full_name="Tom Whitfield",
        is_superuser=True,
        totp_secret="LZXICOX4JGFSHPGMWVVSJE5IPTEUJLT4",  # noqa: S106 (published demo secret)
    ),
    # Read-only reports of the programmes the DfE funds.
    AccountData(
        email="funder@example.com",
        full_name="Ruth Okafor",
        provider_slugs=("dfe",),
        totp_secret="RWM6TQ75HFN5TIY4IVPECRSM33MQCSDT",  # noqa: S106 (published demo secret)
    ),
)
