"""What a programme's rules need people to tell us or give us.

The application form's eligibility section and the public checker both ask
exactly these, so a question can never be asked that no rule reads, nor a rule
added that nobody is asked about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ..models import EligibilityRule, RuleKind
from .engine import active_in_order
from .params import validate_params


@dataclass(frozen=True)
class DeclarationQuestion:
    """A statement the applicant answers yes or no to; `key` is where the answer is kept."""

    key: str
    statement: str


@dataclass(frozen=True)
class CheckerNeeds:
    """Which questions the public checker has to ask for a set of rules."""

    senior_years: bool = False
    # Sectors matter only when some rule counts experience in given sectors.
    senior_sectors: bool = False
    current_role: bool = False
    # Roles for which some rule also asks how recently the person started.
    roles_needing_start_date: frozenset[str] = frozenset()
    nation: bool = False
    employer_type: bool = False
    declarations: tuple[DeclarationQuestion, ...] = field(default=())

    @property
    def current_role_since(self) -> bool:
        return bool(self.roles_needing_start_date)

    @property
    def anything(self) -> bool:
        return any(
            (
                self.senior_years,
                self.current_role,
                self.nation,
                self.employer_type,
                self.declarations,
            )
        )


def _valid_params(rules: Iterable[EligibilityRule]) -> list[tuple[EligibilityRule, dict]]:
    valid = []
    for rule in active_in_order(rules):
        try:
            valid.append((rule, validate_params(rule.kind, rule.params)))
        except ValidationError:
            # The engine reports a broken rule as unknown; asking about it helps nobody.
            continue
    return valid


def declaration_questions(rules: Iterable[EligibilityRule]) -> list[DeclarationQuestion]:
    """The self-declaration statements of the active rules, in order, each key once."""
    questions: dict[str, DeclarationQuestion] = {}
    for rule, params in _valid_params(rules):
        if rule.kind == RuleKind.SELF_DECLARATION and params["key"] not in questions:
            questions[params["key"]] = DeclarationQuestion(params["key"], params["statement"])
    return list(questions.values())


def required_document_kinds(rules: Iterable[EligibilityRule]) -> set[str]:
    """DocumentKind values the active rules require an application to include."""
    return {
        params["document_kind"]
        for rule, params in _valid_params(rules)
        if rule.kind == RuleKind.REQUIRED_DOCUMENT
    }


def checker_needs(rules: Iterable[EligibilityRule]) -> CheckerNeeds:
    rules = list(rules)
    valid = _valid_params(rules)
    kinds = {rule.kind for rule, _params in valid}
    role_rules = [params for rule, params in valid if rule.kind == RuleKind.CURRENT_ROLE]
    return CheckerNeeds(
        senior_years=RuleKind.MIN_SENIOR_YEARS in kinds,
        senior_sectors=any(
            "sectors" in params for rule, params in valid if rule.kind == RuleKind.MIN_SENIOR_YEARS
        ),
        current_role=bool(role_rules),
        roles_needing_start_date=frozenset(
            role for params in role_rules if "within_months" in params for role in params["roles"]
        ),
        nation=RuleKind.NATION in kinds,
        employer_type=RuleKind.EMPLOYER_TYPE in kinds,
        declarations=tuple(declaration_questions(rules)),
    )
