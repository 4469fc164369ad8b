"""Request-wide guards that belong to no app: the body size limit, the browser policies,
and the shorter idle timeout of privileged sessions.

The size check runs first, on the declared Content-Length, so an oversized
upload is answered 413 before Django reads a byte of it or writes it to disk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pages.navigation import privileged_session_keep_alive

# Features no page of the portal uses; denying them means injected code cannot either.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
TOO_LARGE_FOR_THE_API = "The request is larger than this service accepts."


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
