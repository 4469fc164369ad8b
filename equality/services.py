"""Writes to a person's equality answers: save them, or delete them all.

Only the person themselves calls these (from their own pages), and account erasure
deletes the row too (privacy/services/erasure.py).
"""

from __future__ import annotations

from accounts.models import User

from .models import (
    ETHNIC_GROUPS_WITH_OWN_WORDS,
    EqualityAnswers,
    Religion,
    SexualOrientation,
)
from .questions import CHOICES

QUESTION_FIELDS = tuple(CHOICES)
OWN_WORDS_FIELDS = ("ethnic_group_own_words", "sexual_orientation_own_words", "religion_own_words")


class InvalidAnswer(ValueError):
    """A value that is not one of the question's choices."""


def _own_words_allowed(values: dict[str, str]) -> dict[str, bool]:
    return {
        "ethnic_group_own_words": values["ethnic_group"] in ETHNIC_GROUPS_WITH_OWN_WORDS,
        "sexual_orientation_own_words": values["sexual_orientation"] == SexualOrientation.OTHER,
        "religion_own_words": values["religion"] == Religion.OTHER,
    }


def equality_answers_save(*, user: User, answers: dict[str, str]) -> EqualityAnswers | None:
    """Store the person's answers, replacing any they gave before.

    A question missing from `answers` (or blank) is left unanswered; with every question
    left unanswered nothing is kept (an empty row would count as a response in reports),
    and None is returned. Own words are kept
    only beside the "any other" option they describe: whatever the caller passes, words
    beside another option are cleared, so a stale description never outlives its answer.
    """
    values = {name: (answers.get(name) or "").strip() for name in QUESTION_FIELDS}
    for name, value in values.items():
        if value and value not in CHOICES[name].values:
            raise InvalidAnswer(name)
    allowed = _own_words_allowed(values)
    for name in OWN_WORDS_FIELDS:
        values[name] = (answers.get(name) or "").strip() if allowed[name] else ""
    if not any(values.values()):
        equality_answers_delete(user=user)
        return None
    # update_or_create locks the person's row (SELECT … FOR UPDATE) in its own atomic
    # block, so two saves at once leave one row holding the later answers.
    row, _created = EqualityAnswers.objects.update_or_create(user=user, defaults=values)
    return row


def equality_answers_delete(*, user: User) -> bool:
    """Delete every answer the person gave. True if there was anything to delete."""
    deleted, _per_model = EqualityAnswers.objects.filter(user=user).delete()
    return bool(deleted)
