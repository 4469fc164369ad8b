"""Invitations: named people (usually new directors) go straight to an offer, without screening.

One person at a time with `invitation_create`, or many from a spreadsheet with
`invitations_import`. Each invitation is its own transaction, so in an import
one bad row never undoes the others, and a refused row leaves no half-made
account behind.

A person invited for the first time gets an account with no usable password;
the email carries a password-reset link, which doubles as the account-claim
link and, because it reaches their mailbox, confirms their address when used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import CurrentRole, EmployerType, LocalAuthority, Profile, User
from notifications.outbox import email_queue
from programmes.models import AdmissionMode, Cohort

from ..errors import ApplicationError
from ..models import Application
from ..models import ApplicationState as S
from ..selectors import current_application
from . import places
from .places.locking import lock_cohort

NOT_BY_INVITATION = _(
    "Invitations are only for programmes that people join by invitation. "
    "This programme takes applications instead."
)
ACCOUNT_CLOSED = _("The account for this email address is closed, so it cannot be invited.")
INVITATION_REASON = "Invited by the programme team."

# Reasons given per row of an import. Plain sentences: staff read them in the report.
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
ROW_DUPLICATE_IN_FILE = _("The same email address is on row %(row)s of this file.")
ROW_ALREADY_INVITED = _("Already invited to, or applied for, this cohort.")
ROW_NO_PLACES_LEFT = _("No places left on the cohort.")
ROW_OFFERS_CLOSED = _("Offers are closed for this cohort.")

# Spreadsheet row numbers: the header is row 1, so the first person is on row 2.
FIRST_DATA_ROW = 2
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

COLUMNS = ("name", "email", "local_authority", "appointment_date")
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


class InvitationError(ApplicationError):
    pass


class NotByInvitation(InvitationError):
    pass


class AccountClosed(InvitationError):
    pass


# --- Invite one person -------------------------------------------------------


def invitation_create(
    *,
    cohort: Cohort,
    full_name: str,
    email: str,
    local_authority: LocalAuthority | None,
    appointed_on: dt.date | None,
    by: User,
) -> tuple[Application, bool]:
    """Invite one person to `cohort`: an account if needed, an offer, and an email.

    Returns (application, created). created is False when the person already
    has an application for this cohort: nothing changes and no email is sent.
    Raises NotByInvitation, AccountClosed, places.CohortFull, places.OffersClosed or
    places.CohortCancelled.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        # Lock the cohort first (the same order as the places services) so two
        # invitations of one person to one cohort queue rather than both insert.
        locked = lock_cohort(cohort.pk)
        if locked.programme.admission_mode != AdmissionMode.INVITATION:
            raise NotByInvitation(NOT_BY_INVITATION)
        user = _user_get_or_create(email=email, full_name=full_name.strip())
        existing = current_application(cohort=locked, user=user)
        if existing is not None:
            return existing, False
        _profile_fill(user=user, local_authority=local_authority, appointed_on=appointed_on)
        application = Application.objects.create(
            cohort=locked, applicant=user, state=S.DRAFT, invited=True
        )
        application = places.application_offer(
            application=application, by=by, reason=INVITATION_REASON, notify=False
        )
        _invitation_email_queue(application=application, user=user)
    return application, True


