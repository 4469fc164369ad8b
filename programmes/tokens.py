"""Signed tokens for the links in "tell me about future dates" emails.

The tokens carry only the subscription's id; the signature (with a salt per
purpose, so one kind of link can never be replayed as the other) is what makes
them unguessable. Confirmation links expire; unsubscribe links never do, because
an old email must always be able to stop the next one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.core import signing

CONFIRM_SALT = "programmes.future-dates.confirm"
UNSUBSCRIBE_SALT = "programmes.future-dates.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=7)


class _Subscription(Protocol):
    """What a token signs of a FutureDatesSubscription (the model calls these itself)."""

    pk: Any
    email: str


class BadToken(Exception):
    """The link was altered, belongs to something else, or has expired."""


def future_dates_confirm_token(subscription: _Subscription) -> str:
    # The email is signed too, so a link stops working if the row is reused for
    # another address (it cannot be today, but the check costs nothing).
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscription.pk, "e": subscription.email}
    )


def future_dates_unsubscribe_token(subscription: _Subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        {"s": subscription.pk, "e": subscription.email}
    )


def _payload(value: object) -> tuple[int, str]:
    if not isinstance(value, dict):
        raise BadToken
    pk, email = value.get("s"), value.get("e")
    if not isinstance(pk, int) or not isinstance(email, str):
        raise BadToken
    return pk, email


def future_dates_confirm_token_read(token: str) -> tuple[int, str]:
    """(subscription id, email) from a confirmation token, or BadToken."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=CONFIRM_MAX_AGE
        )
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken from exc
    return _payload(value)


def future_dates_unsubscribe_token_read(token: str) -> tuple[int, str]:
    """(subscription id, email) from an unsubscribe token, or BadToken."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken from exc
    return _payload(value)
