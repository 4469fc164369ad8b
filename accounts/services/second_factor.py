"""Writes for the second factor: an authenticator app (TOTP) with one-time recovery codes.

The devices are django-otp's own models (docs/adr/0010). A person has at most one
confirmed app device and one set of recovery codes; both are replaced together.
Wrong codes are throttled by the device itself (each failure doubles the wait before
the next code is checked, see OTP_TOTP_THROTTLE_FACTOR) and per address by
portal.rate_limits. A failed check is recorded by the device in the database, so
these services raise only after their transaction has committed that record:
raising inside it would roll the count back and let a guesser try for ever.
"""

from __future__ import annotations

import time

from auditlog.models import LogEntry
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from notifications.outbox import email_queue
from portal.audit import acting_as

from ..models import User
from ..selectors import user_is_privileged
from . import _absolute, user_sessions_end

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# What the audit log says happened, in `additional_data["event"]`.
RESET_EVENT = "second_factor_reset"

WRONG_CODE = _(
    "That code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or one of your recovery codes."
)
WRONG_SETUP_CODE = _(
    "That code is not right. Enter the 6-digit code your authenticator app shows now. "
    "If it still fails, check that the time on your phone is set automatically."
)
TOO_MANY_TRIES = _(
    "You have entered too many wrong codes. Wait %(seconds)s seconds, then try again."
)
REQUIRED_FOR_YOUR_ROLE = _(
    "Your account can see other people's information, so it must keep two-step sign-in."
)


class WrongCode(Exception):
    """The code matched no device."""


class TooManyTries(Exception):
    """The device is waiting after wrong codes; `seconds` until it checks another."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class SecondFactorRequired(Exception):
    """A privileged person cannot turn the second factor off."""


def _normalised(code: str) -> str:
    # People copy codes with spaces or dashes ("123 456", "abcd-efgh").
    return "".join(code.split()).replace("-", "").lower()


def _wait_seconds(device: Device) -> int | None:
    """None if the device will check a code now; else how long it is still waiting."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def _recovery_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _devices_delete(*, user: User) -> int:
    apps, _by_type = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return apps


def second_factor_setup_key() -> str:
    """A new secret for an authenticator app, as hex (django-otp's TOTPDevice.key).

    The caller keeps it in the session until a code proves the app holds it: nothing
    is written before then, so opening the set-up page changes nothing.
    """
    return random_hex(20)


def second_factor_setup_device(*, user: User, key: str) -> TOTPDevice:
    """The device `key` would make, unsaved: for the QR code and the key shown as text."""
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=key, confirmed=False)


def second_factor_setup_confirm(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Save the app device once a code from it matches; returns it and new recovery codes.

    Any earlier app device and recovery codes are replaced. The codes are returned once,
    to be shown once. There is no throttle here: whoever sees this page already holds the
    secret, so guessing its codes would gain nothing.
    """
    device = second_factor_setup_device(user=user, key=key)
    try:
        token = int(_normalised(code))
    except ValueError as exc:
        raise WrongCode from exc
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(token, device.tolerance):
        raise WrongCode
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        # The code just used cannot be used again to sign in.
        device.last_t = totp.t()
        device.save()
        codes = _recovery_codes_replace(user=user)
    return device, codes


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts `code`: the app for six digits, else a recovery code.

    A recovery code is deleted as it is used, so each works once.
    """
    token = _normalised(code)
    model: type[Device] = TOTPDevice if token.isdigit() else StaticDevice
    with transaction.atomic():
        devices = list(
            model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk")
        )
        wait = None
        accepted = None
        for device in devices:
            wait = _wait_seconds(device)
            if wait is None and device.verify_token(token):
                accepted = device
                break
    if accepted is not None:
        return accepted
    if wait is not None:
        raise TooManyTries(wait)
    raise WrongCode


def second_factor_recovery_codes_renew(*, user: User) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    with transaction.atomic():
        return _recovery_codes_replace(user=user)


def second_factor_turn_off(*, user: User) -> None:
    """An applicant goes back to signing in with a password only."""
    if user_is_privileged(user=user):
        raise SecondFactorRequired
    with transaction.atomic():
        _devices_delete(user=user)


def second_factor_reset(*, user: User, by: User) -> None:
    """An administrator's answer to a lost phone: the person sets up a new app at next sign-in.

    Their devices and recovery codes are deleted, every session of theirs ends (one
    opened with the lost phone must not live on), they are told by email, and the audit
    log records who reset whose second factor.
    """
    with transaction.atomic(), acting_as(by):
        had_app = _devices_delete(user=user) > 0
        user_sessions_end(user=user)
        LogEntry.objects.log_create(
            user,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=by,
            changes={"second_factor": ["set up" if had_app else "not set up", "reset"]},
            additional_data={"event": RESET_EVENT, "by": by.email, "of": user.email},
        )
        email_queue(
            to=user.email,
            template="account_second_factor_reset",
            context={
                "name": user.get_short_name(),
                "link": _absolute(reverse("accounts:login")),
            },
        )
