"""Signed, expiring tokens for the links in account emails.

A token carries the user's id and the address the link was sent to; the
signature (with a salt per purpose, so one kind of link can never be replayed as
another) makes it unguessable. Because the address is signed, a link stops
working as soon as the account's address changes: an email-change link can be
used once, and an old verification link cannot confirm a newer address.

Password reset links are Django's own (django.contrib.auth.tokens), which also
expire on use.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core import signing

if TYPE_CHECKING:
    from .models import User

VERIFY_SALT = "accounts.email.verify"
CHANGE_SALT = "accounts.email.change"
LINK_MAX_AGE = dt.timedelta(days=3)


class BadToken(Exception):
    """The link was altered, belongs to something else, or has already been used."""


class ExpiredToken(BadToken):
    """The link was genuine but is older than LINK_MAX_AGE."""


def email_verify_token(user: User) -> str:
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})


def email_change_token(user: User, new_email: str) -> str:
    return signing.TimestampSigner(salt=CHANGE_SALT).sign_object(
        {"u": user.pk, "e": user.email, "n": new_email}
    )


def _unsign(token: str, salt: str) -> dict[str, object]:
    try:
        value = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ExpiredToken from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise BadToken from exc
    if not isinstance(value, dict):
        raise BadToken
    return value


def email_verify_token_read(token: str) -> tuple[int, str]:
    """(user id, address the link was sent to), or BadToken / ExpiredToken."""
    value = _unsign(token, VERIFY_SALT)
    pk, email = value.get("u"), value.get("e")
    if not isinstance(pk, int) or not isinstance(email, str):
        raise BadToken
    return pk, email


def email_change_token_read(token: str) -> tuple[int, str, str]:
    """(user id, old address, new address), or BadToken / ExpiredToken."""
    value = _unsign(token, CHANGE_SALT)
    pk, old, new = value.get("u"), value.get("e"), value.get("n")
    if not isinstance(pk, int) or not isinstance(old, str) or not isinstance(new, str):
        raise BadToken
    return pk, old, new
