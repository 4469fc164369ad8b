"""Reads for accounts: profile, career history and what is computed from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .experience import CareerPeriod, experience_years
from .models import CareerEntry, LocalAuthority, Nation, Profile, Sector, Seniority, User
from .tokens import BadToken, email_change_token_read, email_verify_token_read


def user_email_taken(*, email: str, exclude: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def user_for_verify_token(*, token: str) -> User:
    """The user a verification link is for, or BadToken. Reads only: GET must not verify."""
    pk, email = email_verify_token_read(token)
    user = User.objects.filter(pk=pk, email=email).first()
    if user is None:
        raise BadToken
    return user


def email_change_for_token(*, token: str) -> tuple[User, str]:
    """(user, new address) for an email-change link, or BadToken. Reads only."""
    pk, old, new = email_change_token_read(token)
    user = User.objects.filter(pk=pk).first()
    # Once the change is made the old address no longer matches, so the link is spent;
    # showing "already changed" is kinder to someone who clicks twice.
    if user is None or user.email not in (old, new):
        raise BadToken
    return user, new


def profile_for(*, user: User) -> Profile | None:
    return Profile.objects.select_related("local_authority").filter(user=user).first()


def local_authorities_by_nation() -> list[tuple[str, list[LocalAuthority]]]:
    """Local authorities grouped by nation (England, then Wales), each group by name."""
    groups: dict[str, list[LocalAuthority]] = {}
    for authority in LocalAuthority.objects.order_by("name"):
        groups.setdefault(authority.nation, []).append(authority)
    return [(str(label), groups[value]) for value, label in Nation.choices if value in groups]


def career_entries_for(*, user: User) -> QuerySet[CareerEntry]:
    """Most recent first; ties (two roles started the same day) in the order added."""
    return CareerEntry.objects.filter(user=user).order_by("-started_on", "-pk")


def career_entry_for(*, user: User, pk: int) -> CareerEntry:
    """One of this user's entries; anyone else's raises DoesNotExist, so views answer 404."""
    return CareerEntry.objects.get(user=user, pk=pk)


def career_periods(entries: Iterable[CareerEntry]) -> list[CareerPeriod]:
    """The model-free form of career entries that experience is computed from."""
    return [
        CareerPeriod(
            started_on=entry.started_on,
            ended_on=entry.ended_on,
            sector=entry.sector,
            seniority=entry.seniority,
        )
        for entry in entries
    ]


def senior_years_of(entries: Iterable[CareerEntry], *, today: dt.date) -> float:
    """Years of senior strategic leadership in already-fetched entries (no query)."""
    return experience_years(
        career_periods(entries), today=today, seniority={Seniority.SENIOR_STRATEGIC.value}
    )


@dataclass(frozen=True)
class SectorYears:
    sector: str | Promise
    years: float


def senior_years_by_sector(entries: Iterable[CareerEntry], *, today: dt.date) -> list[SectorYears]:
    """Senior strategic years in each sector of the history (no query).

    A programme that counts only some sectors counts the years in those, overlaps
    once; so the figures here can add up to more than the total when roles in two
    sectors overlapped.
    """
    periods = career_periods(entries)
    senior = {Seniority.SENIOR_STRATEGIC.value}
    return [
        SectorYears(label, years)
        for value, label in Sector.choices
        if (years := experience_years(periods, today=today, seniority=senior, sectors={value}))
    ]


def senior_experience_years(*, user: User, today: dt.date) -> float:
    """Years of senior strategic leadership, overlapping roles counted once."""
    entries = CareerEntry.objects.filter(user=user).only(
        "started_on", "ended_on", "sector", "seniority"
    )
    return senior_years_of(entries, today=today)


@dataclass(frozen=True)
class ChecklistItem:
    label: str | Promise
    done: bool
    url_name: str


@dataclass(frozen=True)
class AccountOverview:
    profile: Profile | None
    career_entry_count: int
    senior_years: float
    checklist: list[ChecklistItem]
    senior_years_by_sector: list[SectorYears]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.checklist)


def account_overview(*, user: User, today: dt.date) -> AccountOverview:
    """Everything the account dashboard shows, in two queries whatever the history's length."""
    profile = profile_for(user=user)
    entries = list(
        career_entries_for(user=user).only("started_on", "ended_on", "sector", "seniority")
    )
    checklist = [
        ChecklistItem(
            _("Confirm your email address"), user.email_verified, "accounts:verify_needed"
        ),
        ChecklistItem(
            _("Add your contact details and current job"), profile is not None, "accounts:profile"
        ),
        ChecklistItem(_("Add your career history"), bool(entries), "accounts:career"),
    ]
    return AccountOverview(
        profile=profile,
        career_entry_count=len(entries),
        senior_years=senior_years_of(entries, today=today),
        checklist=checklist,
        senior_years_by_sector=senior_years_by_sector(entries, today=today),
    )


def user_is_privileged(*, user: User) -> bool:
    """Whether the person can reach anyone else's data: a site administrator (is_staff or
    is_superuser), a member of any programme's team (manager or screener), or provider staff.

    These people must use a second factor (docs/adr/0010). The roles are rows of the
    programmes app, read here through their reverse relations (`programme_roles`,
    `provider_memberships`) so that accounts imports nothing from the apps that build on it.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.programme_roles.exists() or user.provider_memberships.exists())


def second_factor_confirmed(*, user: User) -> bool:
    """Whether the person has a working authenticator app (recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
