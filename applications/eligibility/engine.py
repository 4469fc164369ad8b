"""The one eligibility engine: a programme's rules against what we know about a person.

Each rule gives pass, fail or unknown with a reason in plain English. Overall,
any fail makes the person ineligible; otherwise any unknown means a person
must review; otherwise (including a programme with no rules) they are eligible.
The same code screens submitted applications and answers the public
"Am I eligible?" page, so the two can never disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.experience import experience_years
from accounts.models import CurrentRole, EmployerType, Nation, Sector, Seniority

from ..models import DocumentKind, EligibilityOutcome, EligibilityRule, RuleKind
from .facts import EligibilityFacts
from .params import validate_params
from .wording import choice_labels, join_or


class RuleOutcome(models.TextChoices):
    PASS = "pass", _("Met")
    FAIL = "fail", _("Not met")
    UNKNOWN = "unknown", _("Not known yet")


REASON_YEARS_IN_SECTORS = _(
    "You have %(have)s of senior strategic leadership in %(sectors)s; "
    "this programme asks for at least %(need)s."
)
REASON_YEARS = _(
    "You have %(have)s of senior strategic leadership; this programme asks for at least %(need)s."
)
REASON_CAREER_UNKNOWN = _(
    "We could not check this because your career history is empty. Add your roles to your profile."
)
REASON_ROLE_UNKNOWN = _("We could not check this because you have not told us your current role.")
REASON_ROLE_MATCH = _("Your current role is %(role)s, which this programme is for.")
REASON_ROLE_OTHER = _("Your current role is %(role)s; this programme is for %(roles)s.")
REASON_ROLE_SINCE_UNKNOWN = _(
    "We could not check this because you have not told us when you started as %(role)s. "
    "This programme is for people who started in the last %(months)s."
)
REASON_ROLE_RECENT = _("You started as %(role)s on %(since)s, within the last %(months)s.")
REASON_ROLE_NOT_RECENT = _(
    "You started as %(role)s on %(since)s; "
    "this programme is for people who started in the last %(months)s."
)
REASON_NATION_UNKNOWN = _(
    "We could not check this because you have not told us which nation you work in."
)
REASON_NATION_MATCH = _("You work in %(nation)s, which this programme is for.")
REASON_NATION_OTHER = _(
    "You work in %(nation)s; this programme is for people who work in %(nations)s."
)
REASON_EMPLOYER_UNKNOWN = _(
    "We could not check this because you have not told us what type of organisation you work for."
)
REASON_EMPLOYER_MATCH = _("Your type of employer is %(type)s, which this programme is for.")
REASON_EMPLOYER_OTHER = _(
    "Your type of employer is %(type)s; this programme is for people who work for "
    "one of these: %(types)s."
)
REASON_DECLARATION_UNKNOWN = _(
    "We could not check this because you have not said whether this applies to you: %(statement)s"
)
REASON_DECLARATION_YES = _("You confirmed: %(statement)s")
REASON_DECLARATION_NO = _("You told us this does not apply to you: %(statement)s")
REASON_DOCUMENT_UPLOADED = _("You have uploaded your %(document)s.")
REASON_DOCUMENT_MISSING = _("Your %(document)s has not been uploaded.")
REASON_DOCUMENT_NEEDED = _("You will need to upload your %(document)s when you apply.")
REASON_ENDORSEMENT_GIVEN = _(
    "You have given the name and email address of your sponsor or line manager."
)
REASON_ENDORSEMENT_MISSING = _(
    "You have not given the name and email address of a sponsor or line manager "
    "who supports your application."
)
REASON_ENDORSEMENT_NEEDED = _(
    "When you apply, you will need to give the name and email address of a sponsor "
    "or line manager who supports your application."
)
REASON_RULE_NOT_CHECKABLE = _(
    "We could not check this automatically, so the programme team will check it."
)


@dataclass(frozen=True)
class RuleResult:
    rule_id: int | None
    version: int
    kind: str
    outcome: str
    reason: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "version": self.version,
            "kind": self.kind,
            "outcome": self.outcome,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True)
class EligibilityVerdict:
    outcome: EligibilityOutcome
    results: tuple[RuleResult, ...]

    def as_json(self) -> list[dict[str, Any]]:
        """What Application.eligibility_results stores: each rule, its version and outcome."""
        return [result.as_json() for result in self.results]


def overall_outcome(outcomes: Iterable[str]) -> EligibilityOutcome:
    seen = set(outcomes)
    if RuleOutcome.FAIL in seen:
        return EligibilityOutcome.INELIGIBLE
    if RuleOutcome.UNKNOWN in seen:
        return EligibilityOutcome.NEEDS_REVIEW
    return EligibilityOutcome.ELIGIBLE


# --- Wording helpers -------------------------------------------------------


def _years(value: float) -> str:
    number = f"{value:g}"
    return ngettext("%(n)s year", "%(n)s years", 1 if value == 1 else 2) % {"n": number}


def _months(value: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", value) % {"n": value}


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier; the 31st becomes the month's last day."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- One function per kind of rule -----------------------------------------

Outcome = tuple[str, str]


def _min_senior_years(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    if facts.career is None:
        return RuleOutcome.UNKNOWN, str(REASON_CAREER_UNKNOWN)
    sectors = params.get("sectors") or None
    have = experience_years(
        facts.career, today=facts.today, seniority={Seniority.SENIOR_STRATEGIC}, sectors=sectors
    )
    need = params["years"]
    outcome = RuleOutcome.PASS if have >= need else RuleOutcome.FAIL
    if sectors:
        reason = REASON_YEARS_IN_SECTORS % {
            "have": _years(have),
            "need": _years(need),
            "sectors": join_or(choice_labels(Sector, sectors, lower=True)),
        }
    else:
        reason = REASON_YEARS % {"have": _years(have), "need": _years(need)}
    return outcome, reason


def _current_role(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    if facts.current_role is None:
        return RuleOutcome.UNKNOWN, str(REASON_ROLE_UNKNOWN)
    (role,) = choice_labels(CurrentRole, [facts.current_role], lower=True)
    if facts.current_role not in params["roles"]:
        roles = join_or(choice_labels(CurrentRole, params["roles"], lower=True))
        return RuleOutcome.FAIL, REASON_ROLE_OTHER % {"role": role, "roles": roles}
    months = params.get("within_months")
    if months is None:
        return RuleOutcome.PASS, REASON_ROLE_MATCH % {"role": role}
    if facts.current_role_since is None:
        return RuleOutcome.UNKNOWN, REASON_ROLE_SINCE_UNKNOWN % {
            "role": role,
            "months": _months(months),
        }
    words = {
        "role": role,
        "since": date_format(facts.current_role_since, "j F Y"),
        "months": _months(months),
    }
    if facts.current_role_since >= _months_before(facts.today, months):
        return RuleOutcome.PASS, REASON_ROLE_RECENT % words
    return RuleOutcome.FAIL, REASON_ROLE_NOT_RECENT % words


def _nation(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    if facts.nation is None:
        return RuleOutcome.UNKNOWN, str(REASON_NATION_UNKNOWN)
    (nation,) = choice_labels(Nation, [facts.nation], lower=False)
    if facts.nation in params["nations"]:
        return RuleOutcome.PASS, REASON_NATION_MATCH % {"nation": nation}
    nations = join_or(choice_labels(Nation, params["nations"], lower=False))
    return RuleOutcome.FAIL, REASON_NATION_OTHER % {"nation": nation, "nations": nations}


def _employer_type(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    if facts.employer_type is None:
        return RuleOutcome.UNKNOWN, str(REASON_EMPLOYER_UNKNOWN)
    (kind,) = choice_labels(EmployerType, [facts.employer_type], lower=True)
    if facts.employer_type in params["types"]:
        return RuleOutcome.PASS, REASON_EMPLOYER_MATCH % {"type": kind}
    kinds = join_or(choice_labels(EmployerType, params["types"], lower=True))
    return RuleOutcome.FAIL, REASON_EMPLOYER_OTHER % {"type": kind, "types": kinds}


def _self_declaration(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    words = {"statement": params["statement"]}
    answer = facts.declarations.get(params["key"])
    if answer is None:
        return RuleOutcome.UNKNOWN, REASON_DECLARATION_UNKNOWN % words
    if answer:
        return RuleOutcome.PASS, REASON_DECLARATION_YES % words
    return RuleOutcome.FAIL, REASON_DECLARATION_NO % words


def _required_document(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    (document,) = choice_labels(DocumentKind, [params["document_kind"]], lower=True)
    if facts.document_kinds is None:
        return RuleOutcome.UNKNOWN, REASON_DOCUMENT_NEEDED % {"document": document}
    if params["document_kind"] in facts.document_kinds:
        return RuleOutcome.PASS, REASON_DOCUMENT_UPLOADED % {"document": document}
    return RuleOutcome.FAIL, REASON_DOCUMENT_MISSING % {"document": document}


def _endorsement(params: dict[str, Any], facts: EligibilityFacts) -> Outcome:
    if facts.endorsement_given is None:
        return RuleOutcome.UNKNOWN, str(REASON_ENDORSEMENT_NEEDED)
    if facts.endorsement_given:
        return RuleOutcome.PASS, str(REASON_ENDORSEMENT_GIVEN)
    return RuleOutcome.FAIL, str(REASON_ENDORSEMENT_MISSING)


_EVALUATORS: dict[str, Callable[[dict[str, Any], EligibilityFacts], Outcome]] = {
    RuleKind.MIN_SENIOR_YEARS: _min_senior_years,
    RuleKind.CURRENT_ROLE: _current_role,
    RuleKind.NATION: _nation,
    RuleKind.EMPLOYER_TYPE: _employer_type,
    RuleKind.SELF_DECLARATION: _self_declaration,
    RuleKind.REQUIRED_DOCUMENT: _required_document,
    RuleKind.ENDORSEMENT: _endorsement,
}


def active_in_order(rules: Iterable[EligibilityRule]) -> list[EligibilityRule]:
    """The rules that apply, in the order staff set (ties by age, oldest first)."""
    return sorted(
        (rule for rule in rules if rule.is_active), key=lambda rule: (rule.position, rule.pk or 0)
    )


def evaluate_rule(rule: EligibilityRule, facts: EligibilityFacts) -> RuleResult:
    outcome: str
    reason: str
    try:
        params = validate_params(rule.kind, rule.params)
    except ValidationError:
        # A rule saved around rule_save (a shell, a fixture) must not stop
        # screening: it goes to a person, who can see it needs fixing.
        outcome, reason = RuleOutcome.UNKNOWN, str(REASON_RULE_NOT_CHECKABLE)
    else:
        outcome, reason = _EVALUATORS[rule.kind](params, facts)
    return RuleResult(
        rule_id=rule.pk,
        version=rule.version,
        kind=str(rule.kind),
        outcome=str(outcome),
        reason=str(reason),
        message=str(rule.message),
    )


def evaluate(*, rules: Iterable[EligibilityRule], facts: EligibilityFacts) -> EligibilityVerdict:
    """Check the active rules, in order, and combine their outcomes."""
    results = tuple(evaluate_rule(rule, facts) for rule in active_in_order(rules))
    return EligibilityVerdict(
        outcome=overall_outcome(result.outcome for result in results), results=results
    )
