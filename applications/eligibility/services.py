"""Saving eligibility rules so applications can say which version screened them."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import EligibilityRule, RuleKind
from .params import validate_params

logger = logging.getLogger(__name__)

ERROR_DUPLICATE_DECLARATION_KEY = _(
    "Another rule of this programme already uses the key “%(key)s”. "
    "Choose a different key, or change that rule instead."
)


def rule_clean(*, rule: EligibilityRule) -> dict:
    """Every check rule_save makes, raised as field errors; returns the normalised params.

    The admin form calls this in clean() so staff see problems beside the
    field, and rule_save calls it again so no other caller can skip them.
    """
    errors: dict[str, list[ValidationError]] = {}
    try:
        rule.clean_fields(exclude=["params", "programme", "version"])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    params: dict = {}
    try:
        params = validate_params(rule.kind, rule.params)
    except ValidationError as exc:
        errors.setdefault("params", []).extend(exc.error_list)
    if rule.kind == RuleKind.SELF_DECLARATION and params and rule.programme_id:
        siblings = EligibilityRule.objects.filter(
            programme_id=rule.programme_id,
            kind=RuleKind.SELF_DECLARATION,
            params__key=params["key"],
        ).exclude(pk=rule.pk)
        # Two rules sharing a key would share one yes/no answer.
        if siblings.exists():
            errors.setdefault("params", []).append(
                ValidationError(
                    ERROR_DUPLICATE_DECLARATION_KEY, code="duplicate", params={"key": params["key"]}
                )
            )
    if errors:
        raise ValidationError(errors)
    return params


def rule_save(*, rule: EligibilityRule, by: User | None) -> EligibilityRule:
    """Validate and save a rule, bumping its version when what it says has changed."""
    with transaction.atomic():
        stored = None
        if rule.pk is not None:
            # The lock makes two staff saving the same rule at once get two versions.
            stored = EligibilityRule.objects.select_for_update().filter(pk=rule.pk).first()
        rule.params = rule_clean(rule=rule)
        if stored is None:
            rule.version = 1
        else:
            rule.version = stored.version + (1 if _meaning_changed(stored, rule) else 0)
        rule.save()
    logger.info(
        "Eligibility rule %s of programme %s saved at version %s by %s",
        rule.pk,
        rule.programme_id,
        rule.version,
        by.pk if by else "the system",
    )
    return rule


def _meaning_changed(stored: EligibilityRule, rule: EligibilityRule) -> bool:
    # Kind, params and message are what a rule says. Order and "in use" change
    # which rules run, not what one says, so they keep the version.
    if stored.kind != rule.kind or stored.message != rule.message:
        return True
    try:
        stored_params = validate_params(stored.kind, stored.params)
    except ValidationError:
        # A stored rule that was never valid is being repaired: that is a change.
        return True
    return stored_params != rule.params
