"""What each kind of eligibility rule takes as parameters, and checking them.

Staff type rule parameters as JSON in the admin, so every mistake has to come
back as a sentence they can act on, not a traceback at screening time.
`validate_params` returns a normalised copy: optional keys that carry no
meaning (an empty sector list) are dropped, so two spellings of the same rule
compare equal and do not bump its version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from accounts.models import CurrentRole, EmployerType, Nation, Sector

from ..models import DocumentKind, RuleKind

ERROR_NOT_AN_OBJECT = _(
    'Parameters must be a JSON object in curly brackets, for example {"years": 3}.'
)
ERROR_UNKNOWN_KIND = _("“%(kind)s” is not a kind of rule we know.")
ERROR_UNEXPECTED_KEYS = _("This kind of rule does not take: %(keys)s. It takes: %(allowed)s.")
ERROR_NO_PARAMS_EXPECTED = _("This kind of rule takes no parameters: use {}.")
ERROR_MISSING_KEY = _("Add “%(key)s”.")
ERROR_YEARS = _("“years” must be a number greater than 0, for example 3 or 2.5.")
ERROR_NOT_A_LIST = _("“%(key)s” must be a list, for example %(example)s.")
ERROR_EMPTY_LIST = _("“%(key)s” must name at least one value.")
ERROR_UNKNOWN_VALUES = _(
    "“%(key)s” has values we do not know: %(values)s. Use some of: %(allowed)s."
)
ERROR_WITHIN_MONTHS = _("“within_months” must be a whole number of months greater than 0.")
ERROR_KEY_SLUG = _(
    "“key” must be a short name of lower-case letters, numbers, hyphens or underscores, "
    "for example ready_for_dcs_role."
)
ERROR_STATEMENT = _("“statement” must be the sentence the applicant is asked to confirm.")
ERROR_DOCUMENT_KIND = _("“document_kind” must be one of: %(allowed)s.")

# Kept short enough to show beside the parameters box in the admin.
EXAMPLES: dict[str, str] = {
    RuleKind.MIN_SENIOR_YEARS: '{"years": 3, "sectors": ["childrens_social_care", "education"]}',
    RuleKind.CURRENT_ROLE: '{"roles": ["dcs"], "within_months": 12}',
    RuleKind.NATION: '{"nations": ["wales"]}',
    RuleKind.EMPLOYER_TYPE: '{"types": ["local_authority"]}',
    RuleKind.SELF_DECLARATION: (
        '{"key": "ready_for_dcs_role", "statement": "I am ready to move into a director '
        "of children's services role within the next three years\"}"
    ),
    RuleKind.REQUIRED_DOCUMENT: '{"document_kind": "cv"}',
    RuleKind.ENDORSEMENT: "{}",
}


def _values(choices: type[TextChoices]) -> str:
    return ", ".join(choices.values)


def _check_keys(
    params: dict[str, Any], *, required: Iterable[str], optional: Iterable[str] = ()
) -> None:
    required, optional = tuple(required), tuple(optional)
    allowed = (*required, *optional)
    unexpected = sorted(set(params) - set(allowed))
    if unexpected:
        if not allowed:
            raise ValidationError(ERROR_NO_PARAMS_EXPECTED, code="unexpected")
        raise ValidationError(
            ERROR_UNEXPECTED_KEYS,
            code="unexpected",
            params={"keys": ", ".join(unexpected), "allowed": ", ".join(allowed)},
        )
    missing = [key for key in required if key not in params]
    if missing:
        raise ValidationError(
            [
                ValidationError(ERROR_MISSING_KEY, code="missing", params={"key": key})
                for key in missing
            ]
        )


def _choice_list(
    value: Any, *, key: str, choices: type[TextChoices], allow_empty: bool = False
) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(
            ERROR_NOT_A_LIST,
            code="invalid",
            params={"key": key, "example": f'["{choices.values[0]}"]'},
        )
    if not value and not allow_empty:
        raise ValidationError(ERROR_EMPTY_LIST, code="invalid", params={"key": key})
    unknown = [item for item in value if item not in choices.values]
    if unknown:
        raise ValidationError(
            ERROR_UNKNOWN_VALUES,
            code="invalid",
            params={"key": key, "values": ", ".join(unknown), "allowed": _values(choices)},
        )
    # Order is kept (it is the order reasons list them in); repeats are not.
    return list(dict.fromkeys(value))


def _min_senior_years(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=["years"], optional=["sectors"])
    years = params["years"]
    # bool is an int in Python; `true` years is a typing slip, not one year.
    if isinstance(years, bool) or not isinstance(years, int | float) or not years > 0:
        raise ValidationError(ERROR_YEARS, code="invalid")
    clean: dict[str, Any] = {"years": years}
    sectors = _choice_list(
        params.get("sectors", []), key="sectors", choices=Sector, allow_empty=True
    )
    if sectors:
        clean["sectors"] = sectors
    return clean


def _current_role(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=["roles"], optional=["within_months"])
    clean: dict[str, Any] = {
        "roles": _choice_list(params["roles"], key="roles", choices=CurrentRole)
    }
    months = params.get("within_months")
    if months is not None:
        if isinstance(months, bool) or not isinstance(months, int) or months < 1:
            raise ValidationError(ERROR_WITHIN_MONTHS, code="invalid")
        clean["within_months"] = months
    return clean


def _nation(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=["nations"])
    return {"nations": _choice_list(params["nations"], key="nations", choices=Nation)}


def _employer_type(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=["types"])
    return {"types": _choice_list(params["types"], key="types", choices=EmployerType)}


def _self_declaration(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=["key", "statement"])
    key, statement = params["key"], params["statement"]
    if not isinstance(key, str):
        raise ValidationError(ERROR_KEY_SLUG, code="invalid")
    try:
        validate_slug(key)
    except ValidationError as exc:
        raise ValidationError(ERROR_KEY_SLUG, code="invalid") from exc
    if len(key) > 50:
        raise ValidationError(ERROR_KEY_SLUG, code="invalid")
    if not isinstance(statement, str) or not statement.strip():
        raise ValidationError(ERROR_STATEMENT, code="invalid")
    return {"key": key, "statement": statement.strip()}


def _required_document(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=["document_kind"])
    if params["document_kind"] not in DocumentKind.values:
        raise ValidationError(
            ERROR_DOCUMENT_KIND, code="invalid", params={"allowed": _values(DocumentKind)}
        )
    return {"document_kind": params["document_kind"]}


def _endorsement(params: dict[str, Any]) -> dict[str, Any]:
    _check_keys(params, required=[])
    return {}


_VALIDATORS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    RuleKind.MIN_SENIOR_YEARS: _min_senior_years,
    RuleKind.CURRENT_ROLE: _current_role,
    RuleKind.NATION: _nation,
    RuleKind.EMPLOYER_TYPE: _employer_type,
    RuleKind.SELF_DECLARATION: _self_declaration,
    RuleKind.REQUIRED_DOCUMENT: _required_document,
    RuleKind.ENDORSEMENT: _endorsement,
}


def validate_params(kind: str, params: Any) -> dict[str, Any]:
    """Check `params` for a rule of `kind` and return a normalised copy.

    Raises django's ValidationError with messages written for the staff who
    edit rules in the admin.
    """
    validator = _VALIDATORS.get(kind)
    if validator is None:
        raise ValidationError(ERROR_UNKNOWN_KIND, code="unknown_kind", params={"kind": kind})
    if not isinstance(params, dict):
        raise ValidationError(ERROR_NOT_AN_OBJECT, code="not_an_object")
    return validator(params)