def _user_get_or_create(*, email: str, full_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        try:
            # A savepoint, so losing a race for the address keeps the outer transaction usable.
            with transaction.atomic():
                user = User.objects.create_user(email, None, full_name=full_name)
        except IntegrityError:
            user = User.objects.get(email__iexact=email)
    if not user.is_active:
        raise AccountClosed(ACCOUNT_CLOSED)
    if not user.full_name and full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    return user


def _profile_fill(
    *, user: User, local_authority: LocalAuthority | None, appointed_on: dt.date | None
) -> None:
    """Record what the team told us, without overwriting anything the person wrote."""
    profile, _created = Profile.objects.get_or_create(user=user)
    changed: list[str] = []
    if not profile.current_role:
        profile.current_role = CurrentRole.DCS
        changed.append("current_role")
    # The appointment date is the start of the DCS role, so it only belongs with that role.
    if profile.current_role == CurrentRole.DCS and not profile.current_role_since and appointed_on:
        profile.current_role_since = appointed_on
        changed.append("current_role_since")
    if local_authority is not None and profile.employer_type in ("", EmployerType.LOCAL_AUTHORITY):
        # Only a council employee names a council; keep the three answers consistent.
        if not profile.employer_type:
            profile.employer_type = EmployerType.LOCAL_AUTHORITY
            changed.append("employer_type")
        if profile.local_authority_id is None:
            profile.local_authority = local_authority
            changed.append("local_authority")
        if not profile.nation and profile.local_authority is not None:
            profile.nation = profile.local_authority.nation
            changed.append("nation")
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _invitation_email_queue(*, application: Application, user: User) -> None:
    cohort = application.cohort
    application_path = reverse("applications:detail", args=[application.pk])
    context: dict[str, Any] = {
        "name": user.get_short_name(),
        "programme": cohort.programme.title,
        "cohort": cohort.name,
        "starts_on": cohort.starts_on,
        "deadline": timezone.localtime(application.offer_expires_at),
        "application_link": _absolute(application_path),
        "claim_link": "",
        "claim_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "new_link": _absolute(reverse("accounts:password_reset")),
        "sign_in_link": "",
    }
    if user.has_usable_password():
        query = urlencode({"next": application_path})
        context["sign_in_link"] = _absolute(f"{reverse('accounts:login')}?{query}")
    else:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context["claim_link"] = _absolute(path)
    email_queue(to=user.email, template="invitation", context=context)


# --- Import a spreadsheet ----------------------------------------------------


class ImportedRow(NamedTuple):
    row: int
    email: str


class SkippedRow(NamedTuple):
    row: int
    email: str
    reason: str


class RefusedRow(NamedTuple):
    row: int
    reason: str


@dataclass
class ImportReport:
    imported: list[ImportedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.imported) + len(self.skipped) + len(self.refused)


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


@dataclass
class _Row:
    row: int
    full_name: str
    email: str
    local_authority: LocalAuthority | None
    appointed_on: dt.date | None


def _row_check(
    *, number: int, values: Mapping[str, str], authorities: AuthorityIndex, today: dt.date
) -> _Row | RefusedRow:
    """The row's details, or the first problem with it."""
    full_name, email = values.get("name", ""), values.get("email", "")
    authority_name, date_text = (
        values.get("local_authority", ""),
        values.get("appointment_date", ""),
    )
    if not full_name:
        return RefusedRow(number, str(ROW_MISSING_NAME))
    if not email:
        return RefusedRow(number, str(ROW_MISSING_EMAIL))
    try:
        validate_email(email)
    except ValidationError:
        return RefusedRow(number, str(ROW_INVALID_EMAIL) % {"value": email})
    authority = None
    if authority_name:
        authority = authorities.find(authority_name)
        if authority is None:
            return RefusedRow(number, str(ROW_UNKNOWN_AUTHORITY) % {"value": authority_name})
    appointed_on = None
    if date_text:
        appointed_on = parse_date(date_text)
        if appointed_on is None:
            return RefusedRow(number, str(ROW_BAD_DATE) % {"value": date_text})
        if appointed_on > today:
            return RefusedRow(number, str(ROW_FUTURE_DATE) % {"value": date_text})
    return _Row(number, full_name, email.lower(), authority, appointed_on)


def invitations_import(
    *, cohort: Cohort, rows: Iterable[Mapping[Any, Any]], by: User
) -> ImportReport:
    """Invite everyone in `rows` (csv.DictReader-style dicts), reporting on every row.

    Headers are matched with `column_for`. Rows are numbered as in a
    spreadsheet (header = row 1); blank rows are numbered but not reported.
    Once the cohort is full, or offers close, no more offers are tried and each
    remaining valid row is refused with that reason.
    """
    if cohort.programme.admission_mode != AdmissionMode.INVITATION:
        raise NotByInvitation(NOT_BY_INVITATION)
    report = ImportReport()
    authorities = AuthorityIndex(LocalAuthority.objects.all())
    today = timezone.localdate()
    first_row_of: dict[str, int] = {}
    stopped: str | None = None
    for number, raw in enumerate(rows, start=FIRST_DATA_ROW):
        values = _canonical(raw)
        if not any(values.values()):
            continue
        checked = _row_check(number=number, values=values, authorities=authorities, today=today)
        if isinstance(checked, RefusedRow):
            report.refused.append(checked)
            continue
        if checked.email in first_row_of:
            reason = str(ROW_DUPLICATE_IN_FILE) % {"row": first_row_of[checked.email]}
            report.skipped.append(SkippedRow(number, checked.email, reason))
            continue
        first_row_of[checked.email] = number
        if stopped is None:
            try:
                _application, created = invitation_create(
                    cohort=cohort,
                    full_name=checked.full_name,
                    email=checked.email,
                    local_authority=checked.local_authority,
                    appointed_on=checked.appointed_on,
                    by=by,
                )
            except places.CohortFull:
                stopped = str(ROW_NO_PLACES_LEFT)
            except places.OffersClosed:
                stopped = str(ROW_OFFERS_CLOSED)
            except places.CohortCancelled:
                stopped = str(places.COHORT_CANCELLED)
            except AccountClosed:
                report.refused.append(RefusedRow(number, str(ACCOUNT_CLOSED)))
                continue
            else:
                if created:
                    report.imported.append(ImportedRow(number, checked.email))
                else:
                    report.skipped.append(
                        SkippedRow(number, checked.email, str(ROW_ALREADY_INVITED))
                    )
                continue
        # No offer can be made, but someone already invited is still worth telling apart.
        if (
            Application.objects.filter(cohort=cohort, applicant__email__iexact=checked.email)
            .exclude(state=S.WITHDRAWN)
            .exists()
        ):
            report.skipped.append(SkippedRow(number, checked.email, str(ROW_ALREADY_INVITED)))
        else:
            report.refused.append(RefusedRow(number, stopped))
    return report
