"""How django-axes names the account behind a sign-in attempt.

Axes reads the account from the credentials given to authenticate(), under one
key. Our sign-in form passes `email` (the user model's USERNAME_FIELD) but the
admin's form passes `username`, so with the default setting failed admin
sign-ins are recorded against no account and never lock it. Reading either key,
in one case, makes every form count towards the same lockout. Wire it with
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str | None:
    source: Mapping[str, Any] = credentials or request.POST
    value = source.get("username") or source.get("email")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None
