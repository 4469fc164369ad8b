"""The one way to find what a provider may see. Every provider view and API call uses it.

It fails closed: with no provider every function returns an empty queryset (never
everything), so a missing membership or token can only ever show nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from applications.models import Application, ApplicationState
from programmes.models import Cohort, Programme, Provider, ProviderMembership

# Who counts as enrolled on a cohort. Withdrawals after enrolment are left out: the
# lifecycle does not say whether a withdrawn person had been enrolled without reading
# events, and a provider has no use for them on a list of who is coming.
ENROLMENT_STATES = (
    ApplicationState.ENROLLED,
    ApplicationState.COMPLETED,
    ApplicationState.DID_NOT_COMPLETE,
)


def provider_for(user: Any) -> Provider | None:
    """The provider this person works for, or None. With several memberships, the oldest."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership = (
        ProviderMembership.objects.filter(user=user).select_related("provider").order_by("pk")
    ).first()
    return membership.provider if membership else None


def programmes_of(provider: Provider | None) -> QuerySet[Programme]:
    if provider is None:
        return Programme.objects.none()
    return Programme.objects.filter(providers=provider)


def cohorts_of(provider: Provider | None) -> QuerySet[Cohort]:
    if provider is None:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme__providers=provider)


def enrolments_of(provider: Provider | None) -> QuerySet[Application]:
    if provider is None:
        return Application.objects.none()
    return Application.objects.filter(
        cohort__programme__providers=provider, state__in=ENROLMENT_STATES
    )
