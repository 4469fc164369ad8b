"""The provider area, /provider/: programmes, enrolment lists, exports and API tokens.

Every view finds its provider with scope.provider_for and its data through the scope
functions, so another provider's cohort, export or token is 404. Someone who works
for no provider gets 403 on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes.models import Cohort, Programme, Provider

from .exports import csv_chunks, export_filename, status_label, xlsx_tempfile
from .forms import ExportForm, StatusFilterForm, TokenForm
from .models import ExportFormat, ExportJob, ExportRecord, ProviderApiToken
from .scope import provider_for
from .selectors import (
    enrolment_rows,
    provider_cohort,
    provider_cohorts,
    provider_programme,
    recent_exports,
)
from .services import (
    BACKGROUND_THRESHOLD,
    export_job_start,
    export_record,
    token_create,
    token_revoke,
)

NOT_A_PROVIDER = _("This area is for staff of programme providers.")
EXPORT_EXPIRED = _("This export has expired. Please make a new one.")
EXPORT_NOT_READY = _("This export is not ready yet.")
EXPORT_QUEUED = _("Your export is being built. This page shows when it is ready.")
TOKEN_REVOKED = _("The token has been revoked. Systems using it can no longer connect.")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# People per page of an enrolment list; the export always has everyone.
ENROLMENT_PAGE_SIZE = 50

View = Callable[..., HttpResponseBase]


def provider_required(view: View) -> View:
    """Signed in and working for a provider; the provider is passed to the view."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        provider = provider_for(request.user)
        if provider is None:
            raise PermissionDenied(NOT_A_PROVIDER)
        return view(request, provider, *args, **kwargs)

    return wrapper


@require_GET
@provider_required
def home(request: HttpRequest, provider: Provider) -> HttpResponseBase:
    return render(
        request,
        "providers/home.html",
        {
            "provider": provider,
            "cohorts": list(provider_cohorts(provider=provider)),
            "threshold": BACKGROUND_THRESHOLD,
            "exports": recent_exports(provider=provider),
        },
    )


@require_GET
@provider_required
def cohort(request: HttpRequest, provider: Provider, pk: int) -> HttpResponseBase:
    try:
        the_cohort = provider_cohort(provider=provider, pk=pk)
    except Cohort.DoesNotExist as exc:
        raise Http404 from exc
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else None
    page = Paginator(
        enrolment_rows(provider=provider, cohort=the_cohort, status=status),
        ENROLMENT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    # One count and one page of rows, whatever the size of the cohort.
    rows = list(page.object_list) if page.paginator.count else []
    return render(
        request,
        "providers/cohort.html",
        {
            "provider": provider,
            "cohort": the_cohort,
            "page": page,
            "rows": rows,
            "status_label": status_label(status) if status else None,
            "form": form,
            "export_form": ExportForm(),
            "threshold": BACKGROUND_THRESHOLD,
        },
    )


def _export(
    request: HttpRequest,
    provider: Provider,
    *,
    cohort: Cohort | None = None,
    programme: Programme | None = None,
) -> HttpResponseBase:
    form = ExportForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose CSV or XLSX."), status=400)
    fmt = form.cleaned_data["format"]
    rows = enrolment_rows(provider=provider, cohort=cohort, programme=programme)
    count = rows.count()
    if form.cleaned_data["background"] or count > BACKGROUND_THRESHOLD:
        job = export_job_start(
            provider=provider, by=request.user, fmt=fmt, cohort=cohort, programme=programme
        )
        messages.info(request, EXPORT_QUEUED)
        return redirect("provider:export_job", pk=job.pk)
    export_record(
        provider=provider,
        fmt=fmt,
        via=ExportRecord.Via.PAGE,
        row_count=count,
        user=request.user,
        cohort=cohort,
        programme=programme,
    )
    of = cohort.programme if cohort else programme
    filename = export_filename(
        programme=of.slug,  # type: ignore[union-attr]
        cohort=cohort.name if cohort else None,
        fmt=fmt,
    )
    if fmt == ExportFormat.XLSX:
        return FileResponse(
            xlsx_tempfile(rows.iterator(chunk_size=2000)),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_TYPE,
        )
    response = StreamingHttpResponse(
        csv_chunks(rows.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@provider_required
def cohort_export(request: HttpRequest, provider: Provider, pk: int) -> HttpResponseBase:
    try:
        the_cohort = provider_cohort(provider=provider, pk=pk)
    except Cohort.DoesNotExist as exc:
        raise Http404 from exc
    return _export(request, provider, cohort=the_cohort)


@require_POST
@provider_required
def programme_export(request: HttpRequest, provider: Provider, slug: str) -> HttpResponseBase:
    try:
        programme = provider_programme(provider=provider, slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    return _export(request, provider, programme=programme)


def _job(provider: Provider, pk: int) -> ExportJob:
    return get_object_or_404(
        ExportJob.objects.select_related("cohort__programme", "programme"),
        pk=pk,
        provider=provider,
    )


def _status(job: ExportJob) -> dict[str, Any]:
    body: dict[str, Any] = {"status": job.status, "percent": job.progress_percent}
    if job.status == ExportJob.Status.DONE:
        body["download_url"] = reverse("provider:export_download", kwargs={"pk": job.pk})
        body["row_count"] = job.row_count
    if job.status == ExportJob.Status.FAILED:
        body["reason"] = job.failure_reason
    return body


@require_GET
@provider_required
def export_job(request: HttpRequest, provider: Provider, pk: int) -> HttpResponseBase:
    job = _job(provider, pk)
    return render(
        request,
        "providers/export_job.html",
        {"provider": provider, "job": job, "state": _status(job)},
    )


@require_GET
@provider_required
def export_status(request: HttpRequest, provider: Provider, pk: int) -> HttpResponseBase:
    return JsonResponse(_status(_job(provider, pk)))


@require_GET
@provider_required
def export_download(request: HttpRequest, provider: Provider, pk: int) -> HttpResponseBase:
    job = _job(provider, pk)
    expired = job.expires_at is not None and job.expires_at <= timezone.now()
    # A done job without its file was purged after expiry: gone as well.
    if expired or (job.status == ExportJob.Status.DONE and not job.file):
        return render(request, "providers/message.html", {"message": EXPORT_EXPIRED}, status=410)
    if job.status != ExportJob.Status.DONE:
        return render(request, "providers/message.html", {"message": EXPORT_NOT_READY}, status=409)
    content_type = XLSX_TYPE if job.format == ExportFormat.XLSX else "text/csv; charset=utf-8"
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


@require_http_methods(["GET", "POST"])
@provider_required
def tokens(request: HttpRequest, provider: Provider) -> HttpResponseBase:
    form = TokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, new_key = token_create(
                provider=provider,
                by=request.user,
                name=form.cleaned_data["name"],
                valid_for=form.valid_for_delta(),
            )
            form = TokenForm()
        else:
            status = 400
    return render(
        request,
        "providers/tokens.html",
        {
            "provider": provider,
            "form": form,
            "new_key": new_key,
            "tokens": ProviderApiToken.objects.filter(provider=provider).select_related(
                "created_by"
            ),
        },
        status=status,
    )


@require_POST
@provider_required
def token_revoke_view(request: HttpRequest, provider: Provider, pk: int) -> HttpResponseBase:
    token = get_object_or_404(ProviderApiToken, pk=pk, provider=provider)
    token_revoke(token=token, by=request.user)
    messages.success(request, TOKEN_REVOKED)
    return redirect("provider:tokens")
