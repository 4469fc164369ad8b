"""Per-address (IP) limits on the endpoints strangers can hit: one table, one middleware.

The per-account limits in the services (one verification email a minute, one
future-dates confirmation per ten minutes) stop an inbox being flooded; these
stop one machine trying many accounts, addresses or tokens. Counters live in
the default cache (django-ratelimit), so they are shared by every process
when Redis is configured. Behind a proxy, `RATELIMIT_IP_META_KEY` says which
header holds the caller's address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


@dataclass(frozen=True)
class Limit:
    rate: str
    methods: tuple[str, ...] = ("POST",)


# A signed link is opened from an email, once or twice; a form is sent a few times.
_SIGNED_LINK = Limit("30/h", ("GET", "POST"))

LIMITS: dict[str, Limit] = {
    "accounts:login": Limit("60/h"),
    "accounts:signup": Limit("20/h"),
    "accounts:password_reset": Limit("10/h"),
    "accounts:resend_verification": Limit("10/h"),
    # On top of each device's own growing wait after a wrong code (docs/adr/0010).
    "accounts:second_factor_verify": Limit("30/h"),
    "programmes:future_dates": Limit("20/h"),
    "accounts:verify_email": _SIGNED_LINK,
    "accounts:change_email_confirm": _SIGNED_LINK,
    "accounts:password_reset_confirm": _SIGNED_LINK,
    "programmes:future_dates_confirm": _SIGNED_LINK,
    "programmes:future_dates_unsubscribe": _SIGNED_LINK,
    "applications:waitlist_leave_link": _SIGNED_LINK,
}

TOO_MANY_FOR_THE_API = "Too many requests from your address. Wait a while and try again."


def too_many_requests(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"message": TOO_MANY_FOR_THE_API, "code": "throttled"}, status=429)
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        limit = LIMITS.get(match.view_name) if match is not None else None
        if limit is None or request.method not in limit.methods:
            return None
        if is_ratelimited(
            request,
            group=match.view_name,  # type: ignore[union-attr]
            key="ip",
            rate=limit.rate,
            method=list(limit.methods),
            increment=True,
        ):
            return too_many_requests(request)
        return None
