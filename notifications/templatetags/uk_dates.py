"""`{{ value|uk_date }}` and `{{ value|uk_datetime }}`: notifications.formatting in templates."""

from __future__ import annotations

import datetime as dt

from django import template

from notifications.formatting import format_date, format_datetime

register = template.Library()


@register.filter
def uk_date(value: dt.date | None) -> str:
    return format_date(value) if value else ""


@register.filter
def uk_datetime(value: dt.datetime | None) -> str:
    return format_datetime(value) if value else ""
