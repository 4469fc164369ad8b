"""Form fields for row ids that refuse what the database cannot hold.

Django's model choice fields pass whatever was posted to the database; a value
beyond a bigint (or not a number at all, in some paths) is then a 500 rather
than a form error. These fields check the shape of every id first, so any
hand-made value is a clear message and a 4xx.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The largest value of a PostgreSQL bigint, the type of every id here.
ID_MAX = 2**63 - 1


def is_row_id(value: Any) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX


class RowIdField(forms.IntegerField):
    """An id posted in a hidden field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class RowChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not is_row_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        for item in value or ():
            if not is_row_id(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)
