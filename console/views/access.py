"""The checks every console view makes, in one place.

Signed in, or off to sign in. Then the cohort or application must belong to a
programme the user works on, else 404 (never 403: nobody learns what exists
elsewhere). Then, for changes to places, the user must be a manager, else a
403 page that says why.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import Programme

from ..permissions import MANAGER
from ..selectors import console_role

MANAGERS_ONLY = _("Only the programme team can make offers or change places. Screeners can screen.")


def user_of(request: HttpRequest) -> User:
    """The signed-in user; every console view is behind login_required."""
    return cast(User, request.user)


def is_manager(request: HttpRequest, programme: Programme) -> bool:
    return console_role(user=user_of(request), programme=programme) == MANAGER


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "console/forbidden.html", {"message": MANAGERS_ONLY}, status=403)
