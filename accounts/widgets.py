"""A date typed as day, month and year (GOV.UK's date input), instead of a date picker.

Browsers' date pickers show the date in the computer's locale (a British
applicant on a US-set laptop sees mm/dd/yyyy) and are hard to use with a screen
reader or to type a date long ago into. Three short text boxes with
`inputmode="numeric"` work the same everywhere. The field gives one error for
the whole date, and renders as one fieldset whose legend is the field's label
(templates/accounts/_date_field.html).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

DATE_REQUIRED = _("Enter the date.")
DATE_INVALID = _("Enter a real date, with the day, month and year, for example 27 3 2019.")
DATE_TOO_EARLY = _("The date must be on or after %(earliest)s.")
DATE_IN_FUTURE = _("The date must be today or in the past.")
DATE_HINT = _("For example, 27 3 2019.")

PARTS = ("day", "month", "year")
LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}


class BoxesWidget(forms.MultiWidget):
    """Short labelled text boxes in one fieldset, named <name>_<part> for each of `parts`.

    The day-month-year date below and the console's date-and-time (console.forms.cohorts)
    differ only in their boxes; naming, labelling and error marking are shared here.
    """

    use_fieldset = True
    parts: tuple[str, ...] = ()
    labels: Mapping[str, Any] = {}
    row_class = "date-input d-flex gap-3"

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> list[str]:
        return [str(data.get(f"{name}_{part}", "") or "") for part in self.parts]

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> bool:
        return all(f"{name}_{part}" not in data for part in self.parts)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the first box, as GOV.UK's date input does.
        return f"{id_}_{self.parts[0]}" if id_ else ""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        items = []
        for index, (part, sub) in enumerate(
            zip(self.parts, context["widget"]["subwidgets"], strict=True)
        ):
            sub_attrs = dict(sub["attrs"])
            if base_id:  # id_started_on_day rather than id_started_on_0
                sub_attrs["id"] = f"{base_id}_{part}"
            if sub_attrs.get("aria-invalid") == "true":
                sub_attrs["class"] = f"{sub_attrs.get('class', '')} is-invalid".strip()
            # The fieldset carries the hint and error; each box only says which part it is.
            sub_attrs.pop("aria-describedby", None)
            box = self.widgets[index].render(sub["name"], sub["value"], sub_attrs, renderer)
            items.append((sub_attrs.get("id", ""), self.labels[part], part, box))
        return format_html(
            '<div class="{}">{}</div>',
            self.row_class,
            format_html_join(
                "",
                '<div class="date-input-item"><label class="form-label mb-1" for="{}">{}</label>'
                '<div class="date-input-box-{}">{}</div></div>',
                items,
            ),
        )


class DayMonthYearWidget(BoxesWidget):
    """Three numeric text inputs named <name>_day, <name>_month and <name>_year."""

    parts = PARTS
    labels = LABELS

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": "4" if part == "year" else "2",
                    "class": f"form-control date-input-{part}",
                }
            )
            for part in PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DayMonthYearField(forms.Field):
    """A date from three boxes. `earliest` and `not_in_future` bound it, each with a message."""

    widget = DayMonthYearWidget
    default_error_messages = {
        "required": DATE_REQUIRED,
        "invalid": DATE_INVALID,
        "too_early": DATE_TOO_EARLY,
        "in_future": DATE_IN_FUTURE,
    }

    def __init__(
        self,
        *,
        earliest: dt.date | None = None,
        not_in_future: bool = False,
        **kwargs: Any,
    ) -> None:
        self.earliest = earliest
        self.not_in_future = not_in_future
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        parts = [str(part or "").strip() for part in (value or ("", "", ""))]
        if not any(parts):
            return None
        if len(parts) != 3 or not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(part) for part in parts)
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.earliest is not None and value < self.earliest:
            raise forms.ValidationError(
                self.error_messages["too_early"],
                code="too_early",
                params={"earliest": f"{self.earliest.day} {self.earliest:%B %Y}"},
            )
        if self.not_in_future and value > timezone.localdate():
            raise forms.ValidationError(self.error_messages["in_future"], code="in_future")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True
