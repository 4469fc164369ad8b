"""Reads for sessions and registers, each in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from applications.models import Application
from programmes.models import Cohort

from .models import CohortSession, Mark, SessionAttendance
from .services import ON_THE_REGISTER


def sessions_of(*, cohort: Cohort) -> QuerySet[CohortSession]:
    """The cohort's sessions in order, each with how many were marked present."""
    return CohortSession.objects.filter(cohort=cohort).annotate(
        present=Count("attendance", filter=Q(attendance__mark=Mark.PRESENT)),
        marked=Count("attendance"),
    )


def register_of(*, session: CohortSession) -> QuerySet[Application]:
    """Everyone on the register, with their mark for this session (or None), in one query."""
    mark = SessionAttendance.objects.filter(session=session, application=OuterRef("pk")).values(
        "mark"
    )[:1]
    return (
        Application.objects.filter(cohort_id=session.cohort_id, state__in=ON_THE_REGISTER)
        .select_related("applicant")
        .annotate(mark=Subquery(mark))
        .order_by("applicant__full_name", "pk")
    )


def attendance_summary(*, cohort: Cohort) -> dict[int, dict[str, Any]]:
    """Per application on the cohort: how many sessions present, absent, with apologies."""
    rows = (
        SessionAttendance.objects.filter(session__cohort=cohort)
        .values("application_id")
        .annotate(
            present=Count("pk", filter=Q(mark=Mark.PRESENT)),
            absent=Count("pk", filter=Q(mark=Mark.ABSENT)),
            apologies=Count("pk", filter=Q(mark=Mark.APOLOGIES)),
        )
    )
    return {row["application_id"]: row for row in rows}
