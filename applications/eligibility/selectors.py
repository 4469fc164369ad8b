"""Reads of eligibility rules: for the public pages, and for the staff console."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Prefetch

from programmes.models import Cohort, Programme

from ..models import Application, EligibilityRule

ACTIVE_RULES_ATTR = "active_eligibility_rules"


def active_rules_prefetch(to_attr: str = ACTIVE_RULES_ATTR) -> Prefetch:
    """A programme's rules in use, in order, as a list on `to_attr`: one query for any
    number of programmes."""
    return Prefetch(
        "eligibility_rules",
        queryset=EligibilityRule.objects.filter(is_active=True).order_by("position", "id"),
        to_attr=to_attr,
    )


def programme_with_rules_public(*, slug: str) -> Programme:
    """A published programme with its active rules on `active_eligibility_rules`.

    Raises Programme.DoesNotExist for unknown and unpublished programmes alike,
    so a draft programme's rules are never shown.
    """
    return Programme.objects.published().prefetch_related(active_rules_prefetch()).get(slug=slug)


# --- For the staff console ---------------------------------------------------------

# One row per (rule, version) with the number of the programme's applications whose
# stored results name it. eligibility_results is a JSON list of {rule_id, version, …}
# (engine.RuleResult.as_json); anything else stored there is skipped, not an error.
_COUNTS_POSTGRES = """
SELECT (result ->> 'rule_id')::bigint, (result ->> 'version')::bigint, COUNT(DISTINCT a.id)
FROM {application} a
JOIN {cohort} c ON c.id = a.cohort_id
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(a.eligibility_results) = 'array'
         THEN a.eligibility_results ELSE '[]'::jsonb END
) AS result
WHERE c.programme_id = %s
  AND jsonb_typeof(result) = 'object'
  AND (result ->> 'rule_id') ~ '^[0-9]{{1,18}}$'
  AND (result ->> 'version') ~ '^[0-9]{{1,18}}$'
GROUP BY 1, 2
"""
_COUNTS_SQLITE = """
SELECT json_extract(result.value, '$.rule_id'), json_extract(result.value, '$.version'),
       COUNT(DISTINCT a.id)
FROM {application} a
JOIN {cohort} c ON c.id = a.cohort_id,
     json_each(CASE WHEN json_type(a.eligibility_results) = 'array'
                    THEN a.eligibility_results ELSE '[]' END) AS result
WHERE c.programme_id = %s
  AND json_type(result.value, '$.rule_id') = 'integer'
  AND json_type(result.value, '$.version') = 'integer'
GROUP BY 1, 2
"""


@dataclass(frozen=True)
class ScreenedCounts:
    """How many applications were screened against a rule: its current version, and before."""

    current: int = 0
    earlier: int = 0


def rules_screened_counts(
    *, programme: Programme, rules: Iterable[EligibilityRule]
) -> dict[int, ScreenedCounts]:
    """For each of `rules` (the programme's) that screened anyone, the number of
    applications screened against its current version and against earlier ones:
    ONE query however many rules and applications there are.

    Every application counts, whatever happened to it since, because each keeps the
    outcome it was given. The stored results are unpacked in the database (one pass
    over the programme's applications, grouped by rule and version), not loaded.
    """
    versions = {rule.pk: rule.version for rule in rules}
    if not versions:
        return {}
    connection = connections[Application.objects.db]
    sql = _COUNTS_POSTGRES if connection.vendor == "postgresql" else _COUNTS_SQLITE
    sql = sql.format(
        application=connection.ops.quote_name(Application._meta.db_table),
        cohort=connection.ops.quote_name(Cohort._meta.db_table),
    )
    totals: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme.pk])
        for rule_id, version, count in cursor.fetchall():
            if rule_id not in versions:
                continue  # a rule since deleted, or of another programme
            slot = totals.setdefault(rule_id, [0, 0])
            slot[0 if version == versions[rule_id] else 1] += count
    return {rule_id: ScreenedCounts(*pair) for rule_id, pair in totals.items()}
