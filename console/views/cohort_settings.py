"""A cohort's settings: adding one to a programme, changing one, starting next year's
from it, and cancelling it. Managers and site administrators only: a screener gets
the console's 403 page, anyone outside the programme a 404.

A form with a problem comes back as a 400 with an error summary; a refusal that
depends on the cohort's state now (changed since the page was opened, cancelled,
finished) is a 409 with the reason, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError
from applications.services.places import cohort_cancel, cohort_cancel_audience
from applications.services.places.cancel import cohort_has_finished
from programmes.models import COHORT_CANCELLED, Cohort, Programme
from programmes.services.cohorts import (
    DETAIL_FIELDS,
    CohortError,
    CohortInvalid,
    cohort_copy_initial,
    cohort_create,
)
from registers.models import CohortSession

from ..forms.cohorts import CohortCancelForm, CohortCopyForm, CohortEditForm, CohortForm
from ..permissions import programmes_for
from ..selectors import console_cohort
from ..services import cohort_copy_with_sessions, cohort_edit
from .access import forbidden, is_manager, user_of

MANAGERS_ONLY = gettext_lazy("Only the programme team can add, change, copy or cancel cohorts.")


def _programme(request: HttpRequest, pk: int) -> Programme:
    """A programme the user works on, or 404 (nobody learns what exists elsewhere)."""
    programme = programmes_for(user=user_of(request)).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def _initial(cohort: Cohort) -> dict[str, Any]:
    return {
        **{name: getattr(cohort, name) for name in DETAIL_FIELDS},
        "capacity": cohort.capacity,
    }


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    return render(request, f"console/{template}", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not is_manager(request, programme):
        return forbidden(request, MANAGERS_ONLY)
    form = CohortForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                cohort = cohort_create(
                    programme=programme,
                    details=form.details(),
                    capacity=form.cleaned_data["capacity"],
                    by=user_of(request),
                )
            except CohortInvalid as error:
                form.add_problems(error.problems)
            else:
                messages.success(request, _("Cohort added."))
                return redirect("manage:cohort", pk=cohort.pk)
    return _page(
        request,
        "cohort_form.html",
        {"programme": programme, "form": form, "mode": "create"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    if not is_manager(request, cohort.programme):
        return forbidden(request, MANAGERS_ONLY)
    if cohort.is_cancelled and request.method == "GET":
        messages.error(request, str(COHORT_CANCELLED))
        return redirect("manage:cohort", pk=pk)
    initial = {**_initial(cohort), "updated_at": cohort.updated_at.isoformat()}
    form = CohortEditForm(
        request.POST or None, initial=initial, programme=cohort.programme, cohort=cohort
    )
    status = 200
    refusal = ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                cohort_edit(
                    cohort=cohort,
                    details=form.details(),
                    capacity=form.cleaned_data["capacity"],
                    expected_updated_at=form.cleaned_data["updated_at"],
                    by=user_of(request),
                )
            except CohortInvalid as error:
                form.add_problems(error.problems)
            except (CohortError, ApplicationError) as error:
                # Stale, cancelled meanwhile, or a capacity the places service refused
                # under its lock: show the cohort as it is now, with the reason.
                refusal, status = str(error), 409
                cohort = console_cohort(user=user_of(request), pk=pk)
                form = CohortEditForm(
                    initial={**_initial(cohort), "updated_at": cohort.updated_at.isoformat()},
                    programme=cohort.programme,
                    cohort=cohort,
                )
            else:
                messages.success(request, _("Cohort settings saved."))
                return redirect("manage:cohort", pk=pk)
    return _page(
        request,
        "cohort_form.html",
        {
            "programme": cohort.programme,
            "cohort": cohort,
            "nav_cohort": cohort,
            "form": form,
            "mode": "edit",
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = console_cohort(user=user_of(request), pk=pk)
    if not is_manager(request, source.programme):
        return forbidden(request, MANAGERS_ONLY)
    sessions = CohortSession.objects.filter(cohort=source).count()
    form = CohortCopyForm(
        request.POST or None,
        initial=cohort_copy_initial(source=source),
        programme=source.programme,
        sessions=sessions,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                copy = cohort_copy_with_sessions(
                    source=source,
                    details=form.details(),
                    capacity=form.cleaned_data["capacity"],
                    with_sessions=bool(form.cleaned_data.get("copy_sessions")),
                    by=user_of(request),
                )
            except CohortInvalid as error:
                form.add_problems(error.problems)
            except ApplicationError as error:  # a session would fall outside the new dates
                form.add_error("ends_on", str(error))
            else:
                messages.success(
                    request,
                    _("Cohort %(name)s added from %(source)s.")
                    % {"name": copy.name, "source": source.name},
                )
                return redirect("manage:cohort", pk=copy.pk)
    return _page(
        request,
        "cohort_form.html",
        {
            "programme": source.programme,
            "source": source,
            "nav_cohort": source,
            "form": form,
            "mode": "copy",
            "sessions": sessions,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    if not is_manager(request, cohort.programme):
        return forbidden(request, MANAGERS_ONLY)
    form = CohortCancelForm(request.POST or None)
    status = 200
    refusal = ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                done = cohort_cancel(
                    cohort=cohort, reason=form.cleaned_data["reason"], by=user_of(request)
                )
            except ApplicationError as error:  # cancelled already, or finished
                refusal, status = str(error), 409
            else:
                told = ngettext(
                    "Cohort cancelled. We have emailed the %(count)s person who was on it.",
                    "Cohort cancelled. We have emailed the %(count)s people who were on it.",
                    done.told,
                ) % {"count": done.told}
                messages.success(request, told if done.told else _("Cohort cancelled."))
                return redirect("manage:cohort", pk=pk)
    return _page(
        request,
        "cohort_cancel.html",
        {
            "cohort": cohort,
            "form": form,
            "audience": cohort_cancel_audience(cohort=cohort),
            "finished": cohort_has_finished(cohort),
            "refusal": refusal,
        },
        status=status,
    )
