"""The equality questionnaire: every question optional, every one with "Prefer not to say".

The ethnic group question is one set of radios shown under the five Census headings,
each heading with a box for "any other" answers in the person's own words. A box holds
words only for the option it sits under: words typed under an option that was not
chosen are an error, kept on the page to fix, rather than silently thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    ETHNIC_GROUP_CATEGORY,
    PREFER_NOT_TO_SAY,
    EqualityAnswers,
    EthnicGroup,
    EthnicGroupCategory,
    Religion,
    SexualOrientation,
)
from .questions import CHOICES, QUESTIONS

OWN_WORDS_MAX = 100

OWN_WORDS_NOT_CHOSEN = _(
    "You wrote something in your own words under “%(option)s”, but did not choose that "
    "option. Choose “%(option)s”, or clear the box."
)
OWN_WORDS_TOO_LONG = _("Use %(max)s characters or fewer.")

# Own-words boxes: form field name -> (model field, the one option the words belong to).
OWN_WORDS: dict[str, tuple[str, str]] = {
    **{
        f"ethnic_group_own_words_{option.split('_', 1)[0]}": ("ethnic_group_own_words", option)
        for option in (
            EthnicGroup.ASIAN_OTHER,
            EthnicGroup.BLACK_OTHER,
            EthnicGroup.MIXED_OTHER,
            EthnicGroup.WHITE_OTHER,
            EthnicGroup.OTHER_ANY,
        )
    },
    "sexual_orientation_own_words": ("sexual_orientation_own_words", SexualOrientation.OTHER),
    "religion_own_words": ("religion_own_words", Religion.OTHER),
}
OWN_WORDS_QUESTION = {
    "ethnic_group_own_words": "ethnic_group",
    "sexual_orientation_own_words": "sexual_orientation",
    "religion_own_words": "religion",
}


def _option_label(question: str, option: str) -> str:
    return str(CHOICES[question](option).label)


@dataclass(frozen=True)
class Heading:
    """One of the five Census headings, with its options and its own-words box."""

    key: str
    label: str
    options: list[Any]
    own_words: Any
    own_words_option: str


class EqualityForm(forms.ModelForm):
    """Every question optional; the own-words boxes are form fields mapped onto the model."""

    class Meta:
        model = EqualityAnswers
        fields = list(QUESTIONS)
        widgets = dict.fromkeys(QUESTIONS, forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (question, hint) in QUESTIONS.items():
            field = self.fields[name]
            field.label, field.help_text, field.required = question, hint, False
            # No blank radio: leaving every radio unticked is how a question is skipped.
            field.choices = [c for c in field.choices if c[0] != ""]  # type: ignore[attr-defined]
        for name, (model_field, option) in OWN_WORDS.items():
            question = OWN_WORDS_QUESTION[model_field]
            initial = ""
            if self.instance.pk and getattr(self.instance, question) == option:
                initial = getattr(self.instance, model_field)
            self.fields[name] = forms.CharField(
                label=_("In your own words (optional): %(option)s")
                % {"option": _option_label(question, option)},
                required=False,
                initial=initial,
                max_length=OWN_WORDS_MAX,
                error_messages={"max_length": OWN_WORDS_TOO_LONG % {"max": OWN_WORDS_MAX}},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, (model_field, option) in OWN_WORDS.items():
            words = (cleaned.get(name) or "").strip()
            question = OWN_WORDS_QUESTION[model_field]
            if words and cleaned.get(question) != option:
                self.add_error(
                    name,
                    forms.ValidationError(
                        OWN_WORDS_NOT_CHOSEN,
                        code="own_words_not_chosen",
                        params={"option": _option_label(question, option)},
                    ),
                )
        return cleaned

    def answers(self) -> dict[str, str]:
        """The cleaned answers as model values: one own-words value per question."""
        values = {name: self.cleaned_data.get(name) or "" for name in QUESTIONS}
        for name, (model_field, option) in OWN_WORDS.items():
            if values[OWN_WORDS_QUESTION[model_field]] == option:
                values[model_field] = (self.cleaned_data.get(name) or "").strip()
        for model_field in OWN_WORDS_QUESTION:
            values.setdefault(model_field, "")
        return values

    def ethnic_headings(self) -> list[Heading]:
        """The ethnic group radios under their five headings; "Prefer not to say" is apart."""
        options = list(self["ethnic_group"])
        headings = []
        for category in EthnicGroupCategory:
            own_words_name = next(
                n
                for n, (_f, o) in OWN_WORDS.items()
                if n.startswith("ethnic_group_own_words_") and ETHNIC_GROUP_CATEGORY[o] == category
            )
            headings.append(
                Heading(
                    key=category.value,
                    label=str(category.label),
                    options=[
                        o for o in options if ETHNIC_GROUP_CATEGORY.get(o.data["value"]) == category
                    ],
                    own_words=self[own_words_name],
                    own_words_option=OWN_WORDS[own_words_name][1],
                )
            )
        return headings

    def ethnic_prefer_not_to_say(self) -> Any:
        return next(o for o in self["ethnic_group"] if o.data["value"] == PREFER_NOT_TO_SAY)

    def questions_after_ethnic_group(self) -> list[dict[str, Any]]:
        """The other questions in order, each with its own-words box if it has one."""
        own = {
            "sexual_orientation": (self["sexual_orientation_own_words"], SexualOrientation.OTHER),
            "religion": (self["religion_own_words"], Religion.OTHER),
        }
        return [
            {
                "field": self[name],
                "own_words": own.get(name, (None, ""))[0],
                "own_words_option": own.get(name, (None, ""))[1],
            }
            for name in QUESTIONS
            if name != "ethnic_group"
        ]

    def error_targets(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for the error summary: radios link to their first option."""
        targets = []
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            anchor = f"{field.auto_id}_0" if name in QUESTIONS else field.auto_id
            targets += [(anchor, str(field.label), str(e)) for e in errors]
        return targets
