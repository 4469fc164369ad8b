"""Equality-monitoring answers: one row per person, in a table of its own.

Never an input to screening, never on a staff, provider or API page, never in an export
other than the owner's own data download. Every question can be answered "Prefer not to
say"; an empty value means the question was left unanswered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = _("Prefer not to say")


class EthnicGroup(models.TextChoices):
    """The 2021 Census categories for England and Wales: 19 options in 5 groups."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Chinese")
    ASIAN_INDIAN = "asian_indian", _("Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Pakistani")
    ASIAN_OTHER = "asian_other", _("Any other Asian background")
    BLACK_AFRICAN = "black_african", _("African")
    BLACK_CARIBBEAN = "black_caribbean", _("Caribbean")
    BLACK_OTHER = "black_other", _("Any other Black, Black British or Caribbean background")
    MIXED_WHITE_ASIAN = "mixed_white_asian", _("White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", _("White and Black African")
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", _("White and Black Caribbean")
    MIXED_OTHER = "mixed_other", _("Any other Mixed or Multiple ethnic background")
    WHITE_BRITISH = "white_british", _("English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white_irish", _("Irish")
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", _("Gypsy or Irish Traveller")
    WHITE_ROMA = "white_roma", _("Roma")
    WHITE_OTHER = "white_other", _("Any other White background")
    OTHER_ARAB = "other_arab", _("Arab")
    OTHER_ANY = "other_any", _("Any other ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class EthnicGroupCategory(models.TextChoices):
    """The five Census headings the 19 options sit under."""

    ASIAN = "asian", _("Asian, Asian British or Asian Welsh")
    BLACK = "black", _("Black, Black British, Black Welsh, Caribbean or African")
    MIXED = "mixed", _("Mixed or Multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Other ethnic group")


ETHNIC_GROUP_CATEGORY: dict[str, EthnicGroupCategory] = {
    value: EthnicGroupCategory(value.split("_", 1)[0])
    for value in EthnicGroup.values
    if value != PREFER_NOT_TO_SAY
}

# The options whose answer may be given in the person's own words.
ETHNIC_GROUPS_WITH_OWN_WORDS = frozenset(
    {
        EthnicGroup.ASIAN_OTHER,
        EthnicGroup.BLACK_OTHER,
        EthnicGroup.MIXED_OTHER,
        EthnicGroup.WHITE_OTHER,
        EthnicGroup.OTHER_ANY,
    }
)


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", _("Straight or heterosexual")
    GAY_OR_LESBIAN = "gay_or_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another sexual orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    BUDDHIST = "buddhist", _("Buddhist")
    CHRISTIAN = "christian", _("Christian")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Any other religion or belief")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    FROM_30_TO_39 = "30_39", _("30 to 39")
    FROM_40_TO_49 = "40_49", _("40 to 49")
    FROM_50_TO_59 = "50_59", _("50 to 59")
    SIXTY_AND_OVER = "60_plus", _("60 or over")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class CaringResponsibility(models.TextChoices):
    NONE = "none", _("No")
    CHILDREN = "children", _("Yes, for a child or children under 18")
    ADULTS = "adults", _("Yes, for a disabled, ill or older adult")
    BOTH = "both", _("Yes, for both children and adults")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class HouseholdEarnerOccupation(models.TextChoices):
    """The main household earner's occupation when the person was about 14."""

    PROFESSIONAL = "professional", _("Modern or traditional professional occupation")
    MANAGER = "manager", _("Senior, middle or junior manager or administrator")
    CLERICAL = "clerical", _("Clerical or intermediate occupation")
    TECHNICAL = "technical", _("Technical or craft occupation")
    ROUTINE = "routine", _("Routine or semi-routine manual or service occupation")
    UNEMPLOYED = "unemployed", _("Long-term unemployed")
    SMALL_BUSINESS = "small_business", _("Small business owner employing fewer than 25 people")
    OTHER = "other", _("Other, for example retired, not applicable or I do not know")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class SocioEconomicBackground(models.TextChoices):
    """How reports group the occupations above."""

    PROFESSIONAL = "professional", _("Professional background")
    INTERMEDIATE = "intermediate", _("Intermediate background")
    LOWER = "lower", _("Lower socio-economic background")


SOCIO_ECONOMIC_BACKGROUND: dict[str, SocioEconomicBackground] = {
    HouseholdEarnerOccupation.PROFESSIONAL: SocioEconomicBackground.PROFESSIONAL,
    HouseholdEarnerOccupation.MANAGER: SocioEconomicBackground.PROFESSIONAL,
    HouseholdEarnerOccupation.CLERICAL: SocioEconomicBackground.INTERMEDIATE,
    HouseholdEarnerOccupation.SMALL_BUSINESS: SocioEconomicBackground.INTERMEDIATE,
    HouseholdEarnerOccupation.TECHNICAL: SocioEconomicBackground.LOWER,
    HouseholdEarnerOccupation.ROUTINE: SocioEconomicBackground.LOWER,
    HouseholdEarnerOccupation.UNEMPLOYED: SocioEconomicBackground.LOWER,
}


def _answer(choices: type[models.TextChoices], label: StrOrPromise) -> models.CharField[str, str]:
    return models.CharField(label, max_length=40, choices=choices, blank=True)


class EqualityAnswers(models.Model):
    """One person's answers. Deleted with their account; read per person only by them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equality_answers"
    )
    ethnic_group = _answer(EthnicGroup, _("ethnic group"))
    ethnic_group_own_words = models.CharField(
        _("ethnic group in your own words"), max_length=100, blank=True
    )
    disability = _answer(YesNo, _("disability"))
    sex = _answer(Sex, _("sex"))
    gender_same_as_at_birth = _answer(
        YesNo, _("gender identity the same as the sex registered at birth")
    )
    sexual_orientation = _answer(SexualOrientation, _("sexual orientation"))
    sexual_orientation_own_words = models.CharField(
        _("sexual orientation in your own words"), max_length=100, blank=True
    )
    religion = _answer(Religion, _("religion or belief"))
    religion_own_words = models.CharField(
        _("religion or belief in your own words"), max_length=100, blank=True
    )
    age_band = _answer(AgeBand, _("age"))
    caring = _answer(CaringResponsibility, _("caring responsibilities"))
    household_earner_occupation = _answer(
        HouseholdEarnerOccupation, _("main household earner's occupation at about 14")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("equality answers")
        verbose_name_plural = _("equality answers")
        # Nobody holds these permissions: the admin must not show answers per person either.
        default_permissions = ()

    def __str__(self) -> str:
        return f"Equality answers #{self.pk}"

    @property
    def ethnic_group_category(self) -> EthnicGroupCategory | None:
        return ETHNIC_GROUP_CATEGORY.get(self.ethnic_group)
