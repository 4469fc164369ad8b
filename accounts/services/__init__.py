"""Writes for accounts: sign-up, email verification and change, profile, career history.

Every email is queued through notifications.outbox inside the transaction of
the change behind it, so it exists if and only if the change committed.
Validation failures are raised as ValidationError keyed by the service's own
keyword names, which the forms use as field names, so one rule has one message.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.outbox import email_queue

from ..models import CareerEntry, EmployerType, LocalAuthority, Nation, Profile, User
from ..tokens import (
    BadToken,
    email_change_token,
    email_change_token_read,
    email_verify_token,
    email_verify_token_read,
)

EMAIL_TAKEN = _(
    "An account already uses this email address. Sign in, or reset your password if you "
    "have forgotten it."
)
EMAIL_IN_USE = _("Another account already uses this email address.")
EMAIL_UNCHANGED = _("This is already your email address. Enter a different one.")
TOO_SOON = _(
    "We sent you an email less than a minute ago. Check your inbox and spam folder, or try "
    "again in a minute."
)
LOCAL_AUTHORITY_REQUIRED = _("Select the local authority you work for.")
EMPLOYER_NAME_REQUIRED = _("Enter the name of the organisation you work for.")
NATION_REQUIRED = _("Select the nation you work in.")
NATION_MISMATCH = _(
    "The nation you work in must match your local authority: %(authority)s is in %(nation)s."
)
ROLE_SINCE_IN_FUTURE = _("The date you started this role must be today or in the past.")
START_IN_FUTURE = _("The start date must be today or in the past.")
END_IN_FUTURE = _(
    "The end date must be today or in the past. Leave it blank if this is your current role."
)
END_BEFORE_START = _("The end date must be the same as or after the start date.")

# One email a minute per person and purpose stops a button or a script flooding a mailbox.
RESEND_INTERVAL_SECONDS = 60


class EmailAlreadyRegistered(Exception):
    """Another account uses the address."""


class TooSoon(Exception):
    """The same email was sent to this person less than a minute ago."""


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _throttle(*, user: User, purpose: str) -> None:
    # cache.add is atomic in Redis and in local memory: of two racing requests one wins.
    if not cache.add(f"accounts:{purpose}:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        raise TooSoon


def _verification_email_queue(user: User) -> None:
    path = reverse("accounts:verify_email", kwargs={"token": email_verify_token(user)})
    email_queue(
        to=user.email,
        template="account_verify_email",
        context={"name": user.get_short_name(), "link": _absolute(path)},
    )


def user_signup(*, full_name: str, email: str, password: str) -> User:
    """A new account that may sign in at once but must confirm its address before applying."""
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise EmailAlreadyRegistered
            user = User.objects.create_user(email, password, full_name=full_name.strip())
            _verification_email_queue(user)
    except IntegrityError as exc:
        # Two sign-ups for one address at once: the unique index decides.
        raise EmailAlreadyRegistered from exc
    return user


def email_verification_resend(*, user: User) -> None:
    """Send a fresh link; raises TooSoon if one went less than a minute ago."""
    if user.email_verified:
        return
    _throttle(user=user, purpose="verify-resend")
    with transaction.atomic():
        _verification_email_queue(user)


def user_email_verify(*, token: str) -> User:
    """Confirm the address a link was sent to. Using the link again changes nothing."""
    pk, email = email_verify_token_read(token)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=pk).first()
        if user is None or user.email != email:
            raise BadToken
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user


def email_change_request(*, user: User, new_email: str) -> None:
    """Send a confirmation link to the new address and a warning to the current one.

    Nothing changes until the link is used, so a typo cannot lock anyone out.
    """
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    if new_email == user.email:
        raise ValidationError({"new_email": EMAIL_UNCHANGED})
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ValidationError({"new_email": EMAIL_IN_USE})
    _throttle(user=user, purpose="email-change")
    path = reverse(
        "accounts:change_email_confirm", kwargs={"token": email_change_token(user, new_email)}
    )
    with transaction.atomic():
        email_queue(
            to=new_email,
            template="account_email_change_confirm",
            context={"name": user.get_short_name(), "link": _absolute(path)},
        )
        email_queue(
            to=user.email,
            template="account_email_change_requested",
            context={"name": user.get_short_name(), "new_email": new_email},
        )


def email_change_confirm(*, token: str) -> User:
    """Move the account to the new address, which the link has just proved is theirs."""
    pk, old, new = email_change_token_read(token)
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=pk).first()
            if user is None:
                raise BadToken
            if user.email == new:
                return user
            if user.email != old:
                raise BadToken
            if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
                raise EmailAlreadyRegistered
            user.email = new
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email", "email_verified_at"])
    except IntegrityError as exc:
        raise EmailAlreadyRegistered from exc
    return user


def password_reset_email_queue(*, user: User, uidb64: str, token: str) -> None:
    """The reset link, through the outbox. Django's reset view calls this only for real accounts."""
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    with transaction.atomic():
        email_queue(
            to=user.email,
            template="account_password_reset",
            context={"name": user.get_short_name(), "link": _absolute(path)},
        )


