"""Two-step sign-in pages: set up an authenticator app, enter a code, see recovery codes once,
make new ones, turn it off (applicants only). portal.middleware.SecondFactorMiddleware
sends people here; these pages send them on to `next`.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import otp_session
from ..forms.second_factor import RecoveryCodesSavedForm, SetUpCodeForm, VerifyCodeForm
from ..selectors import second_factor_confirmed, user_is_privileged
from ..services.second_factor import (
    REQUIRED_FOR_YOUR_ROLE,
    TOO_MANY_TRIES,
    WRONG_CODE,
    WRONG_SETUP_CODE,
    SecondFactorRequired,
    TooManyTries,
    WrongCode,
    second_factor_recovery_codes_renew,
    second_factor_setup_confirm,
    second_factor_setup_device,
    second_factor_setup_key,
    second_factor_turn_off,
    second_factor_verify,
)
from . import _user

SET_UP_DONE = _("Two-step sign-in is on. You will be asked for a code each time you sign in.")
TURNED_OFF = _("Two-step sign-in is off. You will sign in with your password only.")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(settings.LOGIN_REDIRECT_URL)


def _to(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Our own markup from the qrcode package (no user input), labelled for screen readers.
    label = str(_("QR code for your authenticator app"))
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr-code" ', 1)
    )


def _secret_text(device: TOTPDevice) -> str:
    """The secret as people type it: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = _next_url(request)
    if otp_session.is_verified(request):
        return redirect(next_url)
    if not second_factor_confirmed(user=user):
        return _to("accounts:second_factor_setup", next_url)
    form = VerifyCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_verify(user=user, code=form.cleaned_data["code"])
        except WrongCode:
            form.add_error("code", WRONG_CODE)
            status = 400
        except TooManyTries as error:
            form.add_error("code", TOO_MANY_TRIES % {"seconds": error.seconds})
            status = 429
        else:
            otp_session.mark_verified(request, device)
            return redirect(next_url)
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": next_url},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = _next_url(request)
    # Replacing a working app (a new phone) needs a session that has passed it.
    if second_factor_confirmed(user=user) and not otp_session.is_verified(request):
        return _to("accounts:second_factor_verify", next_url)
    key = request.session.get(otp_session.SETUP_KEY)
    if key is None:
        key = request.session[otp_session.SETUP_KEY] = second_factor_setup_key()
    form = SetUpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor_setup_confirm(
                user=user, key=key, code=form.cleaned_data["code"]
            )
        except WrongCode:
            form.add_error("code", WRONG_SETUP_CODE)
            status = 400
        else:
            del request.session[otp_session.SETUP_KEY]
            otp_session.mark_verified(request, device)
            request.session[otp_session.RECOVERY_CODES] = codes
            messages.success(request, SET_UP_DONE)
            return _to("accounts:second_factor_recovery_codes", next_url)
    device = second_factor_setup_device(user=user, key=key)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device),
            "secret": _secret_text(device),
            "required": user_is_privileged(user=user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown until the person says they have kept them."""
    next_url = _next_url(request)
    codes = request.session.get(otp_session.RECOVERY_CODES)
    if not codes:
        return redirect(next_url)
    form = RecoveryCodesSavedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        del request.session[otp_session.RECOVERY_CODES]
        return redirect(next_url)
    return render(
        request,
        "accounts/second_factor_recovery_codes.html",
        {"form": form, "codes": codes, "next": next_url},
    )


@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not second_factor_confirmed(user=user):
        return _to("accounts:second_factor_setup", reverse("accounts:home"))
    if not otp_session.is_verified(request):
        return _to("accounts:second_factor_verify", reverse("accounts:home"))
    request.session[otp_session.RECOVERY_CODES] = second_factor_recovery_codes_renew(user=user)
    return _to("accounts:second_factor_recovery_codes", reverse("accounts:home"))


@login_required
@require_http_methods(["GET", "POST"])
def turn_off(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not second_factor_confirmed(user=user):
        return redirect("accounts:home")
    if not otp_session.is_verified(request):
        return _to("accounts:second_factor_verify", request.get_full_path())
    required = user_is_privileged(user=user)
    if request.method == "POST":
        try:
            second_factor_turn_off(user=user)
        except SecondFactorRequired:
            messages.error(request, REQUIRED_FOR_YOUR_ROLE)
        else:
            otp_session.forget(request)
            messages.success(request, TURNED_OFF)
        return redirect("accounts:home")
    return render(
        request,
        "accounts/second_factor_turn_off.html",
        {"required": required},
        status=403 if required else 200,
    )
