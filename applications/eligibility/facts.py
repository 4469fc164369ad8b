"""The facts eligibility rules are checked against, gathered in one shape.

Two sources feed the one engine: an applicant's profile and application, and
the answers someone types into the public "Am I eligible?" page. Either way,
`None` means "we do not know", which makes a rule's outcome unknown rather than
a fail. Equality-monitoring answers are deliberately not a field here: nothing
the engine sees can come from them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist

from accounts.experience import DAYS_PER_YEAR, CareerPeriod
from accounts.models import Sector, Seniority
from accounts.selectors import career_periods

if TYPE_CHECKING:
    from ..models import Application

# Keys of the mapping `facts_from_answers` reads; the public checker's form
# produces exactly these in its cleaned_data.
ANSWER_SENIOR_YEARS = "senior_years"
ANSWER_SENIOR_SECTORS = "senior_sectors"
ANSWER_CURRENT_ROLE = "current_role"
ANSWER_CURRENT_ROLE_SINCE = "current_role_since"
ANSWER_NATION = "nation"
ANSWER_EMPLOYER_TYPE = "employer_type"
ANSWER_DECLARATIONS = "declarations"


@dataclass(frozen=True)
class EligibilityFacts:
    """What we know about a person. `None` in any field means "we don't know".

    `career` is None when no career history was given at all, and an empty
    sequence when we know there is no experience to count.
    """

    today: dt.date
    career: Sequence[CareerPeriod] | None = None
    current_role: str | None = None
    current_role_since: dt.date | None = None
    nation: str | None = None
    employer_type: str | None = None
    # Only the questions answered are keys: an unanswered one is unknown.
    declarations: Mapping[str, bool] = field(default_factory=dict)
    document_kinds: Collection[str] | None = None
    endorsement_given: bool | None = None


def facts_for_application(
    application: Application, *, today: dt.date, document_kinds: frozenset[str] | None = None
) -> EligibilityFacts:
    """Facts from an application, its applicant's profile and career history.

    Uses `.all()` on the relations so a caller screening many applications can
    prefetch `applicant__profile`, `applicant__career_entries` and `documents`;
    a caller that has read the kinds of document uploaded can pass them instead.
    """
    applicant = application.applicant
    try:
        profile = applicant.profile
    except ObjectDoesNotExist:
        profile = None
    career = tuple(career_periods(applicant.career_entries.all()))
    declarations = application.declarations if isinstance(application.declarations, dict) else {}
    return EligibilityFacts(
        today=today,
        # An empty history means the applicant has not filled it in yet, not
        # that they have no experience: the screener should look, not reject.
        career=career or None,
        current_role=(profile.current_role or None) if profile else None,
        current_role_since=profile.current_role_since if profile else None,
        nation=(profile.nation or None) if profile else None,
        employer_type=(profile.employer_type or None) if profile else None,
        declarations={key: value for key, value in declarations.items() if isinstance(value, bool)},
        document_kinds=(
            frozenset(document.kind for document in application.documents.all())
            if document_kinds is None
            else document_kinds
        ),
        endorsement_given=bool(
            application.endorser_name.strip() and application.endorser_email.strip()
        ),
    )


def _period_of_years(
    years: float, *, sectors: Sequence[str], today: dt.date
) -> tuple[CareerPeriod, ...]:
    """Career periods worth exactly `years` of senior strategic experience.

    The checker asks for a number of years, not a career history; this turns
    the number back into periods so the same engine (and the same rounding in
    accounts.experience) decides. One period per sector, all covering the same
    days, so overlap counting gives `years` in any of the sectors chosen.
    """
    if years <= 0:
        return ()
    days = math.ceil(years * DAYS_PER_YEAR)
    started_on = today - dt.timedelta(days=days - 1)
    return tuple(
        CareerPeriod(
            started_on=started_on,
            ended_on=today,
            sector=sector,
            seniority=Seniority.SENIOR_STRATEGIC,
        )
        for sector in (sectors or [Sector.OTHER])
    )


def facts_from_answers(answers: Mapping[str, Any], *, today: dt.date) -> EligibilityFacts:
    """Facts from the public checker's answers. A question not asked is unknown.

    Documents and endorsement cannot be given on the public page, so they are
    always unknown there, and their rules say they will be needed.
    """
    years = answers.get(ANSWER_SENIOR_YEARS)
    career: tuple[CareerPeriod, ...] | None = None
    if isinstance(years, int | float | Decimal):
        career = _period_of_years(
            float(years), sectors=list(answers.get(ANSWER_SENIOR_SECTORS) or []), today=today
        )
    declarations = answers.get(ANSWER_DECLARATIONS) or {}
    return EligibilityFacts(
        today=today,
        career=career,
        current_role=answers.get(ANSWER_CURRENT_ROLE) or None,
        current_role_since=answers.get(ANSWER_CURRENT_ROLE_SINCE) or None,
        nation=answers.get(ANSWER_NATION) or None,
        employer_type=answers.get(ANSWER_EMPLOYER_TYPE) or None,
        declarations={key: value for key, value in declarations.items() if isinstance(value, bool)},
        document_kinds=None,
        endorsement_given=None,
    )
