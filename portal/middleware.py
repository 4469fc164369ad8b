"""Request-wide guards that belong to no app: the body size limit, the browser policies,
the shorter idle timeout of privileged sessions, and the second factor.

The size check runs first, on the declared Content-Length, so an oversized
upload is answered 413 before Django reads a byte of it or writes it to disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from accounts import otp_session
from accounts.selectors import user_is_privileged
from pages.navigation import privileged_session_keep_alive

# Features no page of the portal uses; denying them means injected code cannot either.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
TOO_LARGE_FOR_THE_API = "The request is larger than this service accepts."
SECOND_FACTOR_FOR_THE_API = "Finish signing in with your second factor first."


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_BYTES:
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"message": TOO_LARGE_FOR_THE_API, "code": "too_large"}, status=413
                )
            limit_mb = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivilegedSessionTimeoutMiddleware:
    """Pushes a privileged session's idle deadline on (pages.navigation)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            privileged_session_keep_alive(request, user)
        return self.get_response(request)


class SecondFactorMiddleware:
    """The one place that holds back a session which has not passed its second factor.

    After the password, a session owes a code (someone with an authenticator app) or a
    set-up (a privileged person without one): until then it reaches only the two-step
    pages and sign-out, and everything else redirects there with `next`. The staff areas
    (/manage/, /provider/ and the Django admin at ADMIN_PATH) also refuse a privileged
    person whose session began before they had a role. Verified sessions cost no query.
    See docs/adr/0010.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not otp_session.is_verified(request):
            refusal = self._refusal(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        path = request.path_info
        if path.startswith(reverse("accounts:second_factor_verify")) or path == reverse(
            "accounts:logout"
        ):
            return None
        needed = otp_session.needed(request)
        if needed is None:
            areas = ("/manage/", "/provider/", f"/{settings.ADMIN_PATH}")
            if not path.startswith(areas) or not user_is_privileged(user=user):
                return None
            needed = otp_session.needed_for(user) or otp_session.SET_UP
        if path.startswith("/api/"):
            return JsonResponse(
                {"message": SECOND_FACTOR_FOR_THE_API, "code": "second_factor_required"},
                status=403,
            )
        name = (
            "accounts:second_factor_verify"
            if needed == otp_session.VERIFY
            else "accounts:second_factor_setup"
        )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(name)}?{query}")
