"""The one way to find which programmes' reports a person may see. Every report view uses it.

Fails closed: anyone it does not recognise sees no programme at all.
- a site administrator: every programme;
- a programme team member with the reporting permission (ProgrammeTeamMember.can_see_reports;
  managers have it by default, screeners only if a manager gives it);
- provider staff: the programmes their provider runs (Programme.providers);
- a funder's staff (a ProviderMembership in a provider whose kind is FUNDER): the
  programmes it funds (Programme.funder). Read-only, like everyone here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from programmes.models import Programme, ProgrammeTeamMember, Provider, ProviderMembership


def reportable_programmes(*, user: Any) -> QuerySet[Programme]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    memberships = ProviderMembership.objects.filter(user=user)
    team = ProgrammeTeamMember.objects.filter(user=user, can_see_reports=True)
    runs = Programme.providers.through.objects.filter(
        provider__in=memberships.filter(provider__kind=Provider.Kind.PROVIDER).values("provider_id")
    )
    funds = memberships.filter(provider__kind=Provider.Kind.FUNDER).values("provider_id")
    return Programme.objects.filter(
        Q(pk__in=team.values("programme_id"))
        | Q(pk__in=runs.values("programme_id"))
        | Q(funder__in=funds)
    )
