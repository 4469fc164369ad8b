"""Reads for the provider area and API, all scoped through providers.scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from applications.models import ApplicationEvent, ApplicationState
from programmes.models import Cohort, Programme, Provider

from .models import ExportRecord
from .scope import ENROLMENT_STATES, cohorts_of, enrolments_of, programmes_of

# The fields every export and API row is built from: one SELECT, no per-row queries.
# Taken from the snapshot frozen at submission (what the person told us when they
# applied). Equality-monitoring answers are never among them.
ENROLMENT_FIELDS = (
    "id",
    "full_name",
    "email",
    "job_title",
    "employer",
    "local_authority",
    "nation",
    "enrolled_at",
    "state",
    "accreditation",
    "cohort_id",
    "cohort_name",
    "programme_slug",
    "programme_title",
    "updated_at",
)


def _text(key: str) -> Coalesce:
    return Coalesce(KT(f"snapshot__{key}"), Value(""), output_field=CharField())


def enrolment_rows(
    *,
    provider: Provider | None,
    cohort: Cohort | None = None,
    programme: Programme | None = None,
    status: str | None = None,
    updated_since: dt.datetime | None = None,
) -> QuerySet[Any]:
    """Enrolments of the provider as dicts of ENROLMENT_FIELDS, oldest first."""
    enrolled_at = (
        ApplicationEvent.objects.filter(
            application=OuterRef("pk"), to_state=ApplicationState.ENROLLED
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = enrolments_of(provider)
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    if programme is not None:
        rows = rows.filter(cohort__programme=programme)
    if status:
        rows = rows.filter(state=status)
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    return (
        rows.annotate(
            full_name=Coalesce(
                KT("snapshot__full_name"), "applicant__full_name", output_field=CharField()
            ),
            email=Coalesce(KT("snapshot__email"), "applicant__email", output_field=CharField()),
            job_title=_text("job_title"),
            employer=_text("employer"),
            nation=_text("nation"),
            local_authority=Coalesce(
                "applicant__profile__local_authority__name", Value(""), output_field=CharField()
            ),
            enrolled_at=Subquery(enrolled_at),
            accreditation=Coalesce("cohort__programme__accreditation", Value("")),
            cohort_name=Coalesce("cohort__name", Value("")),
            programme_slug=Coalesce("cohort__programme__slug", Value("")),
            programme_title=Coalesce("cohort__programme__title", Value("")),
        )
        .order_by("updated_at", "id")
        .values(*ENROLMENT_FIELDS)
    )


def provider_cohorts(*, provider: Provider | None) -> QuerySet[Cohort]:
    """The provider's cohorts with their enrolment counts, in one query."""
    return (
        cohorts_of(provider)
        .select_related("programme")
        .annotate(
            enrolled_count=Count("applications", filter=Q(applications__state__in=ENROLMENT_STATES))
        )
        .order_by("programme__title", "starts_on", "name")
    )


def provider_programme(*, provider: Provider | None, slug: str) -> Programme:
    return programmes_of(provider).get(slug=slug)


def provider_cohort(*, provider: Provider | None, pk: int) -> Cohort:
    return cohorts_of(provider).select_related("programme").get(pk=pk)


def recent_exports(*, provider: Provider | None, limit: int = 10) -> list[ExportRecord]:
    if provider is None:
        return []
    return list(
        ExportRecord.objects.filter(provider=provider)
        .select_related("user", "cohort__programme", "programme")
        .order_by("-created_at")[:limit]
    )
