"""The user's cohorts, a cohort's dashboard, and changing its number of places."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from applications.errors import ApplicationError
from applications.models import ApplicationState
from applications.services.places import cohort_capacity_change
from programmes.models import Cohort

from ..forms.places import CapacityForm
from ..history import history_of_cohort
from ..permissions import MANAGER, programmes_for
from ..selectors import DASHBOARD_STATES, cohort_dashboard, cohorts_for_console, console_cohort
from .access import forbidden, is_manager, user_of

CAPACITY_CHANGED = ngettext_lazy(
    "The cohort now has %(capacity)s place.", "The cohort now has %(capacity)s places.", "capacity"
)


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = list(cohorts_for_console(user=user_of(request)))
    # The programmes the user may add cohorts to, in one query; those with none yet
    # are listed on their own, or nobody could add a programme's first cohort.
    managed = list(
        programmes_for(user=user_of(request), roles=(MANAGER,))
        .only("pk", "title")
        .order_by("title")
    )
    listed = {cohort.programme_id for cohort in cohorts}
    return render(
        request,
        "console/cohort_list.html",
        {
            "cohorts": cohorts,
            "managed_ids": {programme.pk for programme in managed},
            "without_cohorts": [p for p in managed if p.pk not in listed],
        },
    )


def _render_dashboard(
    request: HttpRequest, cohort: Cohort, *, can_manage: bool, form: CapacityForm, status: int = 200
) -> HttpResponse:
    counts = cohort_dashboard(cohort=cohort)
    return render(
        request,
        "console/cohort_dashboard.html",
        {
            "cohort": cohort,
            "counts": counts,
            "rows": [(ApplicationState(state).label, counts[state]) for state in DASHBOARD_STATES],
            "can_manage": can_manage,
            "capacity_form": form,
            "history": history_of_cohort(cohort=cohort),
        },
        status=status,
    )


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    form = CapacityForm(initial={"capacity": cohort.capacity})
    return _render_dashboard(
        request, cohort, can_manage=is_manager(request, cohort.programme), form=form
    )


@login_required
@require_POST
def capacity_change(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    if not is_manager(request, cohort.programme):
        return forbidden(request)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        return _render_dashboard(request, cohort, can_manage=True, form=form, status=400)
    try:
        changed = cohort_capacity_change(
            cohort=cohort, capacity=form.cleaned_data["capacity"], by=user_of(request)
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, CAPACITY_CHANGED % {"capacity": changed.capacity})
    return redirect("manage:cohort", pk=pk)
