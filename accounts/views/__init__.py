"""Account pages: sign-up, email confirmation and change, profile, career history.

Views parse input with a form, call one service or selector, and render. Every
private page is for the signed-in person's own data only: anything else is 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import otp_session
from ..forms import CareerEntryForm, ChangeEmailForm, ProfileForm, SignupForm
from ..models import CareerEntry, User
from ..selectors import (
    account_overview,
    career_entries_for,
    career_entry_for,
    email_change_for_token,
    profile_for,
    senior_years_by_sector,
    senior_years_of,
    user_for_verify_token,
)
from ..services import (
    EMAIL_IN_USE,
    EMAIL_TAKEN,
    TOO_SOON,
    EmailAlreadyRegistered,
    TooSoon,
    career_entry_create,
    career_entry_delete,
    career_entry_update,
    email_change_confirm,
    email_change_request,
    email_verification_resend,
    profile_update,
    user_email_verify,
    user_signup,
)
from ..tokens import BadToken, ExpiredToken

LINK_EXPIRED = _("This link has expired. Links in our emails work for 3 days.")
LINK_INVALID = _(
    "This link does not work. It may have been copied wrongly, or replaced by a newer one."
)
VERIFY_SENT = _("We have sent a link to %(email)s. Use it to confirm your email address.")
VERIFIED = _("Thank you. Your email address is confirmed.")
EMAIL_CHANGE_SENT = _(
    "We have sent a link to %(email)s. Your email address changes when you use it. "
    "Until then, keep using %(current)s."
)
EMAIL_CHANGED = _("Your email address is now %(email)s.")
PROFILE_SAVED = _("Your profile has been saved.")
CAREER_ADDED = _("The role has been added to your career history.")
CAREER_SAVED = _("The role has been updated.")
CAREER_DELETED = _("The role has been removed from your career history.")

SIGNUP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every caller is behind login_required
    return user


def _bad_link(
    request: HttpRequest, error: BadToken, *, kind: str, message: Any = None
) -> HttpResponse:
    reason = message or (LINK_EXPIRED if isinstance(error, ExpiredToken) else LINK_INVALID)
    return render(
        request, "accounts/link_invalid.html", {"reason": reason, "kind": kind}, status=400
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except EmailAlreadyRegistered:
            # Someone else took the address between the form's check and the insert.
            form.add_error("email", ValidationError(EMAIL_TAKEN, code="email_taken"))
        else:
            login(request, user, backend=SIGNUP_BACKEND)
            messages.success(request, VERIFY_SENT % {"email": user.email})
            return redirect("accounts:home")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "email_taken": form.has_error("email", code="email_taken")},
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    # Mail scanners fetch links to check them, so GET only asks; POST confirms.
    try:
        if request.method == "POST":
            user = user_email_verify(token=token)
            messages.success(request, VERIFIED)
            return redirect("accounts:home" if request.user == user else "accounts:login")
        user = user_for_verify_token(token=token)
    except BadToken as error:
        return _bad_link(request, error, kind="verify")
    return render(request, "accounts/verify_email.html", {"verifying": user})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        email_verification_resend(user=user)
    except TooSoon:
        messages.error(request, TOO_SOON)
    else:
        if not user.email_verified:
            messages.success(request, VERIFY_SENT % {"email": user.email})
    return redirect("accounts:verify_needed")


@login_required
@require_http_methods(["GET"])
def verify_needed(request: HttpRequest) -> HttpResponse:
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return render(request, "accounts/verify_needed.html", {"next_url": next_url})


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    overview = account_overview(user=_user(request), today=timezone.localdate())
    return render(
        request,
        "accounts/home.html",
        {"overview": overview, "second_factor_on": otp_session.is_on(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = profile_for(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_update(user=user, today=timezone.localdate(), **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, PROFILE_SAVED)
                return redirect("accounts:home")
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(user, current))
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def career(request: HttpRequest) -> HttpResponse:
    entries = list(career_entries_for(user=_user(request)))
    today = timezone.localdate()
    return render(
        request,
        "accounts/career.html",
        {
            "entries": entries,
            "senior_years": senior_years_of(entries, today=today),
            "by_sector": senior_years_by_sector(entries, today=today),
        },
    )


def _own_entry(request: HttpRequest, pk: int) -> CareerEntry:
    try:
        return career_entry_for(user=_user(request), pk=pk)
    except CareerEntry.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def career_add(request: HttpRequest) -> HttpResponse:
    form = CareerEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            career_entry_create(
                user=_user(request), today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, CAREER_ADDED)
            return redirect("accounts:career")
    return render(request, "accounts/career_form.html", {"form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def career_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if request.method == "POST":
        form = CareerEntryForm(request.POST)
        if form.is_valid():
            try:
                career_entry_update(entry=entry, today=timezone.localdate(), **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, CAREER_SAVED)
                return redirect("accounts:career")
    else:
        form = CareerEntryForm(initial=CareerEntryForm.initial_for(entry))
    return render(request, "accounts/career_form.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def career_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if request.method == "POST":
        career_entry_delete(entry=entry)
        messages.success(request, CAREER_DELETED)
        return redirect("accounts:career")
    return render(request, "accounts/career_delete.html", {"entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def change_email(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangeEmailForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            email_change_request(user=user, new_email=form.cleaned_data["new_email"])
        except ValidationError as error:
            form.add_error(None, error)
        except TooSoon:
            form.add_error(None, TOO_SOON)
        else:
            messages.success(
                request,
                EMAIL_CHANGE_SENT
                % {"email": form.cleaned_data["new_email"].lower(), "current": user.email},
            )
            return redirect("accounts:home")
    return render(request, "accounts/change_email.html", {"form": form})


@require_http_methods(["GET", "POST"])
def change_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            user = email_change_confirm(token=token)
            messages.success(request, EMAIL_CHANGED % {"email": user.email})
            return redirect("accounts:home" if request.user == user else "accounts:login")
        user, new_email = email_change_for_token(token=token)
    except EmailAlreadyRegistered:
        return _bad_link(request, BadToken(), kind="change", message=EMAIL_IN_USE)
    except BadToken as error:
        return _bad_link(request, error, kind="change")
    return render(
        request,
        "accounts/change_email_confirm.html",
        {"new_email": new_email, "already_done": user.email == new_email},
    )
