"""The equality questionnaire, /account/equality/: always the signed-in person's own answers.

Nobody else's answers can be reached from here: no URL takes an id. Staff, screeners,
providers and site administrators get their own (usually empty) questionnaire, like
anyone else with an account.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User

from .forms import EqualityForm
from .selectors import equality_answers_of
from .services import equality_answers_delete, equality_answers_save

SAVED = _("Your answers have been saved. Only you can see them.")
NOTHING_ANSWERED = _("You did not answer any of the questions, so we have kept nothing.")
DELETED = _("All your equality answers have been deleted.")
NOTHING_TO_DELETE = _("You have not given any equality answers, so there was nothing to delete.")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every caller is behind login_required
    return user


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    answers = equality_answers_of(user=user)
    form = EqualityForm(request.POST if request.method == "POST" else None, instance=answers)
    if request.method == "POST" and form.is_valid():
        saved_answers = equality_answers_save(user=user, answers=form.answers())
        messages.success(request, SAVED if saved_answers else NOTHING_ANSWERED)
        return redirect("equality:saved")
    return render(
        request,
        "equality/questionnaire.html",
        {"form": form, "answered": answers is not None},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def saved(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "equality/saved.html",
        {"answered": equality_answers_of(user=_user(request)) is not None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        deleted = equality_answers_delete(user=user)
        messages.success(request, DELETED if deleted else NOTHING_TO_DELETE)
        return redirect("equality:questionnaire")
    return render(
        request,
        "equality/delete.html",
        {"answered": equality_answers_of(user=user) is not None},
    )
