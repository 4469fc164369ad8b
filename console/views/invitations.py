"""Inviting named people to a cohort: one by one, from a CSV file, and the file's template.

A file goes upload → preview → confirm → background job → report, all on one
page per import (`invite_import_preview`), which shows the preview, then the
progress, then what happened to each row.

Only the programme's managers (and site administrators) may invite; any of
them may confirm or discard a preview another uploaded. A screener of the
programme is refused (403); anyone else is told nothing (404). The checks are
those of every console view, in access.py.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import InvitationImport
from applications.services.invitations import (
    COHORT_CANCELLED,
    COLUMNS,
    INVITE,
    NOT_BY_INVITATION,
    NOTHING_TO_INVITE,
    REFUSE,
    SKIP,
    InvitationError,
    invitation_create,
    invitation_import_confirm,
    invitation_import_create,
    invitation_import_discard,
)
from applications.services.invitations import INVITED as OUTCOME_INVITED
from applications.services.invitations import NOT_INVITED as OUTCOME_NOT_INVITED
from applications.services.places import PlacesError, offers_open
from notifications.formatting import format_datetime
from programmes.models import AdmissionMode, Cohort

from ..forms.invitations import InvitationImportForm, InviteForm
from ..selectors import console_cohort, console_invitation_import, invitation_imports_recent
from .access import forbidden, is_manager, user_of

Status = InvitationImport.Status
IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

INVITED = _("%(email)s has been invited. They have until %(deadline)s to accept the place.")
ALREADY_INVITED = _(
    "%(email)s has already been invited to, or applied for, this cohort. "
    "No new offer was made and no email was sent."
)
CANNOT_INVITE = _("You cannot invite people to this cohort")
MANAGERS_ONLY = _(
    "Only the programme's managers can invite people. Screeners can screen applications."
)
DISCARDED = _("The file was discarded. Nobody was invited.")
HEADINGS: dict[str, Promise] = {
    Status.PREVIEW: _("Check the file before anyone is invited"),
    Status.QUEUED: _("Inviting people from the file"),
    Status.RUNNING: _("Inviting people from the file"),
    Status.DONE: _("Invitations sent"),
    Status.FAILED: _("The invitations stopped part way"),
    Status.DISCARDED: _("File discarded"),
}
TEMPLATE_EXAMPLE = ("Sam Example", "sam.example@example.org", "Leeds", "2024-04-01")


def _managed_cohort(request: HttpRequest, pk: int) -> tuple[Cohort, bool]:
    cohort = console_cohort(user=user_of(request), pk=pk)
    return cohort, is_manager(request, cohort.programme)


def _by_invitation(cohort: Cohort) -> bool:
    return cohort.programme.admission_mode == AdmissionMode.INVITATION


def _page_context(cohort: Cohort) -> dict[str, object]:
    return {
        "cohort": cohort,
        "programme": cohort.programme,
        "by_invitation": _by_invitation(cohort),
        "not_by_invitation": NOT_BY_INVITATION,
        "cohort_cancelled": COHORT_CANCELLED,
        "places_left": max(cohort.capacity - cohort.places_taken, 0),
        "offers_open": offers_open(cohort),
    }


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, manager = _managed_cohort(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    template = "console/invitations_invite.html"
    form = InviteForm(request.POST) if request.method == "POST" else InviteForm()
    context = {**_page_context(cohort), "form": form}
    if request.method != "POST":
        return render(request, template, context)
    if not _by_invitation(cohort):
        return render(request, template, context, status=400)
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    try:
        application, created = invitation_create(
            cohort=cohort,
            full_name=data["full_name"],
            email=data["email"],
            local_authority=data["local_authority"],
            appointed_on=data["appointed_on"],
            by=user_of(request),
        )
    except (InvitationError, PlacesError) as error:
        form.add_error(None, str(error))
        return render(request, template, {**_page_context(cohort), "form": form}, status=409)
    email = application.applicant.email
    if created:
        assert application.offer_expires_at is not None  # an invitation is an offer
        deadline = format_datetime(application.offer_expires_at)
        messages.success(request, INVITED % {"email": email, "deadline": deadline})
    else:
        messages.warning(request, ALREADY_INVITED % {"email": email})
    return redirect("manage:invite", pk=cohort.pk)


@require_http_methods(["GET", "POST"])
@login_required
def invite_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file: every row is judged, nobody is invited, and the preview is next."""
    cohort, manager = _managed_cohort(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    form = (
        InvitationImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else InvitationImportForm()
    )
    template = "console/invitations_import.html"
    context = {
        **_page_context(cohort),
        "form": form,
        "recent": invitation_imports_recent(cohort=cohort),
    }
    if request.method != "POST":
        return render(request, template, context)
    if not _by_invitation(cohort):
        return render(request, template, context, status=400)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        created = invitation_import_create(
            cohort=cohort,
            rows=form.cleaned_data["file"],
            file_name=form.file_name,
            by=user_of(request),
        )
    except InvitationError as error:
        form.add_error(None, str(error))
        return render(request, template, context, status=409)
    for note in form.notes:
        messages.info(request, note)
    return redirect("manage:invite_import_preview", pk=created.pk)


def _managed_import(request: HttpRequest, pk: int) -> tuple[InvitationImport, bool]:
    invitation_import = console_invitation_import(user=user_of(request), pk=pk)
    return invitation_import, is_manager(request, invitation_import.cohort.programme)


def _import_page(
    request: HttpRequest,
    invitation_import: InvitationImport,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    cohort = invitation_import.cohort
    rows = invitation_import.rows
    report = invitation_import.report
    in_progress = invitation_import.status in IN_PROGRESS
    skipped = [row for row in rows if row["verdict"] == SKIP]
    refused = [row for row in rows if row["verdict"] == REFUSE]
    context = {
        **_page_context(cohort),
        "job": invitation_import,
        "heading": HEADINGS[invitation_import.status],
        "error": error,
        "to_invite": [row for row in rows if row["verdict"] == INVITE],
        "skipped": skipped,
        "refused": refused,
        "left_out": len(skipped) + len(refused),
        "invited": [entry for entry in report if entry["outcome"] == OUTCOME_INVITED],
        "not_invited": [entry for entry in report if entry["outcome"] == OUTCOME_NOT_INVITED],
        "in_progress": in_progress,
        "auto_refresh": in_progress and request.GET.get("refresh") != "off",
        "can_confirm": (
            invitation_import.status == Status.PREVIEW
            and invitation_import.total > 0
            and _by_invitation(cohort)
            and not cohort.is_cancelled
        ),
        "nothing_to_invite": NOTHING_TO_INVITE,
        "recent": invitation_imports_recent(cohort=cohort),
    }
    return render(request, "console/invitations_import_detail.html", context, status=status)


@require_GET
@login_required
def invite_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's one page: its preview, then its progress, then its report."""
    invitation_import, manager = _managed_import(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    return _import_page(request, invitation_import)


@require_POST
@login_required
def invite_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    invitation_import, manager = _managed_import(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    try:
        invitation_import_confirm(invitation_import=invitation_import, by=user_of(request))
    except InvitationError as error:
        invitation_import.refresh_from_db()
        return _import_page(request, invitation_import, error=str(error), status=409)
    return redirect("manage:invite_import_preview", pk=invitation_import.pk)


@require_POST
@login_required
def invite_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    invitation_import, manager = _managed_import(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    try:
        invitation_import_discard(invitation_import=invitation_import, by=user_of(request))
    except InvitationError as error:
        invitation_import.refresh_from_db()
        return _import_page(request, invitation_import, error=str(error), status=409)
    messages.success(request, DISCARDED)
    return redirect("manage:invite_import", pk=invitation_import.cohort_id)


@require_GET
@login_required
def invite_template(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, manager = _managed_cohort(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invitations-cohort-{cohort.pk}.csv"'
    # A byte-order mark so Excel opens the file as UTF-8 and keeps accents intact.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return response
