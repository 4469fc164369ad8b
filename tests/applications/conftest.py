"""Fixtures for application tests: an open cohort with real rules, and a ready applicant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from accounts.models import Sector, Seniority, User
from applications.models import Application, RuleKind
from applications.sections import SECTION_KEYS
from programmes.models import Cohort
from tests import factories

READY_KEY = "ready_within_three_years"


@dataclass
class Ready:
    applicant: User
    cohort: Cohort
    application: Application


@pytest.fixture
def open_cohort(db) -> Cohort:  # type: ignore[no-untyped-def]
    cohort = factories.CohortFactory(programme__title="Aspiring directors programme")
    programme = cohort.programme
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 3},
        message="At least three years of senior strategic leadership",
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.SELF_DECLARATION,
        params={
            "key": READY_KEY,
            "statement": "I am ready to move into a director role within three years",
        },
        message="Ready to become a director within three years",
    )
    return cohort


@pytest.fixture
def applicant(db) -> User:  # type: ignore[no-untyped-def]
    user = factories.UserFactory(email="amara@example.org", full_name="Amara Okafor")
    factories.ProfileFactory(user=user)
    factories.CareerEntryFactory(
        user=user,
        started_on=dt.date(2018, 1, 1),
        sector=Sector.CHILDRENS_SOCIAL_CARE,
        seniority=Seniority.SENIOR_STRATEGIC,
    )
    return user


@pytest.fixture
def ready(open_cohort: Cohort, applicant: User) -> Ready:
    application = factories.ApplicationFactory(
        cohort=open_cohort,
        applicant=applicant,
        state="draft",
        sections_done=list(SECTION_KEYS),
        declarations={READY_KEY: True},
        supporting_statement="I lead early help and want to lead a whole service.",
        endorser_name="Sam Patel",
        endorser_role="Director of children's services",
        endorser_email="sam.patel@example.org",
    )
    return Ready(applicant=applicant, cohort=open_cohort, application=application)
