"""Reads for the public eligibility pages."""

from __future__ import annotations

from django.db.models import Prefetch

from programmes.models import Programme

from ..models import EligibilityRule

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
