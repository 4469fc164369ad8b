"""Managers' changes to places: offers (one or many), turning down, the waiting list,
and recording attendance. Screeners get a 403 page; everyone else a 404.

Every action is a POST that redirects back with a message (or re-shows its form
with a 400). Domain errors become messages; nothing is changed when they happen.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from applications.errors import ApplicationError
from applications.models import Application
from applications.services.assignment import person_label
from applications.services.places import (
    application_reject,
    applications_offer_bulk,
    attendance_record,
    cohort_has_started,
    waiting_list,
    waitlist_add,
)
from registers.selectors import attendance_summary

from ..forms.notes import AssignForm
from ..forms.places import (
    BULK_ASSIGN,
    BULK_REJECT,
    AttendanceForm,
    BulkChangeForm,
    BulkOfferForm,
    BulkRejectForm,
    RejectForm,
    WaitingListMoveForm,
)
from ..selectors import assignable_team, attendance_list, console_application, console_cohort
from ..services import (
    BulkOutcome,
    applications_assign_bulk,
    applications_reject_bulk,
    applications_waitlist_bulk,
    console_offer,
    display_name,
    waitlist_move,
)
from .access import forbidden, is_manager, user_of
from .screening import queue, render_application

ALREADY_AT_END = gettext_lazy("They are already at that place on the waiting list.")
BAD_REQUEST = gettext_lazy("Something was missing from the form. Nothing was changed.")


# The bulk summaries. ngettext_lazy with the key "count" picks singular or plural when
# the message is filled in with {"count": n, ...}, so each stays one constant.
WAITLISTED_DONE = ngettext_lazy(
    "%(count)s person moved to the waiting list. We have emailed them.",
    "%(count)s people moved to the waiting list. We have emailed each of them.",
    "count",
)
WAITLISTED_NOT_DONE = ngettext_lazy(
    "%(count)s person was not moved to the waiting list: %(reasons)s.",
    "%(count)s people were not moved to the waiting list: %(reasons)s.",
    "count",
)
REJECTED_DONE = ngettext_lazy(
    "%(count)s application turned down. We have emailed the applicant.",
    "%(count)s applications turned down. We have emailed each applicant.",
    "count",
)
REJECTED_NOT_DONE = ngettext_lazy(
    "%(count)s application was not turned down: %(reasons)s.",
    "%(count)s applications were not turned down: %(reasons)s.",
    "count",
)
ASSIGNED_DONE = ngettext_lazy(
    "%(count)s application assigned to %(name)s.",
    "%(count)s applications assigned to %(name)s.",
    "count",
)
UNASSIGNED_DONE = ngettext_lazy(
    "%(count)s application is now assigned to nobody.",
    "%(count)s applications are now assigned to nobody.",
    "count",
)
ASSIGNED_NOT_DONE = ngettext_lazy(
    "%(count)s application was not assigned: %(reasons)s.",
    "%(count)s applications were not assigned: %(reasons)s.",
    "count",
)


def _manager_application(request: HttpRequest, pk: int) -> tuple[Application, bool]:
    application = console_application(user=user_of(request), pk=pk)
    return application, is_manager(request, application.cohort.programme)


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    application, manager = _manager_application(request, pk)
    if not manager:
        return forbidden(request)
    try:
        console_offer(application=application, by=user_of(request))
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Place offered. We have emailed the applicant."))
    return redirect("manage:application", pk=pk)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    application, manager = _manager_application(request, pk)
    if not manager:
        return forbidden(request)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, reject_form=form, status=400)
    back_to_list = form.cleaned_data["return_to"] == RejectForm.RETURN_WAITING_LIST
    try:
        application_reject(
            application=application, by=user_of(request), reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Application turned down. We have emailed the applicant."))
    if back_to_list:
        return redirect("manage:waiting_list", pk=application.cohort_id)
    return redirect("manage:application", pk=pk)


@login_required
@require_POST
def waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    application, manager = _manager_application(request, pk)
    if not manager:
        return forbidden(request)
    try:
        waitlist_add(application=application, by=user_of(request))
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Moved to the waiting list. We have emailed the applicant."))
    return redirect("manage:application", pk=pk)


@login_required
@require_POST
def bulk_offer(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    if not is_manager(request, cohort.programme):
        return forbidden(request)
    form = BulkOfferForm(request.POST, cohort_id=cohort.pk)
    if not form.is_valid():
        # Shown on the queue page again, as a 400: nothing was offered.
        for error in form.errors.get("applications", []):
            messages.error(request, str(error))
        response = queue(request, pk)
        response.status_code = 400
        return response
    chosen = [application.pk for application in form.cleaned_data["applications"]]
    try:
        offered = applications_offer_bulk(
            cohort=cohort, application_ids=chosen, by=user_of(request)
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s place offered. We have emailed the applicant.",
                "%(count)s places offered. We have emailed each applicant.",
                len(offered),
            )
            % {"count": len(offered)},
        )
    return redirect("manage:queue", pk=pk)


def _queue_again(request: HttpRequest, pk: int, form: forms.Form) -> HttpResponse:
    """The queue page again, as a 400, with what was wrong: nothing was changed."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    response = queue(request, pk)
    response.status_code = 400
    return response


