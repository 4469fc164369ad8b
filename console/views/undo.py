"""Managers undo or end a place on someone's behalf: take back an offer or invitation,
withdraw an enrolled person, move someone to another cohort of the programme.

Each is a POST with a reason. A form error re-shows the application page as a
400; a refusal from the places service is a message, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.errors import ApplicationError
from applications.models import Application
from applications.services.places import application_transfer, enrolment_withdraw, offer_rescind

from ..forms.places import TransferForm, UndoForm
from ..selectors import console_application
from .access import forbidden, is_manager, user_of
from .screening import render_application


def _act(
    request: HttpRequest,
    pk: int,
    *,
    form_name: str,
    make_form: Callable[[Application], Form],
    act: Callable[[Application, Form], object],
    done: str,
) -> HttpResponse:
    application = console_application(user=user_of(request), pk=pk)
    if not is_manager(request, application.cohort.programme):
        return forbidden(request)
    form = make_form(application)
    if not form.is_valid():
        forms: dict[str, Any] = {form_name: form}
        return render_application(request, application, status=400, **forms)
    try:
        act(application, form)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("manage:application", pk=pk)


@login_required
@require_POST
def rescind(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="rescind_form",
        make_form=lambda application: UndoForm(request.POST, prefix="rescind"),
        act=lambda application, form: offer_rescind(
            application=application, by=user_of(request), reason=form.cleaned_data["reason"]
        ),
        done=_("Offer taken back. We have emailed them, and the place has gone on."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="withdraw_form",
        make_form=lambda application: UndoForm(request.POST, prefix="withdraw"),
        act=lambda application, form: enrolment_withdraw(
            application=application, by=user_of(request), reason=form.cleaned_data["reason"]
        ),
        done=_("Withdrawn. We have emailed them, and the place has gone on."),
    )


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    moved: list[Application] = []

    def act(application: Application, form: Form) -> None:
        moved.append(
            application_transfer(
                application=application,
                to_cohort=form.cleaned_data["cohort"],
                by=user_of(request),
                reason=form.cleaned_data["reason"],
            )
        )

    response = _act(
        request,
        pk,
        form_name="transfer_form",
        make_form=lambda application: TransferForm(
            request.POST, application=application, prefix="transfer"
        ),
        act=act,
        done=_("Moved. We have emailed them."),
    )
    # After a move the old application is withdrawn: show the new one.
    return redirect("manage:application", pk=moved[0].pk) if moved else response
