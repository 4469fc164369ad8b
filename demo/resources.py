"""Demo resources for the Upon programmes, and two participants who joined the peer network.

Written for the demo, in our own words; the links point at example.org. Keyed by
programme and title (resources) and by person and programme (network profiles), and
saved only when a value differs, so a second run of loaddemo writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from network.models import NetworkProfile, Region
from programmes.models import Audience, Programme
from resources.models import Resource, ResourceKind, ResourceStatus, Visibility, topics_to_text

ASPIRING, NEW = "upon-aspiring-directors", "upon-new-directors"


@dataclass(frozen=True)
class DemoResource:
    programme_slug: str
    title: str
    summary: str
    kind: str
    topics: tuple[str, ...]
    days_ago: int
    visibility: str = Visibility.OPEN
    audience: str = ""
    also: tuple[str, ...] = ()


RESOURCES = (
    DemoResource(
        ASPIRING,
        "Keeping yourself well in a senior role",
        "A short guide to pacing, supervision and knowing when to ask for help, written "
        "with directors who have been through a hard first year.",
        ResourceKind.GUIDE,
        ("personal_leadership",),
        40,
        audience=Audience.ASPIRING_DIRECTOR,
        also=(NEW,),
    ),
    DemoResource(
        ASPIRING,
        "Seeing the whole system: a conversation with two directors",
        "A 40-minute podcast on working across health, education, police and the voluntary "
        "sector when no one organisation owns the outcome.",
        ResourceKind.PODCAST,
        ("systems_leadership", "complexity"),
        25,
    ),
    DemoResource(
        ASPIRING,
        "Your first meeting with the lead member",
        "What to prepare, what to ask and how to agree the way you will work together with "
        "the councillor who holds children's services.",
        ResourceKind.ARTICLE,
        ("political_corporate",),
        18,
        audience=Audience.ASPIRING_DIRECTOR,
    ),
    DemoResource(
        ASPIRING,
        "Module 3 workbook: leading in complexity",
        "Exercises and case notes used in the third module. For the programme's participants.",
        ResourceKind.COURSE_MATERIAL,
        ("complexity", "innovation"),
        10,
        visibility=Visibility.PARTICIPANTS,
    ),
    DemoResource(
        NEW,
        "Improvement planning toolkit",
        "Templates for turning an inspection's findings into a plan with owners, measures "
        "and dates, and for reporting progress to members.",
        ResourceKind.TOOLKIT,
        ("results",),
        30,
        visibility=Visibility.PARTICIPANTS,
    ),
    DemoResource(
        NEW,
        "Listening to families and communities",
        "A short film on how three councils asked children, young people and families to "
        "help shape their services, and what changed as a result.",
        ResourceKind.VIDEO,
        ("communities", "innovation"),
        5,
        audience=Audience.NEW_DIRECTOR,
    ),
)


@dataclass(frozen=True)
class DemoProfile:
    email: str
    programme_slug: str
    job_title: str
    employer: str
    region: str
    can_help_with: str
    see_alumni: bool


PROFILES = (
    DemoProfile(
        "hannah.lewis@example.com",
        ASPIRING,
        "Assistant director, early help",
        "Borough council",
        Region.NORTH_WEST,
        "Building a family help service from scratch",
        True,
    ),
    DemoProfile(
        "joseph.okoro@example.com",
        ASPIRING,
        "Director of children's services",
        "County council",
        Region.WEST_MIDLANDS,
        "Preparing for and recovering from an inspection",
        False,
    ),
)

Upsert = Callable[..., tuple[Any, str]]


def load_resources(
    programmes: dict[str, Programme], today: dt.date, upsert: Upsert
) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for spec in RESOURCES:
        slug = spec.title.lower().split(":")[0].replace(" ", "-")[:60]
        resource, status = upsert(
            Resource,
            {"programme": programmes[spec.programme_slug], "title": spec.title},
            {
                "summary": spec.summary,
                "kind": spec.kind,
                "topics": topics_to_text(spec.topics),
                "audience": spec.audience,
                "link": f"https://example.org/resources/{slug}",
                "status": ResourceStatus.PUBLISHED,
                "visibility": spec.visibility,
                "published_on": today - dt.timedelta(days=spec.days_ago),
            },
        )
        wanted = {programmes[s].pk for s in (spec.programme_slug, *spec.also)}
        if wanted != set(resource.programmes.values_list("pk", flat=True)):
            resource.programmes.set(wanted)
            status = "updated" if status == "unchanged" else status
        outcome[status] += 1
    return outcome


def load_network(programmes: dict[str, Programme], upsert: Upsert) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for spec in PROFILES:
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            continue
        _profile, status = upsert(
            NetworkProfile,
            {"user": user, "programme": programmes[spec.programme_slug]},
            {
                "name": user.full_name,
                "job_title": spec.job_title,
                "employer": spec.employer,
                "region": spec.region,
                "contact_email": user.email,
                "can_help_with": spec.can_help_with,
                "see_alumni": spec.see_alumni,
            },
        )
        outcome[status] += 1
    return outcome
