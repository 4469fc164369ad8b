"""Second-factor helpers for tests: a known authenticator app, its codes, a verified session."""

from __future__ import annotations

import time
from base64 import b32decode, b32encode
from typing import Any

import pyotp
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp_session
from accounts.models import User
from accounts.selectors import user_is_privileged

# A fixed secret, so a test (or a person) can compute the app's code with pyotp.
TEST_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def app_device(user: User, *, secret: str = TEST_SECRET) -> TOTPDevice:
    """The person's confirmed authenticator app, made with `secret` if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=True, key=b32decode(secret).hex()
        )
    return device


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (what a person would type).

    A code is accepted once, and django-otp also takes the next 30-second step's code,
    so `steps_ahead=1` gives a fresh code right after the current one was used.
    """
    totp = pyotp.TOTP(device_secret(device))
    return totp.at(int(time.time()) + steps_ahead * totp.interval)


def fresh_code(device: TOTPDevice) -> str:
    """A code the device will still accept: each 30-second step's code works once, and the
    device also takes the next step's, so after a recent use this may wait for the clock."""
    device.refresh_from_db()
    totp = pyotp.TOTP(device_secret(device))
    wanted = device.last_t + 1
    while wanted > int(time.time()) // totp.interval + 1:
        time.sleep(1)
    step = max(wanted, int(time.time()) // totp.interval)
    return totp.at(step * totp.interval)


def device_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def session_pass_second_factor(client: Client, user: Any) -> None:
    """Mark the client's session verified, as a correct code would, for a privileged `user`
    or anyone with an app (say, a screener since removed from the team)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        if not user_is_privileged(user=user):
            return
        device = app_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop(otp_session.NEEDED, None)
    session.save()
