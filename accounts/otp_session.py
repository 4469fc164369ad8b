"""What a session knows about the second factor (docs/adr/0010).

A session is verified when it holds django-otp's device key, set by
`django_otp.login` after a correct code. We read that key rather than install
django-otp's OTPMiddleware, which loads the device on every request: a session
is server-side, so the key cannot be forged, and every way a device goes away
for good (an administrator's reset) also ends the person's sessions.

At sign-in the session also records what is still needed, so the one guard
(portal.middleware.SecondFactorMiddleware) decides with no query: "verify" for
someone with an authenticator app, "set_up" for a privileged person without one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device

from .models import User
from .selectors import second_factor_confirmed, user_is_privileged

NEEDED = "second_factor_needed"
RECOVERY_CODES = "second_factor_recovery_codes"
# The secret of an app being set up, until a code from the app confirms it.
SETUP_KEY = "second_factor_setup_key"
VERIFY, SET_UP = "verify", "set_up"


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def is_on(request: HttpRequest) -> bool:
    """Whether the person uses a second factor, as far as this session knows (no query)."""
    return is_verified(request) or request.session.get(NEEDED) == VERIFY


def forget(request: HttpRequest) -> None:
    """After the person turned it off: this session owes nothing and holds no device."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(NEEDED, None)


def needed(request: HttpRequest) -> str | None:
    """VERIFY, SET_UP, or None when this session owes nothing."""
    if is_verified(request):
        return None
    return request.session.get(NEEDED)


def needed_for(user: User) -> str | None:
    """The same answer from the database, for a session that began before a role did."""
    if second_factor_confirmed(user=user):
        return VERIFY
    return SET_UP if user_is_privileged(user=user) else None


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The person has just proved they hold `device`: a new session key for a stronger session."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(NEEDED, None)


def remember_needed(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On every sign-in (ours, the admin's, a test's force_login): a password proves no device."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    state = needed_for(user)
    if state is None:
        request.session.pop(NEEDED, None)
    else:
        request.session[NEEDED] = state
