"""The applicant's side of places: accept or decline an offer, leave a waiting list."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import verified_email_required
from accounts.models import User

from ..lifecycle import TransitionNotAllowed
from ..models import ApplicationState
from ..selectors import application_for_applicant
from ..services.places import OfferExpired, PlacesError, offer_accept, offer_decline, waitlist_leave
from ..tokens import application_from_leave_token

NO_LONGER_OPEN = _("This offer is no longer open.")
NOT_WAITING = _("You are not on the waiting list for this cohort.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@verified_email_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    try:
        offer_accept(application=application, by=_user(request))
    except OfferExpired as error:
        messages.error(request, str(error))
        return redirect("applications:detail", pk=pk)
    except (TransitionNotAllowed, PlacesError):
        messages.error(request, NO_LONGER_OPEN)
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("Your place is confirmed. We have emailed you the details."))
    return redirect("applications:detail", pk=pk)


@verified_email_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    try:
        offer_decline(application=application, by=_user(request))
    except (TransitionNotAllowed, PlacesError):
        messages.error(request, NO_LONGER_OPEN)
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("You have declined the offer. The place will go to someone else."))
    return redirect("applications:detail", pk=pk)


@verified_email_required
@require_POST
def leave_waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    try:
        waitlist_leave(application=application, by=_user(request))
    except TransitionNotAllowed:
        messages.error(request, NOT_WAITING)
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("You have left the waiting list."))
    return redirect("applications:detail", pk=pk)


@require_http_methods(["GET", "POST"])
def leave_waiting_list_link(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in a waiting-list email: no sign-in, one button.

    A GET never changes anything, because mail scanners follow links; the
    button on the page does.
    """
    application = application_from_leave_token(token)
    if application is None:
        return render(request, "applications/waitlist_leave_invalid.html", status=404)
    if request.method == "POST":
        if application.state == ApplicationState.WAITLISTED:
            waitlist_leave(application=application, by=None)
        return render(request, "applications/waitlist_left.html", {"application": application})
    if application.state != ApplicationState.WAITLISTED:
        return render(request, "applications/waitlist_left.html", {"application": application})
    return render(request, "applications/waitlist_leave.html", {"application": application})
