"""How a rule reads to applicants, before it is saved: for the console's rule form.

Nothing here words a rule. The reasons come from the engine itself, run on a
few example people (one who meets the rule, one who does not, one we know
nothing about yet), so the preview says exactly what applicants will be told.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from accounts.models import CurrentRole, EmployerType, Nation

from ..models import EligibilityRule, RuleKind
from .engine import RuleResult, evaluate_rule
from .facts import (
    ANSWER_SENIOR_SECTORS,
    ANSWER_SENIOR_YEARS,
    EligibilityFacts,
    facts_from_answers,
)
from .params import validate_params
from .questions import DeclarationQuestion


@dataclass(frozen=True)
class RulePreview:
    # The rule as listed under "Who can apply" and above each outcome.
    message: str
    # What the engine tells example applicants: met, then not met, then not known yet.
    results: tuple[RuleResult, ...]
    # For a self-declaration: the yes/no question the application form asks.
    question: DeclarationQuestion | None


def rule_preview(*, rule: EligibilityRule, today: dt.date) -> RulePreview:
    """The preview of an unsaved rule whose params rule_clean has accepted."""
    params = validate_params(rule.kind, rule.params)
    question = None
    if rule.kind == RuleKind.SELF_DECLARATION:
        question = DeclarationQuestion(params["key"], params["statement"])
    return RulePreview(
        message=str(rule.message),
        results=tuple(evaluate_rule(rule, facts) for facts in _examples(rule.kind, params, today)),
        question=question,
    )


def _first_other(choices: list[str], chosen: list[str]) -> str | None:
    return next((value for value in choices if value not in chosen), None)


def _examples(kind: str, params: dict[str, Any], today: dt.date) -> list[EligibilityFacts]:
    unknown = EligibilityFacts(today=today)
    if kind == RuleKind.MIN_SENIOR_YEARS:
        years = params["years"]
        sectors = params.get("sectors", [])[:1]
        short_of = max(math.ceil(years) - 1, 0)
        return [
            facts_from_answers(
                {ANSWER_SENIOR_YEARS: value, ANSWER_SENIOR_SECTORS: sectors}, today=today
            )
            for value in (years, short_of)
        ] + [unknown]
    if kind == RuleKind.CURRENT_ROLE:
        roles, months = params["roles"], params.get("within_months")
        examples = [
            EligibilityFacts(
                today=today, current_role=roles[0], current_role_since=today if months else None
            )
        ]
        other = _first_other(CurrentRole.values, roles)
        if other is not None:
            examples.append(EligibilityFacts(today=today, current_role=other))
        elif months:
            long_ago = today - dt.timedelta(days=31 * (months + 1))
            examples.append(
                EligibilityFacts(today=today, current_role=roles[0], current_role_since=long_ago)
            )
        return [*examples, unknown]
    if kind == RuleKind.NATION:
        other = _first_other(Nation.values, params["nations"])
        examples = [EligibilityFacts(today=today, nation=params["nations"][0])]
        if other is not None:
            examples.append(EligibilityFacts(today=today, nation=other))
        return [*examples, unknown]
    if kind == RuleKind.EMPLOYER_TYPE:
        other = _first_other(EmployerType.values, params["types"])
        examples = [EligibilityFacts(today=today, employer_type=params["types"][0])]
        if other is not None:
            examples.append(EligibilityFacts(today=today, employer_type=other))
        return [*examples, unknown]
    if kind == RuleKind.SELF_DECLARATION:
        key = params["key"]
        return [
            EligibilityFacts(today=today, declarations={key: True}),
            EligibilityFacts(today=today, declarations={key: False}),
            unknown,
        ]
    if kind == RuleKind.REQUIRED_DOCUMENT:
        return [
            EligibilityFacts(today=today, document_kinds={params["document_kind"]}),
            EligibilityFacts(today=today, document_kinds=frozenset()),
            unknown,
        ]
    return [
        EligibilityFacts(today=today, endorsement_given=True),
        EligibilityFacts(today=today, endorsement_given=False),
        unknown,
    ]