def _report(
    request: HttpRequest,
    outcome: BulkOutcome,
    *,
    done: Promise,
    not_done: Promise,
    **params: str,
) -> None:
    """The summary of a bulk change: how many were changed, and who was not and why."""
    if outcome.done:
        messages.success(request, str(done % {"count": len(outcome.done), **params}))
    if outcome.refused:
        reasons = "; ".join(reason for _application, reason in outcome.refused)
        messages.warning(
            request, str(not_done % {"count": len(outcome.refused), "reasons": reasons})
        )


@login_required
@require_POST
def bulk_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the people chosen on the queue to the waiting list, or turn them down.

    Each goes through the single-application service, so each is refused or done on
    its own, and the summary says which. Turning down cannot be undone and emails
    everyone, so it first asks for the reason and a confirmation.
    """
    cohort = console_cohort(user=user_of(request), pk=pk)
    if not is_manager(request, cohort.programme):
        return forbidden(request)
    form = BulkChangeForm(request.POST, cohort_id=cohort.pk)
    if not form.is_valid():
        return _queue_again(request, pk, form)
    chosen = list(form.cleaned_data["applications"])
    by = user_of(request)
    if form.cleaned_data["action"] == BULK_ASSIGN:
        assign_form = AssignForm(
            request.POST, team=assignable_team(programme=cohort.programme), prefix=BULK_ASSIGN
        )
        if not assign_form.is_valid():
            return _queue_again(request, pk, assign_form)
        person = assign_form.person()
        outcome = applications_assign_bulk(applications=chosen, to=person, by=by)
        _report(
            request,
            outcome,
            done=UNASSIGNED_DONE if person is None else ASSIGNED_DONE,
            not_done=ASSIGNED_NOT_DONE,
            name=person_label(person),
        )
    elif form.cleaned_data["action"] == BULK_REJECT:
        confirming = request.POST.get(BulkRejectForm.CONFIRMED_FIELD) == BulkRejectForm.CONFIRMED
        reject_form = BulkRejectForm(request.POST if confirming else None)
        if not confirming or not reject_form.is_valid():
            return render(
                request,
                "console/bulk_reject.html",
                {
                    "cohort": cohort,
                    "chosen": chosen,
                    "names": [display_name(application) for application in chosen],
                    "form": reject_form,
                },
                status=400 if confirming else 200,
            )
        outcome = applications_reject_bulk(
            applications=chosen, by=by, reason=reject_form.cleaned_data["reason"]
        )
        _report(request, outcome, done=REJECTED_DONE, not_done=REJECTED_NOT_DONE)
    else:
        outcome = applications_waitlist_bulk(applications=chosen, by=by)
        _report(request, outcome, done=WAITLISTED_DONE, not_done=WAITLISTED_NOT_DONE)
    return redirect("manage:queue", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def waiting_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    can_manage = is_manager(request, cohort.programme)
    if request.method == "POST":
        if not can_manage:
            return forbidden(request)
        form = WaitingListMoveForm(request.POST)
        if not form.is_valid():
            errors = form.errors.get("position")
            messages.error(request, str(errors[0]) if errors else BAD_REQUEST)
            return redirect("manage:waiting_list", pk=pk)
        try:
            moved = waitlist_move(
                cohort=cohort,
                application_id=form.cleaned_data["application"],
                position=form.target_position(),
                expected=form.cleaned_data["expected"],
                by=user_of(request),
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            if moved:
                messages.success(request, _("Waiting list reordered."))
            else:
                messages.info(request, ALREADY_AT_END)
        return redirect("manage:waiting_list", pk=pk)
    entries = list(waiting_list(cohort).select_related("applicant"))
    return render(
        request,
        "console/waiting_list.html",
        {
            "cohort": cohort,
            "entries": entries,
            "expected": ",".join(str(entry.pk) for entry in entries),
            "can_manage": can_manage,
            "reject_return": RejectForm.RETURN_WAITING_LIST,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    can_manage = is_manager(request, cohort.programme)
    if request.method == "POST":
        if not can_manage:
            return forbidden(request)
        form = AttendanceForm(request.POST)
        application = (
            cohort.applications.select_related("applicant")
            .filter(pk=form.cleaned_data["application"])
            .first()
            if form.is_valid()
            else None
        )
        if application is None:
            messages.error(request, BAD_REQUEST)
            return redirect("manage:attendance", pk=pk)
        try:
            attendance_record(
                application=application,
                completed=form.cleaned_data["completed"],
                by=user_of(request),
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Recorded for %(name)s.")
                % {"name": application.applicant.full_name or application.applicant.email},
            )
        return redirect("manage:attendance", pk=pk)
    return render(
        request,
        "console/attendance.html",
        {
            "cohort": cohort,
            "people": attendance_list(cohort=cohort),
            "sessions": attendance_summary(cohort=cohort),
            "can_manage": can_manage,
            "started": cohort_has_started(cohort),
        },
    )
