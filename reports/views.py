"""Reports: the programmes a person may see, a programme over time, one cohort.

Every view finds its programme through reports.scope, so a person with no reporting
rights anywhere gets 403 and a programme outside their scope is 404 (nobody learns
what exists elsewhere). Pages and CSV files only ever hold suppressed figures.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.spreadsheets import CSV_CONTENT_TYPE, csv_bytes, dated_filename
from programmes.models import Cohort, Programme

from . import report as reports
from .scope import reportable_programmes
from .tables import Table

NO_REPORTS = _("You cannot see reports")
NO_REPORTS_MESSAGE = _(
    "Reports are for programme teams with the reporting permission, provider staff and "
    "funders. Ask a manager of the programme if you need to see them."
)


def _no_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/forbidden.html",
        {"title": NO_REPORTS, "message": NO_REPORTS_MESSAGE},
        status=403,
    )


def _programme(request: HttpRequest, slug: str) -> Programme | None:
    """The programme if the person may see its reports; None if they may see none at all."""
    scope = reportable_programmes(user=request.user)
    programme = scope.filter(slug=slug).select_related("funder").first()
    if programme is not None:
        return programme
    if not scope.exists():
        return None
    raise Http404


def _cohort(programme: Programme, pk: int) -> Cohort:
    return get_object_or_404(Cohort.objects.select_related("programme"), programme=programme, pk=pk)


@require_GET
@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = list(reportable_programmes(user=request.user).order_by("title"))
    if not programmes:
        return _no_reports(request)
    return render(request, "reports/programme_list.html", {"programmes": programmes})


@require_GET
@login_required
def programme_report(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if programme is None:
        return _no_reports(request)
    report = reports.programme_report(programme=programme)
    return render(request, "reports/programme.html", {"programme": programme, "report": report})


@require_GET
@login_required
def cohort_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    if programme is None:
        return _no_reports(request)
    cohort = _cohort(programme, pk)
    report = reports.cohort_report(cohort=cohort)
    return render(
        request,
        "reports/cohort.html",
        {"programme": programme, "cohort": cohort, "report": report},
    )


def _csv(table: Table | None, parts: list[tuple[str, str]]) -> HttpResponse:
    if table is None:
        raise Http404
    rows: Any = table.rows
    response = HttpResponse(csv_bytes(table.headings, rows), content_type=CSV_CONTENT_TYPE)
    filename = dated_filename(parts=parts, what=table.key, fmt="csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def programme_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    programme = _programme(request, slug)
    if programme is None:
        return _no_reports(request)
    report = reports.programme_report(programme=programme)
    return _csv(report.table(table), [(programme.title, "programme")])


@require_GET
@login_required
def cohort_csv(request: HttpRequest, slug: str, pk: int, table: str) -> HttpResponse:
    programme = _programme(request, slug)
    if programme is None:
        return _no_reports(request)
    cohort = _cohort(programme, pk)
    report = reports.cohort_report(cohort=cohort)
    return _csv(report.table(table), [(programme.title, "programme"), (cohort.name, "cohort")])
