"""Judge every row of a spreadsheet of people to invite, before anyone is invited.

Each row is one of: "invite" (they will get an offer when the file is
confirmed), "skip" (nothing to do: already invited, or a repeat of an earlier
row) or "refuse" (it cannot be done: the reason says why, in plain words).
Rows are numbered as in a spreadsheet: the header is row 1, so the first person
is on row 2; blank rows keep their number but are not listed.

This module only reads. The checks that depend on the database (already
invited, a closed account, a place held elsewhere) are a few queries for the
whole file, whatever its length.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import LocalAuthority, User
from portal.validators import formula_start, shown_character
from programmes.models import Cohort

from ...lifecycle import ACTIVE_PLACE
from ...models import Application
from ...models import ApplicationState as S
from ..places import offers_open
from .create import ACCOUNT_CLOSED

INVITE, SKIP, REFUSE = "invite", "skip", "refuse"

# Reasons given per row. Plain sentences: staff read them in the preview and the report.
ROW_MISSING_NAME = _("The name is missing.")
ROW_MISSING_EMAIL = _("The email address is missing.")
ROW_INVALID_EMAIL = _("“%(value)s” is not a valid email address.")
ROW_UNKNOWN_AUTHORITY = _(
    "We do not recognise the local authority “%(value)s”. "
    "Use the council's name, for example Leeds or Cardiff."
)
ROW_BAD_DATE = _(
    "The appointment date “%(value)s” is not a date we can read. Use 2024-04-01 or 01/04/2024."
)
ROW_FUTURE_DATE = _("The appointment date %(value)s is in the future.")
ROW_LOOKS_LIKE_A_FORMULA = _(
    "The %(column)s “%(value)s” starts with “%(character)s”, so a spreadsheet could run it "
    "as a formula. Remove the character at the start and upload the file again."
)
ROW_DUPLICATE_IN_FILE = _("The same email address is on row %(row)s of this file.")
ROW_ALREADY_INVITED = _("Already invited to, or applied for, this cohort.")
ROW_HOLDS_ANOTHER_PLACE = _(
    "They already hold a place on another cohort of this programme. "
    "A person can hold one place on a programme at a time."
)
ROW_NO_PLACES_LEFT = _("No places left on the cohort.")
ROW_OFFERS_CLOSED = _("Offers are closed for this cohort.")


def row_beyond_places(places_left: int) -> str:
    """Why a row past the cohort's last free place is refused."""
    return ngettext(
        "Beyond the places left: the cohort has %(count)s place left, "
        "and a row above this one takes it.",
        "Beyond the places left: the cohort has %(count)s places left, "
        "and the rows above this one take them.",
        places_left,
    ) % {"count": places_left}


# Spreadsheet row numbers: the header is row 1, so the first person is on row 2.
FIRST_DATA_ROW = 2
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

COLUMNS = ("name", "email", "local_authority", "appointment_date")
# How each column is named in a reason ("The name “=1+1” starts with …").
COLUMN_NOUNS = {
    "name": _("name"),
    "email": _("email address"),
    "local_authority": _("local authority"),
    "appointment_date": _("appointment date"),
}
# Header spellings people use, after lower-casing and turning spaces and dashes into "_".
COLUMN_ALIASES = {
    "name": "name",
    "full_name": "name",
    "email": "email",
    "email_address": "email",
    "local_authority": "local_authority",
    "la": "local_authority",
    "council": "local_authority",
    "appointment_date": "appointment_date",
    "appointed_on": "appointment_date",
    "date_appointed": "appointment_date",
}


def column_for(header: str | None) -> str | None:
    """The column a header names ("Full name", "LOCAL AUTHORITY", "appointment-date"), or None."""
    if header is None:
        return None
    key = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return COLUMN_ALIASES.get(key)


