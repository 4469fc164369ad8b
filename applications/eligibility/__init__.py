"""Eligibility rules: parameters, facts, the engine, and saving rules with versions.

verdict = evaluate(rules=programme.eligibility_rules.all(),
                   facts=facts_for_application(application, today=today))
application.eligibility_outcome = verdict.outcome
application.eligibility_results = verdict.as_json()
"""

from .engine import (
    EligibilityVerdict,
    RuleOutcome,
    RuleResult,
    active_in_order,
    evaluate,
    overall_outcome,
)
from .facts import EligibilityFacts, facts_for_application, facts_from_answers
from .params import validate_params
from .questions import DeclarationQuestion, declaration_questions, required_document_kinds
from .services import rule_clean, rule_save

__all__ = [
    "DeclarationQuestion",
    "EligibilityFacts",
    "EligibilityVerdict",
    "RuleOutcome",
    "RuleResult",
    "active_in_order",
    "declaration_questions",
    "evaluate",
    "facts_for_application",
    "facts_from_answers",
    "overall_outcome",
    "required_document_kinds",
    "rule_clean",
    "rule_save",
    "validate_params",
]
