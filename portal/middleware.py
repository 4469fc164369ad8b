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
from django.utils import timezone

from pages.navigation import SESSION_KEY as NAV_AREAS

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


# The session is re-saved at most this often to push the idle deadline on, not on
# every request.
_TOUCH_EVERY_SECONDS = 60
_TOUCHED = "privileged_touched_at"


class PrivilegedSessionTimeoutMiddleware:
    """Staff, screeners, provider staff and administrators are signed out after
    PRIVILEGED_SESSION_IDLE_SECONDS without a request; applicants keep the usual age.

    Their sessions can reach other people's data, and are more often on shared office
    machines. The roles come from the session (pages.navigation), so this costs no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        privileged = (
            user is not None
            and user.is_authenticated
            and (user.is_superuser or bool(request.session.get(NAV_AREAS)))
        )
        if privileged:
            now = int(timezone.now().timestamp())
            if now - request.session.get(_TOUCHED, 0) >= _TOUCH_EVERY_SECONDS:
                request.session[_TOUCHED] = now
                request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
        return self.get_response(request)
