"""The public "Am I eligible?" questions, built from a programme's rules.

Only what some active rule reads is asked, and every answer is turned into
EligibilityFacts by facts_from_answers, so the page and screening share one engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import CurrentRole, EmployerType, Nation, Sector
from accounts.widgets import DayMonthYearField

from ..models import EligibilityRule
from .facts import (
    ANSWER_CURRENT_ROLE,
    ANSWER_CURRENT_ROLE_SINCE,
    ANSWER_DECLARATIONS,
    ANSWER_EMPLOYER_TYPE,
    ANSWER_NATION,
    ANSWER_SENIOR_SECTORS,
    ANSWER_SENIOR_YEARS,
)
from .questions import CheckerNeeds, checker_needs
from .wording import choice_labels, join_or

ERROR_YEARS_REQUIRED = _(
    "Enter your years of senior strategic leadership experience, or 0 if you have none"
)
ERROR_YEARS_INVALID = _("Enter years as a number, such as 3 or 2.5")
ERROR_YEARS_RANGE = _("Enter a number of years from 0 to 60")
ERROR_YEARS_PRECISION = _("Enter years with no more than one decimal place, such as 2.5")
ERROR_SECTORS_REQUIRED = _("Choose at least one sector where you gained this experience")
ERROR_ROLE_REQUIRED = _("Choose your current role")
ERROR_ROLE_SINCE_REQUIRED = _("Enter the date you started in this role")
ERROR_ROLE_SINCE_INVALID = _("Enter a real date, such as 1 April 2024")
ERROR_ROLE_SINCE_FUTURE = _("The date you started in this role must be today or in the past")
ERROR_NATION_REQUIRED = _("Choose the nation you work in")
ERROR_EMPLOYER_REQUIRED = _("Choose the type of organisation you work for")
ERROR_DECLARATION_REQUIRED = _("Answer yes or no")
ERROR_NOT_AN_OPTION = _("Choose one of the options shown")

DECLARATION_FIELD_PREFIX = "declaration_"
YES, NO = "yes", "no"
MAX_YEARS = 60


class _OptionGroupMixin:
    """Radios and checkboxes: the field's label target is its first option.

    Django gives a group no label id (a fieldset legend names it instead), but
    the error summary links to the field, and a link to "#" goes nowhere.
    """

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)  # type: ignore[misc]


class Radios(_OptionGroupMixin, forms.RadioSelect):
    pass


class Checkboxes(_OptionGroupMixin, forms.CheckboxSelectMultiple):
    pass


class YesNoRadios(Radios):
    # Two short options read better side by side.
    inline = True


class EligibilityCheckForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        rules: Iterable[EligibilityRule],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.needs: CheckerNeeds = checker_needs(rules)
        needs = self.needs
        if needs.senior_years:
            self.fields[ANSWER_SENIOR_YEARS] = forms.DecimalField(
                label=_("How many years of senior strategic leadership experience do you have?"),
                help_text=_(
                    "Senior strategic leadership means setting the direction of a service or "
                    "organisation, for example as a director or assistant director. Count "
                    "roles that overlapped only once. You can use a decimal, such as 2.5."
                ),
                min_value=0,
                max_value=MAX_YEARS,
                max_digits=3,
                decimal_places=1,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                error_messages={
                    "required": ERROR_YEARS_REQUIRED,
                    "invalid": ERROR_YEARS_INVALID,
                    "min_value": ERROR_YEARS_RANGE,
                    "max_value": ERROR_YEARS_RANGE,
                    "max_digits": ERROR_YEARS_RANGE,
                    "max_decimal_places": ERROR_YEARS_PRECISION,
                    "max_whole_digits": ERROR_YEARS_RANGE,
                },
            )
        if needs.senior_sectors:
            self.fields[ANSWER_SENIOR_SECTORS] = forms.MultipleChoiceField(
                label=_("In which sectors did you gain this experience?"),
                help_text=_("Choose all that apply."),
                choices=Sector.choices,
                required=False,
                widget=Checkboxes,
                error_messages={"invalid_choice": ERROR_NOT_AN_OPTION},
            )
        if needs.current_role:
            self.fields[ANSWER_CURRENT_ROLE] = forms.ChoiceField(
                label=_("What is your current role?"),
                choices=CurrentRole.choices,
                widget=Radios,
                error_messages={
                    "required": ERROR_ROLE_REQUIRED,
                    "invalid_choice": ERROR_NOT_AN_OPTION,
                },
            )
        if needs.current_role_since:
            # Day, month and year boxes, as on the profile: a browser's date picker shows
            # the computer's locale, and is hard to type a date into by keyboard.
            self.fields[ANSWER_CURRENT_ROLE_SINCE] = DayMonthYearField(
                label=_("When did you start in your current role?"),
                help_text=_("We need this if your role is %(roles)s.")
                % {
                    "roles": join_or(
                        choice_labels(
                            CurrentRole,
                            # In the order of the choices, not of the rules.
                            [r for r in CurrentRole.values if r in needs.roles_needing_start_date],
                            lower=True,
                        )
                    )
                },
                required=False,
                not_in_future=True,
                error_messages={
                    "invalid": ERROR_ROLE_SINCE_INVALID,
                    "in_future": ERROR_ROLE_SINCE_FUTURE,
                },
            )
        if needs.nation:
            self.fields[ANSWER_NATION] = forms.ChoiceField(
                label=_("Which nation do you work in?"),
                choices=Nation.choices,
                widget=Radios,
                error_messages={
                    "required": ERROR_NATION_REQUIRED,
                    "invalid_choice": ERROR_NOT_AN_OPTION,
                },
            )
        if needs.employer_type:
            self.fields[ANSWER_EMPLOYER_TYPE] = forms.ChoiceField(
                label=_("What type of organisation do you work for?"),
                choices=EmployerType.choices,
                widget=Radios,
                error_messages={
                    "required": ERROR_EMPLOYER_REQUIRED,
                    "invalid_choice": ERROR_NOT_AN_OPTION,
                },
            )
        for question in needs.declarations:
            self.fields[DECLARATION_FIELD_PREFIX + question.key] = forms.ChoiceField(
                label=question.statement,
                help_text=_("Does this apply to you?"),
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=YesNoRadios,
                error_messages={
                    "required": ERROR_DECLARATION_REQUIRED,
                    "invalid_choice": ERROR_NOT_AN_OPTION,
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        years = cleaned.get(ANSWER_SENIOR_YEARS)
        if (
            self.needs.senior_sectors
            and ANSWER_SENIOR_SECTORS not in self.errors
            and years is not None
            and years > 0
            and not cleaned.get(ANSWER_SENIOR_SECTORS)
        ):
            self.add_error(ANSWER_SENIOR_SECTORS, ERROR_SECTORS_REQUIRED)
        role = cleaned.get(ANSWER_CURRENT_ROLE)
        if self.needs.current_role_since and ANSWER_CURRENT_ROLE_SINCE not in self.errors:
            since = cleaned.get(ANSWER_CURRENT_ROLE_SINCE)
            if since is None and role in self.needs.roles_needing_start_date:
                self.add_error(ANSWER_CURRENT_ROLE_SINCE, ERROR_ROLE_SINCE_REQUIRED)
            elif since is not None and since > self.today:
                self.add_error(ANSWER_CURRENT_ROLE_SINCE, ERROR_ROLE_SINCE_FUTURE)
        cleaned[ANSWER_DECLARATIONS] = {
            question.key: cleaned[DECLARATION_FIELD_PREFIX + question.key] == YES
            for question in self.needs.declarations
            if cleaned.get(DECLARATION_FIELD_PREFIX + question.key) in (YES, NO)
        }
        return cleaned