def user_password_set(*, user: User, password: str, email_proven: bool = False) -> User:
    """Set a new password (change or reset) and tell the account's owner it happened.

    `email_proven` when the link that led here was emailed to the account's
    address (a reset or an invitation's claim link): using it confirms the address.
    """
    from axes.utils import reset as axes_reset

    with transaction.atomic():
        user.set_password(password)
        fields = ["password"]
        if email_proven and user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            fields.append("email_verified_at")
        user.save(update_fields=fields)
        # Whoever set it knew the old password or holds the mailbox: lift any lockout.
        axes_reset(username=user.email)
        email_queue(
            to=user.email,
            template="account_password_changed",
            context={"name": user.get_short_name()},
        )
    return user


def profile_update(
    *,
    user: User,
    full_name: str,
    phone: str,
    job_title: str,
    current_role: str,
    current_role_since: dt.date | None,
    employer_type: str,
    local_authority: LocalAuthority | None,
    employer_name: str,
    sector: str,
    nation: str,
    today: dt.date,
) -> Profile:
    """Save the applicant's profile, creating it on first save."""
    errors: dict[str, list[str]] = {}
    if employer_type == EmployerType.LOCAL_AUTHORITY:
        employer_name = ""
        if local_authority is None:
            errors.setdefault("local_authority", []).append(str(LOCAL_AUTHORITY_REQUIRED))
        elif not nation:
            nation = local_authority.nation
        elif nation != local_authority.nation:
            errors.setdefault("nation", []).append(
                str(NATION_MISMATCH)
                % {
                    "authority": local_authority.name,
                    "nation": Nation(local_authority.nation).label,
                }
            )
    else:
        # Only someone employed by a council names one; keep the two answers consistent.
        local_authority = None
        if not employer_name.strip():
            errors.setdefault("employer_name", []).append(str(EMPLOYER_NAME_REQUIRED))
    if not nation and "nation" not in errors:
        errors.setdefault("nation", []).append(str(NATION_REQUIRED))
    if current_role_since is not None and current_role_since > today:
        errors.setdefault("current_role_since", []).append(str(ROLE_SINCE_IN_FUTURE))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if user.full_name != full_name.strip():
            user.full_name = full_name.strip()
            user.save(update_fields=["full_name"])
        profile, _created = Profile.objects.update_or_create(
            user=user,
            defaults={
                "phone": phone.strip(),
                "job_title": job_title.strip(),
                "current_role": current_role,
                "current_role_since": current_role_since,
                "employer_type": employer_type,
                "local_authority": local_authority,
                "employer_name": employer_name.strip(),
                "sector": sector,
                "nation": nation,
            },
        )
    return profile


def _career_dates_check(*, started_on: dt.date, ended_on: dt.date | None, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if started_on > today:
        errors["started_on"] = [str(START_IN_FUTURE)]
    if ended_on is not None:
        if ended_on > today:
            errors["ended_on"] = [str(END_IN_FUTURE)]
        elif ended_on < started_on:
            errors["ended_on"] = [str(END_BEFORE_START)]
    if errors:
        raise ValidationError(errors)


def career_entry_create(
    *,
    user: User,
    role_title: str,
    organisation: str,
    sector: str,
    seniority: str,
    started_on: dt.date,
    ended_on: dt.date | None,
    today: dt.date,
) -> CareerEntry:
    _career_dates_check(started_on=started_on, ended_on=ended_on, today=today)
    with transaction.atomic():
        return CareerEntry.objects.create(
            user=user,
            role_title=role_title.strip(),
            organisation=organisation.strip(),
            sector=sector,
            seniority=seniority,
            started_on=started_on,
            ended_on=ended_on,
        )


def career_entry_update(
    *,
    entry: CareerEntry,
    role_title: str,
    organisation: str,
    sector: str,
    seniority: str,
    started_on: dt.date,
    ended_on: dt.date | None,
    today: dt.date,
) -> CareerEntry:
    _career_dates_check(started_on=started_on, ended_on=ended_on, today=today)
    entry.role_title = role_title.strip()
    entry.organisation = organisation.strip()
    entry.sector = sector
    entry.seniority = seniority
    entry.started_on = started_on
    entry.ended_on = ended_on
    with transaction.atomic():
        entry.save(
            update_fields=[
                "role_title",
                "organisation",
                "sector",
                "seniority",
                "started_on",
                "ended_on",
            ]
        )
    return entry


def career_entry_delete(*, entry: CareerEntry) -> None:
    with transaction.atomic():
        entry.delete()


def user_sessions_end(*, user: User) -> None:
    """Sign the person out on every device (their sessions' auth hash stops matching).

    Used when someone loses a role: the console checks roles on every request
    anyway, but a session that was opened with more rights should not live on.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
