"""The characteristics reports break a population down by, and the groups of each.

Every dimension's groups cover everyone: "Prefer not to say" and "Not answered" are
groups of their own, so a column's groups always add up to its total (the
suppression rules rely on that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import EmployerType, Nation, Sector
from equality.models import (
    ETHNIC_GROUP_CATEGORY,
    PREFER_NOT_TO_SAY,
    PREFER_NOT_TO_SAY_LABEL,
    SOCIO_ECONOMIC_BACKGROUND,
    AgeBand,
    EthnicGroup,
    EthnicGroupCategory,
    Sex,
    SocioEconomicBackground,
    YesNo,
)

from .facts import Facts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_ANSWERED = "not_answered"
NOT_ANSWERED_LABEL = _("Not answered")
NOT_KNOWN = "not_known"
NOT_KNOWN_LABEL = _("Not known")


@dataclass(frozen=True)
class Dimension:
    key: str
    title: StrOrPromise
    groups: tuple[tuple[str, StrOrPromise], ...]
    classify: Callable[[Facts], str]
    # Equality characteristics get selection rates and the four-fifths check.
    is_equality: bool

    def labels(self) -> list[str]:
        return [str(label) for _, label in self.groups]


def _answered(choices: type[models.TextChoices], value: str) -> str:
    if not value:
        return NOT_ANSWERED
    return value if value in choices.values else NOT_ANSWERED


def _with_unknowns(
    groups: list[tuple[str, StrOrPromise]], *, answered: bool = True
) -> tuple[tuple[str, StrOrPromise], ...]:
    if answered:
        return (
            *groups,
            (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL),
            (NOT_ANSWERED, NOT_ANSWERED_LABEL),
        )
    return (*groups, (NOT_KNOWN, NOT_KNOWN_LABEL))


def _ethnic_heading(facts: Facts) -> str:
    value = facts.equality["ethnic_group"]
    if value == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    category = ETHNIC_GROUP_CATEGORY.get(value)
    return category.value if category else NOT_ANSWERED


def _socio_economic(facts: Facts) -> str:
    value = facts.equality["household_earner_occupation"]
    if not value:
        return NOT_ANSWERED
    if value == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    background = SOCIO_ECONOMIC_BACKGROUND.get(value)
    # "Other" (retired, not applicable, do not know) says nothing about background.
    return background.value if background else NOT_KNOWN


def _field(name: str, choices: type[models.TextChoices]) -> Callable[[Facts], str]:
    return lambda facts: _answered(choices, facts.equality[name])


def _background(name: str, choices: type[models.TextChoices]) -> Callable[[Facts], str]:
    def classify(facts: Facts) -> str:
        value = getattr(facts, name)
        return value if value in choices.values else NOT_KNOWN

    return classify


def _choices(choices: type[models.TextChoices]) -> list[tuple[str, StrOrPromise]]:
    return [
        (value, label)
        for value, label in zip(choices.values, choices.labels, strict=True)
        if value != PREFER_NOT_TO_SAY
    ]


EQUALITY_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "ethnic_group",
        _("Ethnic group"),
        _with_unknowns(_choices(EthnicGroupCategory)),
        _ethnic_heading,
        True,
    ),
    Dimension(
        "disability",
        _("Disability"),
        _with_unknowns(_choices(YesNo)),
        _field("disability", YesNo),
        True,
    ),
    Dimension("sex", _("Sex"), _with_unknowns(_choices(Sex)), _field("sex", Sex), True),
    Dimension(
        "age_band", _("Age"), _with_unknowns(_choices(AgeBand)), _field("age_band", AgeBand), True
    ),
    Dimension(
        "socio_economic",
        _("Socio-economic background"),
        (
            *_choices(SocioEconomicBackground),
            (NOT_KNOWN, NOT_KNOWN_LABEL),
            (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL),
            (NOT_ANSWERED, NOT_ANSWERED_LABEL),
        ),
        _socio_economic,
        True,
    ),
)

BACKGROUND_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "sector",
        _("Professional background (sector of current role)"),
        _with_unknowns(_choices(Sector), answered=False),
        _background("sector", Sector),
        False,
    ),
    Dimension(
        "nation",
        _("Nation of work"),
        _with_unknowns(_choices(Nation), answered=False),
        _background("nation", Nation),
        False,
    ),
    Dimension(
        "employer_type",
        _("Type of employer"),
        _with_unknowns(_choices(EmployerType), answered=False),
        _background("employer_type", EmployerType),
        False,
    ),
)

DIMENSIONS = {
    dimension.key: dimension for dimension in (*EQUALITY_DIMENSIONS, *BACKGROUND_DIMENSIONS)
}

# The groups national reference figures exist for (reports.models.ReferenceFigure.Group).
BLACK_OR_MIXED_GROUPS = frozenset(
    {
        EthnicGroup.BLACK_AFRICAN,
        EthnicGroup.BLACK_CARIBBEAN,
        EthnicGroup.MIXED_WHITE_BLACK_CARIBBEAN,
        EthnicGroup.MIXED_WHITE_ASIAN,
    }
)

_CHOICES_BY_FIELD: dict[str, type[models.TextChoices]] = {
    "sector": Sector,
    "nation": Nation,
    "employer_type": EmployerType,
}


@cache
def _codes(name: str) -> dict[str, str]:
    choices = _CHOICES_BY_FIELD[name]
    return {str(label): value for value, label in zip(choices.values, choices.labels, strict=True)}


def code_of_label(name: str, label: str) -> str:
    """The choice a label frozen in an application's snapshot stands for ("" if none)."""
    return _codes(name).get(label, label if label in _CHOICES_BY_FIELD[name].values else "")
