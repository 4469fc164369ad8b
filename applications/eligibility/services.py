"""Changing a programme's eligibility rules: saving (with versions), order, and use.

Applications store the version of each rule they were screened against, so
what a rule says (kind, params, message) bumps its version; where it comes in
the order and whether it is in use do not. Every write names its actor in the
audit log (docs/adr/0006-audit-log-library.md).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.audit import acting_as

from ..errors import ApplicationError
from ..models import EligibilityRule, RuleKind
from .params import validate_params

logger = logging.getLogger(__name__)

ERROR_DUPLICATE_DECLARATION_KEY = _(
    "Another rule of this programme already uses the key “%(key)s”. "
    "Choose a different key, or change that rule instead."
)
RULE_CHANGED = _(
    "Someone else changed this rule since you opened the page: it is now version "
    "%(version)s. Your changes have not been saved. Check the rule as it is now, "
    "then save again if your changes are still needed."
)
RULE_NOT_IN_USE = _("This rule is not in use. Bring it back before moving it.")


class RuleChanged(ApplicationError):
    """The rule was saved by someone else after the editor loaded it."""

    def __init__(self, rule: EligibilityRule) -> None:
        super().__init__(RULE_CHANGED % {"version": rule.version})
        self.rule = rule


class RuleNotMovable(ApplicationError):
    pass


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


def rule_save(
    *,
    rule: EligibilityRule,
    by: User | None,
    expected_version: int | None = None,
    keep_order_and_use: bool = False,
) -> EligibilityRule:
    """Validate and save a rule, bumping its version when what it says has changed.

    With `expected_version` (the version the editor's page showed), raises
    RuleChanged instead of saving over someone else's change. With
    `keep_order_and_use`, an existing rule keeps the position and "in use" it has
    in the database, whatever `rule` holds: the console edits what a rule says,
    and moving and retiring are rule_move's and rule_retire's, which may have run
    since `rule` was read.
    """
    with transaction.atomic(), acting_as(by):
        stored = None
        if rule.pk is not None:
            # The lock makes two staff saving the same rule at once get two versions.
            stored = EligibilityRule.objects.select_for_update().filter(pk=rule.pk).first()
        if stored is not None and expected_version not in (None, stored.version):
            raise RuleChanged(stored)
        if stored is not None and keep_order_and_use:
            rule.position, rule.is_active = stored.position, stored.is_active
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
        _who(by),
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


def _lock_rules_of(programme_id: int) -> list[EligibilityRule]:
    """Every rule of the programme, locked in id order (one order for every writer, so
    two moves never deadlock), returned in the order applicants see them."""
    rules = list(
        EligibilityRule.objects.select_for_update().filter(programme_id=programme_id).order_by("pk")
    )
    return sorted(rules, key=lambda rule: (rule.position, rule.pk))


def rule_move(*, rule: EligibilityRule, position: int, by: User | None) -> bool:
    """Move an in-use rule to `position` (1 is checked first) among the programme's rules
    in use; positions beyond either end go to that end.

    Every rule of the programme is renumbered 1..n in one transaction: the rules
    in use first, in their new order, then the retired ones. The position is
    absolute, so a replayed move changes nothing. Versions are kept: order changes
    which rule is listed first, not what any rule says. Returns False when the rule
    was already there.
    """
    with transaction.atomic(), acting_as(by):
        ordered = _lock_rules_of(rule.programme_id)
        in_use = [each for each in ordered if each.is_active]
        retired = [each for each in ordered if not each.is_active]
        index = next((i for i, each in enumerate(in_use) if each.pk == rule.pk), None)
        if index is None:
            raise RuleNotMovable(RULE_NOT_IN_USE)
        target = min(max(position, 1), len(in_use)) - 1
        in_use.insert(target, in_use.pop(index))
        for number, each in enumerate([*in_use, *retired], start=1):
            if each.position != number:
                each.position = number
                each.save(update_fields=["position", "updated_at"])
    if target != index:
        logger.info("Eligibility rule %s moved to %s by %s", rule.pk, target + 1, _who(by))
    return target != index


def rule_retire(*, rule: EligibilityRule, by: User | None) -> bool:
    """Stop using a rule for new applications. Those already screened keep their outcome.

    Returns False when it was already retired, so a replay changes nothing.
    """
    return _rule_set_in_use(rule=rule, in_use=False, by=by)


def rule_bring_back(*, rule: EligibilityRule, by: User | None) -> bool:
    """Use a retired rule again, at the same version, for applications from now on."""
    return _rule_set_in_use(rule=rule, in_use=True, by=by)


def _rule_set_in_use(*, rule: EligibilityRule, in_use: bool, by: User | None) -> bool:
    with transaction.atomic(), acting_as(by):
        locked = EligibilityRule.objects.select_for_update().get(pk=rule.pk)
        if locked.is_active == in_use:
            return False
        locked.is_active = in_use
        locked.save(update_fields=["is_active", "updated_at"])
    rule.is_active = in_use
    logger.info(
        "Eligibility rule %s %s by %s", rule.pk, "brought back" if in_use else "retired", _who(by)
    )
    return True


def _who(by: User | None) -> str:
    return str(by.pk) if by else "the system"
