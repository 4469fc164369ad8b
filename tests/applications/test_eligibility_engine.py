"""The eligibility engine: every kind of rule passes, fails or is unknown, with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.experience import CareerPeriod
from accounts.models import CurrentRole, EmployerType, Nation, Sector, Seniority
from applications.eligibility import (
    EligibilityFacts,
    RuleOutcome,
    declaration_questions,
    engine,
    evaluate,
    overall_outcome,
    required_document_kinds,
)
from applications.models import DocumentKind, EligibilityOutcome, EligibilityRule, RuleKind
from tests import factories

TODAY = dt.date(2025, 6, 30)
PASS, FAIL, UNKNOWN = RuleOutcome.PASS, RuleOutcome.FAIL, RuleOutcome.UNKNOWN


def rule(kind: str, params: dict[str, Any], **extra: Any) -> EligibilityRule:
    return factories.EligibilityRuleFactory.build(kind=kind, params=params, **extra)


def facts(**known: Any) -> EligibilityFacts:
    return EligibilityFacts(today=TODAY, **known)


def period(
    started_on: dt.date,
    ended_on: dt.date | None = None,
    sector: str = Sector.CHILDRENS_SOCIAL_CARE,
    seniority: str = Seniority.SENIOR_STRATEGIC,
) -> CareerPeriod:
    return CareerPeriod(started_on, ended_on, sector, seniority)


def outcome_of(one_rule: EligibilityRule, known: EligibilityFacts) -> tuple[str, str]:
    (result,) = evaluate(rules=[one_rule], facts=known).results
    return result.outcome, result.reason


# --- Minimum years of senior strategic leadership --------------------------

THREE_YEARS_IN_CSC_OR_EDUCATION = {
    "years": 3,
    "sectors": [Sector.CHILDRENS_SOCIAL_CARE, Sector.EDUCATION],
}


def test_too_few_years_fails_with_the_years_counted_and_needed() -> None:
    # 2 years 5 months ≈ 2.4 years, ending today.
    career = [period(dt.date(2023, 2, 1))]
    outcome, reason = outcome_of(
        rule(RuleKind.MIN_SENIOR_YEARS, THREE_YEARS_IN_CSC_OR_EDUCATION), facts(career=career)
    )
    assert outcome == FAIL
    assert reason == (
        "You have 2.4 years of senior strategic leadership in children's social care or "
        "education; this programme asks for at least 3 years."
    )


def test_enough_years_in_the_named_sectors_passes() -> None:
    career = [
        period(dt.date(2019, 4, 1), dt.date(2021, 3, 31), sector=Sector.EDUCATION),
        period(dt.date(2021, 4, 1), sector=Sector.CHILDRENS_SOCIAL_CARE),
    ]
    outcome, reason = outcome_of(
        rule(RuleKind.MIN_SENIOR_YEARS, THREE_YEARS_IN_CSC_OR_EDUCATION), facts(career=career)
    )
    assert outcome == PASS
    assert reason.startswith("You have 6.2 years of senior strategic leadership in")


def test_only_senior_strategic_roles_in_the_named_sectors_count() -> None:
    career = [
        period(dt.date(2015, 1, 1), dt.date(2020, 1, 1), seniority=Seniority.SENIOR_OPERATIONAL),
        period(dt.date(2015, 1, 1), dt.date(2020, 1, 1), sector=Sector.HEALTH),
        period(dt.date(2024, 6, 30)),
    ]
    outcome, reason = outcome_of(
        rule(RuleKind.MIN_SENIOR_YEARS, THREE_YEARS_IN_CSC_OR_EDUCATION), facts(career=career)
    )
    assert outcome == FAIL
    assert reason.startswith("You have 1 year of")


def test_overlapping_roles_count_once() -> None:
    career = [period(dt.date(2023, 1, 1)), period(dt.date(2023, 6, 1), dt.date(2024, 6, 1))]
    outcome, reason = outcome_of(
        rule(RuleKind.MIN_SENIOR_YEARS, {"years": 3}), facts(career=career)
    )
    assert outcome == FAIL
    assert reason == (
        "You have 2.4 years of senior strategic leadership; "
        "this programme asks for at least 3 years."
    )


def test_without_sectors_any_sector_counts() -> None:
    career = [period(dt.date(2020, 1, 1), sector=Sector.HEALTH)]
    outcome, _reason = outcome_of(
        rule(RuleKind.MIN_SENIOR_YEARS, {"years": 3}), facts(career=career)
    )
    assert outcome == PASS


def test_no_career_history_is_unknown_not_a_fail() -> None:
    outcome, reason = outcome_of(rule(RuleKind.MIN_SENIOR_YEARS, {"years": 3}), facts(career=None))
    assert outcome == UNKNOWN
    assert reason == str(engine.REASON_CAREER_UNKNOWN)
    assert "career history is empty" in reason


def test_a_known_empty_career_is_a_fail_with_no_years() -> None:
    outcome, reason = outcome_of(rule(RuleKind.MIN_SENIOR_YEARS, {"years": 2.5}), facts(career=()))
    assert outcome == FAIL
    assert reason.startswith("You have 0 years")
    assert reason.endswith("at least 2.5 years.")


# --- Current role -----------------------------------------------------------

DCS_WITHIN_12_MONTHS = {"roles": [CurrentRole.DCS], "within_months": 12}
ELECTED_MEMBERS = {"roles": [CurrentRole.LEAD_MEMBER, CurrentRole.SCRUTINY_CHAIR]}


def test_role_in_the_set_passes() -> None:
    outcome, reason = outcome_of(
        rule(RuleKind.CURRENT_ROLE, ELECTED_MEMBERS), facts(current_role=CurrentRole.LEAD_MEMBER)
    )
    assert outcome == PASS
    assert reason == (
        "Your current role is lead member for children's services (councillor), "
        "which this programme is for."
    )


def test_role_outside_the_set_fails_naming_the_roles_it_is_for() -> None:
    outcome, reason = outcome_of(
        rule(RuleKind.CURRENT_ROLE, ELECTED_MEMBERS), facts(current_role=CurrentRole.DCS)
    )
    assert outcome == FAIL
    assert reason == (
        "Your current role is director of children's services; this programme is for "
        "lead member for children's services (councillor) or chair of a children's "
        "services scrutiny committee."
    )


def test_unknown_role_is_unknown() -> None:
    outcome, reason = outcome_of(rule(RuleKind.CURRENT_ROLE, ELECTED_MEMBERS), facts())
    assert (outcome, reason) == (UNKNOWN, str(engine.REASON_ROLE_UNKNOWN))


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (TODAY, PASS),
        (dt.date(2024, 6, 30), PASS),  # exactly twelve months ago
        (dt.date(2024, 6, 29), FAIL),  # a day more than twelve months ago
        (dt.date(2019, 1, 1), FAIL),
    ],
)
def test_recent_appointment_is_counted_in_calendar_months(since: dt.date, expected: str) -> None:
    outcome, reason = outcome_of(
        rule(RuleKind.CURRENT_ROLE, DCS_WITHIN_12_MONTHS),
        facts(current_role=CurrentRole.DCS, current_role_since=since),
    )
    assert outcome == expected
    assert "12 months" in reason


def test_appointment_long_ago_says_when() -> None:
    outcome, reason = outcome_of(
        rule(RuleKind.CURRENT_ROLE, DCS_WITHIN_12_MONTHS),
        facts(current_role=CurrentRole.DCS, current_role_since=dt.date(2021, 4, 1)),
    )
    assert outcome == FAIL
    assert reason == (
        "You started as director of children's services on 1 April 2021; "
        "this programme is for people who started in the last 12 months."
    )


def test_recency_without_a_start_date_is_unknown() -> None:
    outcome, reason = outcome_of(
        rule(RuleKind.CURRENT_ROLE, DCS_WITHIN_12_MONTHS), facts(current_role=CurrentRole.DCS)
    )
    assert outcome == UNKNOWN
    assert "when you started as director of children's services" in reason


def test_months_before_keeps_the_day_or_uses_the_months_last_day() -> None:
    assert engine._months_before(dt.date(2025, 3, 31), 1) == dt.date(2025, 2, 28)
    assert engine._months_before(dt.date(2025, 1, 15), 13) == dt.date(2023, 12, 15)


# --- Nation and employer type -----------------------------------------------


@pytest.mark.parametrize(
    ("nation", "expected", "reason"),
    [
        (Nation.WALES, PASS, "You work in Wales, which this programme is for."),
        (
            Nation.ENGLAND,
            FAIL,
            "You work in England; this programme is for people who work in Wales.",
        ),
        (None, UNKNOWN, str(engine.REASON_NATION_UNKNOWN)),
    ],
)
def test_nation(nation: str | None, expected: str, reason: str) -> None:
    assert outcome_of(rule(RuleKind.NATION, {"nations": ["wales"]}), facts(nation=nation)) == (
        expected,
        reason,
    )


@pytest.mark.parametrize(
    ("employer", "expected", "reason"),
    [
        (
            EmployerType.NHS,
            PASS,
            "Your type of employer is NHS body, which this programme is for.",
        ),
        (
            EmployerType.PRIVATE,
            FAIL,
            "Your type of employer is private company; this programme is for people who "
            "work for one of these: local authority or NHS body.",
        ),
        (None, UNKNOWN, str(engine.REASON_EMPLOYER_UNKNOWN)),
    ],
)
def test_employer_type(employer: str | None, expected: str, reason: str) -> None:
    checked = rule(RuleKind.EMPLOYER_TYPE, {"types": ["local_authority", "nhs"]})
    assert outcome_of(checked, facts(employer_type=employer)) == (expected, reason)


# --- Self-declared statements -----------------------------------------------

READY = {
    "key": "ready",
    "statement": "I am ready to move into a director of children's services role within "
    "the next three years",
}


@pytest.mark.parametrize(
    ("answers", "expected", "start"),
    [
        ({"ready": True}, PASS, "You confirmed: I am ready"),
        ({"ready": False}, FAIL, "You told us this does not apply to you: I am ready"),
        ({}, UNKNOWN, "We could not check this because you have not said"),
        ({"something_else": True}, UNKNOWN, "We could not check this"),
    ],
)
def test_self_declaration(answers: dict[str, bool], expected: str, start: str) -> None:
    outcome, reason = outcome_of(
        rule(RuleKind.SELF_DECLARATION, READY), facts(declarations=answers)
    )
    assert outcome == expected
    assert reason.startswith(start)
    assert reason.endswith("within the next three years")


# --- Documents and endorsement ------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "expected", "reason"),
    [
        ({"cv", "other"}, PASS, "You have uploaded your CV."),
        ({"other"}, FAIL, "Your CV has not been uploaded."),
        (set(), FAIL, "Your CV has not been uploaded."),
        (None, UNKNOWN, "You will need to upload your CV when you apply."),
    ],
)
def test_required_document(kinds: set[str] | None, expected: str, reason: str) -> None:
    checked = rule(RuleKind.REQUIRED_DOCUMENT, {"document_kind": DocumentKind.CV})
    assert outcome_of(checked, facts(document_kinds=kinds)) == (expected, reason)


@pytest.mark.parametrize(
    ("given", "expected", "reason"),
    [
        (True, PASS, engine.REASON_ENDORSEMENT_GIVEN),
        (False, FAIL, engine.REASON_ENDORSEMENT_MISSING),
        (None, UNKNOWN, engine.REASON_ENDORSEMENT_NEEDED),
    ],
)
def test_endorsement(given: bool | None, expected: str, reason: Any) -> None:
    assert outcome_of(rule(RuleKind.ENDORSEMENT, {}), facts(endorsement_given=given)) == (
        expected,
        str(reason),
    )


def test_a_rule_with_broken_parameters_goes_to_a_person() -> None:
    broken = rule(RuleKind.NATION, {"nations": "wales"})  # a string, not a list
    assert outcome_of(broken, facts(nation=Nation.WALES)) == (
        UNKNOWN,
        str(engine.REASON_RULE_NOT_CHECKABLE),
    )


# --- Combining outcomes ------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "overall"),
    [
        ([], EligibilityOutcome.ELIGIBLE),
        ([PASS, PASS], EligibilityOutcome.ELIGIBLE),
        ([PASS, UNKNOWN], EligibilityOutcome.NEEDS_REVIEW),
        ([UNKNOWN, UNKNOWN], EligibilityOutcome.NEEDS_REVIEW),
        ([PASS, FAIL], EligibilityOutcome.INELIGIBLE),
        ([UNKNOWN, FAIL, PASS], EligibilityOutcome.INELIGIBLE),
    ],
)
def test_any_fail_is_ineligible_else_any_unknown_needs_review(
    outcomes: list[str], overall: str
) -> None:
    assert overall_outcome(outcomes) == overall


def test_a_programme_with_no_rules_is_eligible() -> None:
    verdict = evaluate(rules=[], facts=facts())
    assert verdict.outcome == EligibilityOutcome.ELIGIBLE
    assert verdict.results == ()
    assert verdict.as_json() == []


def test_evaluate_combines_real_rules() -> None:
    rules = [
        rule(RuleKind.NATION, {"nations": ["england"]}, position=1),
        rule(RuleKind.ENDORSEMENT, {}, position=2),
    ]
    known = facts(nation=Nation.ENGLAND)
    assert evaluate(rules=rules, facts=known).outcome == EligibilityOutcome.NEEDS_REVIEW
    rules.append(rule(RuleKind.SELF_DECLARATION, READY, position=3))
    known = facts(nation=Nation.ENGLAND, declarations={"ready": False})
    assert evaluate(rules=rules, facts=known).outcome == EligibilityOutcome.INELIGIBLE


def test_inactive_rules_are_skipped_and_the_rest_run_in_order() -> None:
    rules = [
        rule(RuleKind.ENDORSEMENT, {}, position=3, message="Third"),
        rule(RuleKind.NATION, {"nations": ["wales"]}, position=1, message="First"),
        rule(RuleKind.SELF_DECLARATION, READY, position=2, message="Off", is_active=False),
    ]
    verdict = evaluate(rules=rules, facts=facts(nation=Nation.WALES, endorsement_given=True))
    assert [r.message for r in verdict.results] == ["First", "Third"]
    assert verdict.outcome == EligibilityOutcome.ELIGIBLE


def test_results_as_json_carry_the_rule_version_and_reason() -> None:
    checked = rule(RuleKind.NATION, {"nations": ["wales"]}, version=4, message="Work in Wales")
    checked.pk = 17
    verdict = evaluate(rules=[checked], facts=facts(nation=Nation.WALES))
    assert verdict.as_json() == [
        {
            "rule_id": 17,
            "version": 4,
            "kind": "nation",
            "outcome": "pass",
            "reason": "You work in Wales, which this programme is for.",
            "message": "Work in Wales",
        }
    ]
    # Plain strings, so the JSON column never holds a lazy translation object.
    assert all(type(value) in (str, int) for value in verdict.as_json()[0].values())


# --- What rules ask for ---------------------------------------------------------


def test_declaration_questions_are_the_active_statements_in_order_each_once() -> None:
    rules = [
        rule(RuleKind.SELF_DECLARATION, {"key": "b", "statement": "Second"}, position=2),
        rule(RuleKind.SELF_DECLARATION, {"key": "a", "statement": "First"}, position=1),
        rule(RuleKind.SELF_DECLARATION, {"key": "a", "statement": "Again"}, position=3),
        rule(RuleKind.SELF_DECLARATION, {"key": "c", "statement": "Off"}, is_active=False),
        rule(RuleKind.NATION, {"nations": ["wales"]}),
    ]
    assert [(q.key, q.statement) for q in declaration_questions(rules)] == [
        ("a", "First"),
        ("b", "Second"),
    ]


def test_required_document_kinds_come_from_active_document_rules() -> None:
    rules = [
        rule(RuleKind.REQUIRED_DOCUMENT, {"document_kind": "cv"}),
        rule(RuleKind.REQUIRED_DOCUMENT, {"document_kind": "endorsement_letter"}),
        rule(RuleKind.REQUIRED_DOCUMENT, {"document_kind": "other"}, is_active=False),
        rule(RuleKind.ENDORSEMENT, {}),
    ]
    assert required_document_kinds(rules) == {"cv", "endorsement_letter"}
