"""The applicant's side of places: accept or decline an offer, leave a waiting list.

Accept is one button (it is what people came for, and it can be declined later
by withdrawing). Decline and leaving the list cannot be undone, so each shows a
confirmation page first; a POST without the confirmation (an old page, a
hand-made request) shows that page rather than acting. A refusal from the
service is a 409 with the reason, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import verified_email_required
from accounts.models import User

from ..errors import ApplicationError
from ..models import Application, ApplicationState
from ..selectors import application_for_applicant
from ..services.places import (
    NO_OFFER,
    NOT_WAITING,
    NoOffer,
    NotWaiting,
    offer_accept,
    offer_decline,
    waitlist_leave,
)
from ..tokens import application_from_leave_token
from .journey import CONFLICT, refused

CONFIRM_FIELD = "confirm"
# Why a confirmed POST is refused when the application is no longer in the state it needs.
NOT_NOW: dict[str, ApplicationError] = {
    ApplicationState.OFFERED: NoOffer(NO_OFFER),
    ApplicationState.WAITLISTED: NotWaiting(NOT_WAITING),
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


@verified_email_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    try:
        offer_accept(application=application, by=_user(request))
    except ApplicationError as error:
        return refused(request, pk, error)
    messages.success(request, _("Your place is confirmed. We have emailed you the details."))
    return redirect("applications:detail", pk=pk)


def _confirm_then(
    request: HttpRequest,
    pk: int,
    *,
    state: str,
    page: str,
    act: Callable[[Application], object],
    done: str,
) -> HttpResponse:
    """Ask on `page` first; act only on a confirmed POST while the application is in `state`."""
    application = application_for_applicant(user=_user(request), pk=pk)
    if application.state != state:
        if request.method == "POST":
            return refused(request, pk, NOT_NOW[state])
        return redirect("applications:detail", pk=pk)
    if not _confirmed(request):
        return render(request, page, {"application": application, "signed_in": True})
    try:
        act(application)
    except ApplicationError as error:
        return refused(request, pk, error)
    messages.success(request, done)
    return redirect("applications:detail", pk=pk)


@verified_email_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm_then(
        request,
        pk,
        state=ApplicationState.OFFERED,
        page="applications/decline_confirm.html",
        act=lambda application: offer_decline(application=application, by=_user(request)),
        done=_("You have declined the offer. The place will go to someone else."),
    )


@verified_email_required
@require_http_methods(["GET", "POST"])
def leave_waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm_then(
        request,
        pk,
        state=ApplicationState.WAITLISTED,
        page="applications/waitlist_leave.html",
        act=lambda application: waitlist_leave(application=application, by=_user(request)),
        done=_("You have left the waiting list."),
    )


@require_http_methods(["GET", "POST"])
def leave_waiting_list_link(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in a waiting-list email: no sign-in, one confirming button.

    A GET never changes anything, because mail scanners follow links; the
    button on the page does, and the service checks the state on the locked row.
    """
    application = application_from_leave_token(token)
    if application is None:
        return render(request, "applications/waitlist_leave_invalid.html", status=404)
    if request.method == "POST":
        try:
            waitlist_leave(application=application, by=None)
        except ApplicationError:
            return render(
                request,
                "applications/waitlist_left.html",
                {"application": application},
                status=CONFLICT,
            )
        return render(request, "applications/waitlist_left.html", {"application": application})
    if application.state != ApplicationState.WAITLISTED:
        return render(request, "applications/waitlist_left.html", {"application": application})
    return render(request, "applications/waitlist_leave.html", {"application": application})
