"""A cohort's sessions and their registers: managers add sessions and keep registers;
screeners may look. Constant queries whatever the size of the cohort.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError
from registers.models import CohortSession
from registers.selectors import register_of, sessions_of
from registers.services import register_record, session_create

from ..forms.sessions import RegisterForm, SessionForm
from ..permissions import cohorts_for
from ..selectors import console_cohort
from .access import forbidden, is_manager, user_of


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = console_cohort(user=user_of(request), pk=pk)
    can_manage = is_manager(request, cohort.programme)
    form = SessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            return forbidden(request)
        if form.is_valid():
            starts_at, ends_at = form.times()
            try:
                session_create(
                    cohort=cohort,
                    title=form.cleaned_data["title"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    online=form.cleaned_data["online"],
                    venue=form.cleaned_data["venue"],
                )
            except ApplicationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Session added."))
                return redirect("manage:sessions", pk=pk)
        status = 400
    return render(
        request,
        "console/sessions.html",
        {
            "cohort": cohort,
            "sessions": sessions_of(cohort=cohort),
            "form": form,
            "can_manage": can_manage,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    session = (
        CohortSession.objects.select_related("cohort__programme")
        .filter(cohort__in=cohorts_for(user=user_of(request)))
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    can_manage = is_manager(request, session.cohort.programme)
    people = list(register_of(session=session))
    form = RegisterForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if not can_manage:
            return forbidden(request)
        if form.is_valid():
            try:
                changed = register_record(session=session, marks=form.marks(), by=user_of(request))
            except ApplicationError as error:
                messages.error(request, str(error))
                status = 409
            else:
                messages.success(request, _("Register saved (%(n)s changed).") % {"n": changed})
                return redirect("manage:register", pk=pk)
        else:
            status = 400
    return render(
        request,
        "console/register.html",
        {
            "cohort": session.cohort,
            "session": session,
            "form": form,
            "rows": [(person, form[f"mark-{person.pk}"]) for person in people],
            "can_manage": can_manage,
            "open": session.starts_at <= timezone.now(),
        },
        status=status,
    )
