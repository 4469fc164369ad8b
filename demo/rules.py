"""Eligibility rules of the real programmes, as their public descriptions state them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import CurrentRole, Nation, Sector
from applications.models import RuleKind

CHILDREN_AND_RELATED = [
    Sector.CHILDRENS_SOCIAL_CARE,
    Sector.EDUCATION,
    Sector.EARLY_HELP,
    Sector.YOUTH_JUSTICE,
    Sector.INCLUSION,
    Sector.COMMISSIONING,
    Sector.HEALTH,
    Sector.ADULT_SOCIAL_CARE,
]


@dataclass(frozen=True)
class RuleData:
    programme_slug: str
    position: int
    kind: str
    params: dict[str, Any]
    message: str


RULES: tuple[RuleData, ...] = (
    RuleData(
        "upon-aspiring-directors",
        1,
        RuleKind.MIN_SENIOR_YEARS,
        {"years": 3, "sectors": [str(s) for s in CHILDREN_AND_RELATED]},
        "At least three years of senior strategic leadership in children's services or a "
        "related field",
    ),
    RuleData(
        "upon-aspiring-directors",
        2,
        RuleKind.SELF_DECLARATION,
        {
            "key": "ready_for_dcs_within_three_years",
            "statement": "I expect to be ready to move into a director of children's services "
            "role within the next three years",
        },
        "Ready to become a director of children's services within three years",
    ),
    RuleData(
        "upon-aspiring-directors",
        3,
        RuleKind.ENDORSEMENT,
        {},
        "Supported by a sponsor or line manager",
    ),
    RuleData(
        "upon-new-directors",
        1,
        RuleKind.CURRENT_ROLE,
        {"roles": [CurrentRole.DCS], "within_months": 12},
        "Appointed director of children's services in the last 12 months",
    ),
    RuleData(
        "black-and-asian-leadership-initiative",
        1,
        RuleKind.SELF_DECLARATION,
        {
            "key": "identifies_as_black_or_asian_leader",
            "statement": "I identify as a Black or Asian leader (this is a positive-action "
            "programme)",
        },
        "Identifies as a Black or Asian leader",
    ),
    RuleData(
        "women-in-leadership",
        1,
        RuleKind.SELF_DECLARATION,
        {"key": "identifies_as_a_woman", "statement": "I identify as a woman"},
        "Identifies as a woman",
    ),
    RuleData(
        "lga-leadership-essentials-childrens-services",
        1,
        RuleKind.CURRENT_ROLE,
        {"roles": [CurrentRole.LEAD_MEMBER, CurrentRole.SCRUTINY_CHAIR]},
        "Lead member for children's services or chair of a children's scrutiny committee",
    ),
    RuleData(
        "pgcert-strategic-operational-leadership-wales",
        1,
        RuleKind.NATION,
        {"nations": [Nation.WALES]},
        "Works in Wales",
    ),
)
