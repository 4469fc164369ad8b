"""Posting dates the way the day/month/year boxes (accounts/widgets.py) send them."""

from __future__ import annotations

import re
from typing import Any


def date_parts(name: str, value: str) -> dict[str, str]:
    """`2019-04-01` or `1/4/2019` as the three boxes of field `name`; anything else goes,
    as typed, into the day box (so it is refused as an unreal date)."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    dmy = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if iso:
        year, month, day = iso.groups()
    elif dmy:
        day, month, year = dmy.groups()
    else:
        day, month, year = value, "", ""
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def with_date_parts(data: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if name in data:
            data.update(date_parts(name, str(data.pop(name))))
    return data
