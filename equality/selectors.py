"""Reads of equality answers, always one person's own: there is no per-person list.

Reports (a separate app) read only suppressed counts; nothing here returns anyone
else's answers.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User

from .models import EqualityAnswers
from .questions import QUESTIONS

OWN_WORDS_OF = {
    "ethnic_group": "ethnic_group_own_words",
    "sexual_orientation": "sexual_orientation_own_words",
    "religion": "religion_own_words",
}


def equality_answers_of(*, user: User) -> EqualityAnswers | None:
    """The person's own answers, or None if they have not answered. One query."""
    return EqualityAnswers.objects.filter(user=user).first()


def equality_answers_readable(*, user: User) -> dict[str, Any] | None:
    """The person's answers as question and answer in words, for their data download."""
    row = equality_answers_of(user=user)
    if row is None:
        return None
    answers = []
    for name, (question, _hint) in QUESTIONS.items():
        value = getattr(row, name)
        entry = {
            "question": str(question),
            "answer": str(getattr(row, f"get_{name}_display")()) if value else "Not answered",
        }
        own_words = OWN_WORDS_OF.get(name)
        if own_words and getattr(row, own_words):
            entry["in_your_own_words"] = getattr(row, own_words)
        answers.append(entry)
    return {
        "answers": answers,
        "first_saved_at": row.created_at.isoformat(),
        "last_changed_at": row.updated_at.isoformat(),
    }
