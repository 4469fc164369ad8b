"""The wording of each question, shared by the form and the person's data download."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import (
    AgeBand,
    CaringResponsibility,
    EthnicGroup,
    HouseholdEarnerOccupation,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
)

QUESTIONS: dict[str, tuple[Any, Any]] = {
    # field: (question, hint)
    "ethnic_group": (_("What is your ethnic group?"), _("Choose one option.")),
    "disability": (
        _("Do you consider yourself to have a disability or a long-term health condition?"),
        _(
            "For example, a physical or mental condition that has a substantial and "
            "long-term effect on your day-to-day activities."
        ),
    ),
    "sex": (_("What is your sex?"), ""),
    "gender_same_as_at_birth": (
        _("Is the gender you identify with the same as the sex you were registered at birth?"),
        "",
    ),
    "sexual_orientation": (
        _("Which of these best describes your sexual orientation?"),
        "",
    ),
    "religion": (_("What is your religion or belief?"), ""),
    "age_band": (_("How old are you?"), ""),
    "caring": (
        _("Do you look after someone, unpaid?"),
        _("For example, children under 18, or an adult who is disabled, ill or older."),
    ),
    "household_earner_occupation": (
        _("When you were about 14, what kind of work did the main earner in your household do?"),
        _(
            "The main earner is the person who brought in the most money. If they were not "
            "working then, think of their last job."
        ),
    ),
}

CHOICES: dict[str, type[models.TextChoices]] = {
    "ethnic_group": EthnicGroup,
    "disability": YesNo,
    "sex": Sex,
    "gender_same_as_at_birth": YesNo,
    "sexual_orientation": SexualOrientation,
    "religion": Religion,
    "age_band": AgeBand,
    "caring": CaringResponsibility,
    "household_earner_occupation": HouseholdEarnerOccupation,
}
