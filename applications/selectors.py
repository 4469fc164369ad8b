"""Reads of applications. An applicant only ever reaches their own."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from programmes.models import Cohort

from .models import Application, ApplicationEvent, ApplicationState


def applications_for_applicant(*, user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme")
        .order_by("-updated_at")
    )


def application_for_applicant(*, user: User, pk: int) -> Application:
    """The user's own application with what its pages show, or 404 (never 403: no hints)."""
    try:
        return (
            Application.objects.select_related("cohort__programme", "applicant")
            .prefetch_related(
                "documents",
                Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
            )
            .get(pk=pk, applicant=user)
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def current_application(*, cohort: Cohort, user: User) -> Application | None:
    """The person's application to `cohort` that is not withdrawn: there is at most one."""
    return (
        Application.objects.filter(cohort=cohort, applicant=user)
        .exclude(state=ApplicationState.WITHDRAWN)
        .first()
    )
