"""Turning stored choice values into words that sit inside a sentence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext


def lower_first(label: Any) -> str:
    """ "Children's social care" reads as "children's social care" mid-sentence;
    "NHS body" and "CV" keep their capitals."""
    text = str(label)
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def join_or(items: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def choice_labels(
    choices: type[models.TextChoices], values: Iterable[str], *, lower: bool
) -> list[str]:
    """Labels of `values`; a value no longer among the choices is shown as stored."""
    labels = []
    for value in values:
        label = choices(value).label if value in choices.values else value
        labels.append(lower_first(label) if lower else str(label))
    return labels
