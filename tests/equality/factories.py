"""Equality answers for tests: distinctive ones, so a leak anywhere is easy to spot."""

from __future__ import annotations

from typing import Any

import factory

from equality.models import (
    AgeBand,
    CaringResponsibility,
    EqualityAnswers,
    EthnicGroup,
    HouseholdEarnerOccupation,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
)
from tests import factories

MARKER = "Zebulon-Equality-Marker"


class EqualityAnswersFactory(factory.django.DjangoModelFactory):
    """Answers to every question, with own words carrying MARKER."""

    class Meta:
        model = EqualityAnswers

    user = factory.SubFactory(factories.UserFactory)
    ethnic_group = EthnicGroup.OTHER_ANY
    ethnic_group_own_words = factory.Sequence(lambda n: f"{MARKER} ethnic {n}")
    disability = YesNo.YES
    sex = Sex.FEMALE
    gender_same_as_at_birth = YesNo.NO
    sexual_orientation = SexualOrientation.OTHER
    sexual_orientation_own_words = factory.Sequence(lambda n: f"{MARKER} orientation {n}")
    religion = Religion.OTHER
    religion_own_words = factory.Sequence(lambda n: f"{MARKER} belief {n}")
    age_band = AgeBand.SIXTY_AND_OVER
    caring = CaringResponsibility.BOTH
    household_earner_occupation = HouseholdEarnerOccupation.UNEMPLOYED


# Labels of the answers above that no other page has a reason to show.
ANSWER_LABELS = [
    str(EthnicGroup.OTHER_ANY.label),
    str(SexualOrientation.OTHER.label),
    str(Religion.OTHER.label),
    str(CaringResponsibility.BOTH.label),
    str(HouseholdEarnerOccupation.UNEMPLOYED.label),
]
ANSWER_VALUES = ["other_any", "60_plus", "unemployed"]


def leaks(text: str, *, labels: bool = True) -> list[str]:
    """What of the distinctive answers `text` shows: the marker, and labels unless told not."""
    found = [MARKER] if MARKER in text else []
    if labels:
        found += [label for label in ANSWER_LABELS if label in text]
    return found


def answers_form(**overrides: Any) -> dict[str, str]:
    """A POST body answering every question, as the questionnaire page sends it."""
    data = {
        "ethnic_group": EthnicGroup.WHITE_OTHER,
        "ethnic_group_own_words_white": "Cornish",
        "disability": YesNo.NO,
        "sex": Sex.MALE,
        "gender_same_as_at_birth": YesNo.YES,
        "sexual_orientation": SexualOrientation.STRAIGHT,
        "religion": Religion.NONE,
        "age_band": AgeBand.FROM_40_TO_49,
        "caring": CaringResponsibility.CHILDREN,
        "household_earner_occupation": HouseholdEarnerOccupation.TECHNICAL,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
