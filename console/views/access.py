"""The checks every console view makes, in one place.

Signed in, or off to sign in. Then the cohort or application must belong to a
programme the user works on, else 404 (never 403: nobody learns what exists
elsewhere). Then, for changes to places and for invitations, the user must be a
manager, else `forbidden()`: the console's one 403 page, which says why.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import Programme

from ..permissions import MANAGER
from ..selectors import console_role

CANNOT_DO_THIS = _("You cannot do this")
MANAGERS_ONLY = _("Only the programme team can make offers or change places. Screeners can screen.")


def user_of(request: HttpRequest) -> User:
    """The signed-in user; every console view is behind login_required."""
    return cast(User, request.user)


def is_manager(request: HttpRequest, programme: Programme) -> bool:
    return console_role(user=user_of(request), programme=programme) == MANAGER


def forbidden(
    request: HttpRequest,
    message: str | Promise = MANAGERS_ONLY,
    *,
    title: str | Promise = CANNOT_DO_THIS,
) -> HttpResponse:
    """The 403 page for a team member who may look but not do this: says why."""
    return render(
        request, "console/forbidden.html", {"title": title, "message": message}, status=403
    )
