"""Writes to a programme's team: add someone, change their role, remove them.

Every service locks the programme row first, then reads the team under that
lock. Two managers removing each other at the same moment therefore queue one
behind the other, and the second sees that it would leave no manager: a
programme always keeps at least one manager with an active account.

Someone removed, or demoted from manager, by another member is signed out on
every device.

People are added by the email address of an account they already have; no
account is ever made on someone's behalf here. The person added is told by
email, queued in the same transaction (notifications/outbox.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.services import user_sessions_end
from notifications.outbox import email_queue
from portal.audit import acting_as

from ..errors import (
    ALREADY_IN_TEAM,
    LAST_MANAGER,
    MEMBER_GONE,
    NO_ACCOUNT,
    AlreadyInTeam,
    LastManager,
    MemberGone,
    NoAccount,
)
from ..models import Programme, ProgrammeTeamMember

MANAGER = ProgrammeTeamMember.Role.MANAGER
ROLES = tuple(ProgrammeTeamMember.Role.values)


def account_for(email: str) -> User:
    """The active account with this address (in any letter case), or NoAccount."""
    address = email.strip()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is None:
        raise NoAccount(NO_ACCOUNT % {"email": address})
    return user


def team_added_email_queue(*, member: ProgrammeTeamMember, by: User) -> None:
    """Tell the person they are in the team, with a link to the programme in the console."""
    programme = member.programme
    email_queue(
        to=member.user.email,
        template="team_added",
        context={
            "name": member.user.get_short_name(),
            "programme": programme.title,
            "role": member.get_role_display(),
            "is_manager": member.role == MANAGER,
            "added_by": by.get_full_name(),
            "console_url": settings.SITE_URL
            + reverse("manage:programme", kwargs={"pk": programme.pk}),
        },
    )


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _locked_member(programme: Programme, member: ProgrammeTeamMember) -> ProgrammeTeamMember:
    found = (
        ProgrammeTeamMember.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=member.pk, programme=programme)
        .first()
    )
    if found is None:
        raise MemberGone(MEMBER_GONE)
    return found


def _other_managers(programme: Programme, member: ProgrammeTeamMember) -> int:
    return (
        ProgrammeTeamMember.objects.filter(programme=programme, role=MANAGER, user__is_active=True)
        .exclude(pk=member.pk)
        .count()
    )


def team_member_add(
    *, programme: Programme, email: str, role: str, by: User
) -> ProgrammeTeamMember:
    """Add the account with this address to the team. NoAccount, AlreadyInTeam."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = account_for(email)
    with transaction.atomic(), acting_as(by):
        locked = _lock(programme)
        if ProgrammeTeamMember.objects.filter(programme=locked, user=user).exists():
            raise AlreadyInTeam(ALREADY_IN_TEAM % {"email": user.email})
        member = ProgrammeTeamMember.objects.create(
            user=user, programme=locked, role=role, can_see_reports=role == MANAGER
        )
        team_added_email_queue(member=member, by=by)
    return member


def team_member_change_role(
    *, member: ProgrammeTeamMember, role: str, by: User
) -> ProgrammeTeamMember:
    """Make a member a manager or a screener. Never demotes the last manager."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic(), acting_as(by):
        programme = _lock(member.programme)
        locked = _locked_member(programme, member)
        if locked.role == role:
            return locked
        if locked.role == MANAGER and not _other_managers(programme, locked):
            raise LastManager(LAST_MANAGER)
        demoted = locked.role == MANAGER
        locked.role = role
        # The reporting permission follows the role; a manager may then change it.
        locked.can_see_reports = role == MANAGER
        locked.save(update_fields=["role", "can_see_reports"])
        if demoted and locked.user_id != by.pk:
            # Sessions opened with a manager's rights do not live on with fewer.
            user_sessions_end(user=locked.user)
    return locked


def team_member_reports_set(
    *, member: ProgrammeTeamMember, can_see_reports: bool, by: User
) -> ProgrammeTeamMember:
    """Give a team member the programme's reports, or take them away. MemberGone."""
    with transaction.atomic(), acting_as(by):
        programme = _lock(member.programme)
        locked = _locked_member(programme, member)
        if locked.can_see_reports != can_see_reports:
            locked.can_see_reports = can_see_reports
            locked.save(update_fields=["can_see_reports"])
    return locked


def team_member_remove(*, member: ProgrammeTeamMember, by: User) -> None:
    """Take a member out of the team. Never the last manager; MemberGone on a replay."""
    with transaction.atomic(), acting_as(by):
        programme = _lock(member.programme)
        locked = _locked_member(programme, member)
        if locked.role == MANAGER and not _other_managers(programme, locked):
            raise LastManager(LAST_MANAGER)
        locked.delete()
        # Signed out everywhere: the console checks roles per request anyway, but a
        # session (and its header links) opened with the role should not outlive it.
        # Someone leaving of their own accord is there to see it and stays signed in.
        if locked.user_id != by.pk:
            user_sessions_end(user=locked.user)