def _canonical(row: Mapping[Any, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for header, value in row.items():
        column = column_for(header)
        if column is not None and column not in values:
            values[column] = value.strip() if isinstance(value, str) else ""
    return values


_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "city and county of ",
    "county borough of ",
    "city of ",
    "borough of ",
    "county ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " county borough council",
    " borough council",
    " county council",
    " city council",
    " district council",
    " council",
    " city",
)


def _authority_key(name: str) -> str:
    name = name.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", name).split())


def _authority_short_key(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    return key


class AuthorityIndex:
    """Finds a local authority by name, forgiving case, spacing and "… Council" wording.

    "Leeds City Council", "London Borough of Barnet" and "Durham County Council"
    all find their authority. A short form two authorities share finds neither.
    """

    def __init__(self, authorities: Iterable[LocalAuthority]) -> None:
        self.exact: dict[str, LocalAuthority] = {}
        short: dict[str, list[LocalAuthority]] = {}
        for authority in authorities:
            key = _authority_key(authority.name)
            self.exact[key] = authority
            short.setdefault(_authority_short_key(key), []).append(authority)
        self.short = {key: found[0] for key, found in short.items() if len(found) == 1}

    def find(self, name: str) -> LocalAuthority | None:
        key = _authority_key(name)
        return self.exact.get(key) or self.short.get(_authority_short_key(key))


def parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _shown(value: str) -> str:
    return Truncator(value).chars(60)


def _row_problem(
    *, values: Mapping[str, str], authorities: AuthorityIndex, today: dt.date
) -> tuple[str | None, LocalAuthority | None, dt.date | None]:
    """(the first problem with the row or None, its authority, its appointment date)."""
    for column in COLUMNS:
        value = values.get(column, "")
        character = formula_start(value)
        if character is not None:
            reason = str(ROW_LOOKS_LIKE_A_FORMULA) % {
                "column": COLUMN_NOUNS[column],
                "value": _shown(value),
                "character": shown_character(character),
            }
            return reason, None, None
    full_name, email = values.get("name", ""), values.get("email", "")
    authority_name = values.get("local_authority", "")
    date_text = values.get("appointment_date", "")
    if not full_name:
        return str(ROW_MISSING_NAME), None, None
    if not email:
        return str(ROW_MISSING_EMAIL), None, None
    try:
        validate_email(email)
    except ValidationError:
        return str(ROW_INVALID_EMAIL) % {"value": _shown(email)}, None, None
    authority = None
    if authority_name:
        authority = authorities.find(authority_name)
        if authority is None:
            return str(ROW_UNKNOWN_AUTHORITY) % {"value": _shown(authority_name)}, None, None
    appointed_on = None
    if date_text:
        appointed_on = parse_date(date_text)
        if appointed_on is None:
            return str(ROW_BAD_DATE) % {"value": _shown(date_text)}, None, None
        if appointed_on > today:
            return str(ROW_FUTURE_DATE) % {"value": date_text}, None, None
    return None, authority, appointed_on


def _people_known(*, cohort: Cohort, emails: set[str]) -> dict[str, str]:
    """For addresses that already have an account: the reason they cannot be invited.

    Three queries whatever the number of addresses.
    """
    if not emails:
        return {}
    users = dict(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("pk", "address")
    )
    closed = set(User.objects.filter(pk__in=users, is_active=False).values_list("pk", flat=True))
    here = set(
        Application.objects.filter(cohort=cohort, applicant_id__in=users)
        .exclude(state=S.WITHDRAWN)
        .values_list("applicant_id", flat=True)
    )
    elsewhere = set(
        Application.objects.filter(
            cohort__programme_id=cohort.programme_id,
            applicant_id__in=users,
            state__in=ACTIVE_PLACE,
        )
        .exclude(cohort=cohort)
        .values_list("applicant_id", flat=True)
    )
    reasons: dict[str, str] = {}
    for pk, address in users.items():
        # Already invited comes first: it is a skip (nothing to do), not a refusal.
        if pk in here:
            reasons[address] = SKIP
        elif pk in closed:
            reasons[address] = str(ACCOUNT_CLOSED)
        elif pk in elsewhere:
            reasons[address] = str(ROW_HOLDS_ANOTHER_PLACE)
    return reasons


def _entry(
    *,
    line: int,
    values: Mapping[str, str],
    verdict: str,
    why: str = "",
    email: str | None = None,
    authority: LocalAuthority | None = None,
    appointed_on: dt.date | None = None,
) -> dict[str, Any]:
    return {
        "line": line,
        "full_name": values.get("name", ""),
        "email": email if email is not None else values.get("email", ""),
        "local_authority": authority.name if authority else values.get("local_authority", ""),
        "local_authority_id": authority.pk if authority else None,
        "appointed_on": (
            appointed_on.isoformat() if appointed_on else values.get("appointment_date", "")
        ),
        "verdict": verdict,
        "why": why,
    }


def invitation_rows_check(
    *, cohort: Cohort, rows: Iterable[Mapping[Any, Any]], today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Judge every row (csv.DictReader-style dicts) without changing anything.

    Headers are matched with `column_for`. A row past the cohort's free places,
    counting down the file, is refused, and so is every row once offers have
    closed: the preview shows what confirming would really do.
    """
    today = today or timezone.localdate()
    authorities = AuthorityIndex(LocalAuthority.objects.all())
    checked: list[tuple[int, dict[str, str], str | None, Any, Any]] = []
    for line, raw in enumerate(rows, start=FIRST_DATA_ROW):
        values = _canonical(raw)
        if not any(values.values()):
            continue
        problem, authority, appointed_on = _row_problem(
            values=values, authorities=authorities, today=today
        )
        checked.append((line, values, problem, authority, appointed_on))

    emails = {values["email"].lower() for _line, values, problem, *_rest in checked if not problem}
    known = _people_known(cohort=cohort, emails=emails)
    places_left = max(cohort.capacity - cohort.places_taken, 0)
    open_for_offers = offers_open(cohort)
    first_line_of: dict[str, int] = {}
    to_invite = 0
    result: list[dict[str, Any]] = []
    for line, values, problem, authority, appointed_on in checked:
        if problem:
            result.append(_entry(line=line, values=values, verdict=REFUSE, why=problem))
            continue
        email = values["email"].lower()
        details = {"email": email, "authority": authority, "appointed_on": appointed_on}
        if email in first_line_of:
            why = str(ROW_DUPLICATE_IN_FILE) % {"row": first_line_of[email]}
            result.append(_entry(line=line, values=values, verdict=SKIP, why=why, **details))
            continue
        first_line_of[email] = line
        reason = known.get(email)
        if reason == SKIP:
            why = str(ROW_ALREADY_INVITED)
            result.append(_entry(line=line, values=values, verdict=SKIP, why=why, **details))
        elif reason:
            result.append(_entry(line=line, values=values, verdict=REFUSE, why=reason, **details))
        elif not open_for_offers:
            why = str(ROW_OFFERS_CLOSED)
            result.append(_entry(line=line, values=values, verdict=REFUSE, why=why, **details))
        elif to_invite >= places_left:
            why = str(ROW_NO_PLACES_LEFT) if places_left == 0 else row_beyond_places(places_left)
            result.append(_entry(line=line, values=values, verdict=REFUSE, why=why, **details))
        else:
            to_invite += 1
            result.append(_entry(line=line, values=values, verdict=INVITE, **details))
    return result
