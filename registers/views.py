"""The applicant's side of sessions: their cohort's session dates as a calendar file."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse

from accounts.decorators import verified_email_required
from accounts.models import User
from applications.selectors import application_for_applicant

from .calendar import sessions_calendar
from .models import CohortSession
from .services import ON_THE_REGISTER


@verified_email_required
def my_sessions_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the person's own application, and only once they have a place (else 404)."""
    application = application_for_applicant(user=cast(User, request.user), pk=pk)
    if application.state not in ON_THE_REGISTER:
        raise Http404
    sessions = CohortSession.objects.filter(cohort_id=application.cohort_id)
    response = HttpResponse(
        sessions_calendar(application=application, sessions=sessions),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="sessions-{application.pk}.ics"'
    return response
