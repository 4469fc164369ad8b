"""Inviting named people to a cohort: one by one, from a CSV file, and the file's template.

Only the programme's managers (and site administrators) may invite. A
screener of the programme is refused (403); anyone else is told nothing (404).
The checks are those of every console view, in access.py.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.services.invitations import (
    COLUMNS,
    NOT_BY_INVITATION,
    InvitationError,
    invitation_create,
    invitations_import,
)
from applications.services.places import PlacesError, offers_open
from notifications.formatting import format_datetime
from programmes.models import AdmissionMode, Cohort

from ..forms.invitations import InvitationImportForm, InviteForm
from ..selectors import console_cohort
from .access import forbidden, is_manager, user_of

INVITED = _("%(email)s has been invited. They have until %(deadline)s to accept the place.")
ALREADY_INVITED = _(
    "%(email)s has already been invited to, or applied for, this cohort. "
    "No new offer was made and no email was sent."
)
CANNOT_INVITE = _("You cannot invite people to this cohort")
MANAGERS_ONLY = _(
    "Only the programme's managers can invite people. Screeners can screen applications."
)
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
        return render(request, template, context)
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
    cohort, manager = _managed_cohort(request, pk)
    if not manager:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_INVITE)
    form = (
        InvitationImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else InvitationImportForm()
    )
    context = {**_page_context(cohort), "form": form}
    if request.method != "POST":
        return render(request, "console/invitations_import.html", context)
    if not _by_invitation(cohort):
        return render(request, "console/invitations_import.html", context, status=400)
    if not form.is_valid():
        return render(request, "console/invitations_import.html", context)
    try:
        report = invitations_import(
            cohort=cohort, rows=form.cleaned_data["file"], by=user_of(request)
        )
    except InvitationError as error:
        form.add_error(None, str(error))
        return render(request, "console/invitations_import.html", context, status=400)
    cohort.refresh_from_db(fields=["places_taken"])
    return render(
        request,
        "console/invitations_report.html",
        {**_page_context(cohort), "report": report, "notes": form.notes},
    )


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
