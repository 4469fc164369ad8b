"""Facts for the engine, from an application and profile or from the public checker's answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.experience import experience_years
from accounts.models import CurrentRole, EmployerType, Nation, Sector, Seniority
from applications.eligibility import (
    EligibilityFacts,
    evaluate,
    facts_for_application,
    facts_from_answers,
)
from applications.models import Application, EligibilityOutcome, RuleKind
from tests import factories

TODAY = dt.date(2025, 6, 30)


@pytest.mark.django_db
def test_facts_come_from_profile_career_declarations_documents_and_endorser() -> None:
    user = factories.UserFactory()
    factories.ProfileFactory(
        user=user,
        current_role=CurrentRole.DCS,
        current_role_since=dt.date(2025, 1, 6),
        nation=Nation.WALES,
        employer_type=EmployerType.LOCAL_AUTHORITY,
    )
    factories.CareerEntryFactory(
        user=user,
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2024, 12, 31),
        sector=Sector.EDUCATION,
        seniority=Seniority.SENIOR_OPERATIONAL,
    )
    application = factories.ApplicationFactory(
        applicant=user,
        declarations={"ready": True, "identity": False, "garbled": "yes"},
        endorser_name="Sam Patel",
        endorser_email="sam.patel@example.org",
    )
    factories.SupportingDocumentFactory(application=application, kind="cv")

    facts = facts_for_application(application, today=TODAY)

    assert facts == EligibilityFacts(
        today=TODAY,
        career=(
            facts.career[0].__class__(
                dt.date(2020, 1, 1),
                dt.date(2024, 12, 31),
                Sector.EDUCATION,
                Seniority.SENIOR_OPERATIONAL,
            ),
        ),
        current_role=CurrentRole.DCS,
        current_role_since=dt.date(2025, 1, 6),
        nation=Nation.WALES,
        employer_type=EmployerType.LOCAL_AUTHORITY,
        # Only real yes/no answers count; anything else is unanswered.
        declarations={"ready": True, "identity": False},
        document_kinds=frozenset({"cv"}),
        endorsement_given=True,
    )


@pytest.mark.django_db
def test_without_a_profile_or_career_the_facts_are_unknown_not_false() -> None:
    application = factories.ApplicationFactory(endorser_name="Sam Patel", endorser_email="  ")
    facts = facts_for_application(application, today=TODAY)
    assert facts.career is None
    assert facts.current_role is facts.nation is facts.employer_type is None
    assert facts.current_role_since is None
    assert facts.declarations == {}
    # An application can answer these, so missing is a fail, not unknown.
    assert facts.document_kinds == frozenset()
    assert facts.endorsement_given is False


@pytest.mark.django_db
def test_blank_profile_fields_are_unknown() -> None:
    user = factories.UserFactory()
    factories.ProfileFactory(user=user, current_role="", nation="", employer_type="")
    facts = facts_for_application(factories.ApplicationFactory(applicant=user), today=TODAY)
    assert facts.current_role is facts.nation is facts.employer_type is None


@pytest.mark.django_db
def test_an_application_is_judged_on_its_own_facts_end_to_end() -> None:
    programme = factories.ProgrammeFactory()
    user = factories.UserFactory()
    factories.ProfileFactory(user=user)
    factories.CareerEntryFactory(user=user, started_on=dt.date(2019, 4, 1))
    rules = [
        factories.EligibilityRuleFactory(programme=programme, params={"years": 3}),
        factories.EligibilityRuleFactory(
            programme=programme,
            kind=RuleKind.REQUIRED_DOCUMENT,
            params={"document_kind": "cv"},
            message="A CV",
        ),
    ]
    application = factories.ApplicationFactory(applicant=user, cohort__programme=programme)
    verdict = evaluate(rules=rules, facts=facts_for_application(application, today=TODAY))
    assert verdict.outcome == EligibilityOutcome.INELIGIBLE
    assert [r.outcome for r in verdict.results] == ["pass", "fail"]
    factories.SupportingDocumentFactory(application=application, kind="cv")
    verdict = evaluate(rules=rules, facts=facts_for_application(application, today=TODAY))
    assert verdict.outcome == EligibilityOutcome.ELIGIBLE


@pytest.mark.django_db
def test_facts_for_many_applications_can_be_prefetched(django_assert_num_queries) -> None:
    for _ in range(3):
        user = factories.UserFactory()
        factories.ProfileFactory(user=user)
        factories.CareerEntryFactory(user=user)
        factories.SupportingDocumentFactory(application__applicant=user)
    # One for applications with applicant and profile, one each for careers and documents.
    with django_assert_num_queries(3):
        applications = list(
            Application.objects.select_related("applicant__profile").prefetch_related(
                "applicant__career_entries", "documents"
            )
        )
    with django_assert_num_queries(0):
        for application in applications:
            facts_for_application(application, today=TODAY)


# --- The public checker's answers ------------------------------------------------


def test_answers_become_facts_and_documents_stay_unknown() -> None:
    facts = facts_from_answers(
        {
            "current_role": CurrentRole.LEAD_MEMBER,
            "current_role_since": dt.date(2024, 5, 1),
            "nation": Nation.ENGLAND,
            "employer_type": EmployerType.LOCAL_AUTHORITY,
            "declarations": {"ready": True, "other": False},
        },
        today=TODAY,
    )
    assert facts == EligibilityFacts(
        today=TODAY,
        career=None,  # the question was not asked
        current_role=CurrentRole.LEAD_MEMBER,
        current_role_since=dt.date(2024, 5, 1),
        nation=Nation.ENGLAND,
        employer_type=EmployerType.LOCAL_AUTHORITY,
        declarations={"ready": True, "other": False},
        document_kinds=None,
        endorsement_given=None,
    )


def test_years_typed_in_are_counted_as_exactly_those_years() -> None:
    # Every answer the form accepts, 0.1 to 60, survives the trip through
    # career periods and accounts.experience's rounding down.
    for tenths in range(1, 601):
        years = Decimal(tenths) / 10
        facts = facts_from_answers(
            {"senior_years": years, "senior_sectors": [Sector.EDUCATION]}, today=TODAY
        )
        assert facts.career is not None
        counted = experience_years(
            facts.career, today=TODAY, seniority={Seniority.SENIOR_STRATEGIC}
        )
        assert counted == float(years), years


def test_years_count_in_every_sector_chosen_but_not_others() -> None:
    facts = facts_from_answers(
        {"senior_years": Decimal("4"), "senior_sectors": ["education", "health"]}, today=TODAY
    )
    assert facts.career is not None
    for sectors, expected in [({"education"}, 4.0), ({"health"}, 4.0), ({"commissioning"}, 0)]:
        assert experience_years(facts.career, today=TODAY, sectors=sectors) == expected


def test_zero_years_is_known_to_be_none_not_unknown() -> None:
    facts = facts_from_answers({"senior_years": Decimal("0")}, today=TODAY)
    assert facts.career == ()
