"""Who may do what in the console. Every console view goes through these.

A programme's team members are rows of ProgrammeTeamMember: managers make
offers and run places; screeners only review applications. Site
administrators (superusers) may act on every programme.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from programmes.models import Cohort, Programme, ProgrammeTeamMember

MANAGER = ProgrammeTeamMember.Role.MANAGER
SCREENER = ProgrammeTeamMember.Role.SCREENER


def programmes_for(
    *, user: User, roles: tuple[str, ...] = (MANAGER, SCREENER)
) -> QuerySet[Programme]:
    """Programmes the user may see in the console: nothing at all for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(team__user=user, team__role__in=roles).distinct()


def cohorts_for(*, user: User, roles: tuple[str, ...] = (MANAGER, SCREENER)) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme__in=programmes_for(user=user, roles=roles))


def can_screen(*, user: User, programme: Programme) -> bool:
    return programmes_for(user=user).filter(pk=programme.pk).exists()


def can_manage(*, user: User, programme: Programme) -> bool:
    return programmes_for(user=user, roles=(MANAGER,)).filter(pk=programme.pk).exists()


def is_team_member(*, user: User) -> bool:
    return programmes_for(user=user).exists()
