"""Validation shared by every app: what no text we accept may look like.

Spreadsheets run a cell that starts with =, +, - or @ as a formula (a tab or a
carriage return can hide one after it). Exports defuse such cells on the way
out (portal.spreadsheets.neutralise). Names a programme team brings in from a
spreadsheet (the invitation import and form) are refused at the door as well,
since there they are far more likely a pasted formula than a person's name.
People's own names are not refused: a real name may start with one of these,
and it must survive as text.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# OWASP's list for CSV injection.
FORMULA_STARTS = frozenset("=+-@\t\r")

LOOKS_LIKE_A_FORMULA = _(
    "This cannot start with “%(character)s”: a spreadsheet could run it as a formula. "
    "Remove the character at the start."
)


def formula_start(value: str) -> str | None:
    """The character that makes `value` look like a spreadsheet formula, or None."""
    if value and value[0] in FORMULA_STARTS:
        return value[0]
    return None


def shown_character(character: str) -> str:
    """A character people can read in a message: tab and carriage return by name."""
    return {"\t": str(_("a tab")), "\r": str(_("a line break"))}.get(character, character)


def validate_not_formula(value: str) -> None:
    """Refuse text a spreadsheet would run as a formula."""
    character = formula_start(value)
    if character is not None:
        raise ValidationError(
            LOOKS_LIKE_A_FORMULA,
            code="formula",
            params={"character": shown_character(character)},
        )
