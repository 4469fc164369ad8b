"""Who has joined a programme's peer network: names only, for its managers.

What participants share with each other (job, employer, email, what they can help
with) is theirs and their peers'; the programme's team sees only who has joined.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from network.selectors import network_names_for_staff

from ..selectors import console_programme
from .access import forbidden, is_manager, user_of

MANAGERS_ONLY = _("Only the programme's managers can see who has joined its peer network.")
CANNOT_SEE = _("You cannot see this")


@require_GET
@login_required
def network_names(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk, details=False)
    if not is_manager(request, programme):
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_SEE)
    return render(
        request,
        "console/network.html",
        {"programme": programme, "names": network_names_for_staff(programme=programme)},
    )
