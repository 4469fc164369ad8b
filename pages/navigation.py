"""Which staff areas the site header links to, worked out once at sign-in.

Every page shows the header, so asking the database on each request would add a
query to every page. The areas are stored in the session when the person signs
in; access itself is still checked by every console and provider view, so a
stale link can only lead to a 404 or 403, never into an area.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from programmes.models import ProgrammeTeamMember, ProviderMembership

SESSION_KEY = "nav_areas"
CONSOLE, PROVIDER = "console", "provider"


def areas_for(user: User) -> list[str]:
    areas = []
    if user.is_superuser or ProgrammeTeamMember.objects.filter(user=user).exists():
        areas.append(CONSOLE)
    if ProviderMembership.objects.filter(user=user).exists():
        areas.append(PROVIDER)
    return areas


def remember_areas(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = areas_for(user)
        privileged_session_keep_alive(request, user)


# A privileged session's idle deadline is pushed on at most this often, so that keeping
# it alive costs a session write a minute rather than one per request.
_TOUCH_EVERY_SECONDS = 60
_TOUCHED = "privileged_touched_at"


def privileged_session_keep_alive(request: HttpRequest, user: Any) -> None:
    """Staff, screeners, provider staff and administrators are signed out after
    PRIVILEGED_SESSION_IDLE_SECONDS without a request; applicants keep the usual age.

    Their sessions can reach other people's data and are more often on shared office
    machines. The roles come from the session, so this costs no query. Called at
    sign-in (starting the clock) and by portal.middleware on every request.
    """
    if not (user.is_superuser or request.session.get(SESSION_KEY)):
        return
    now = int(timezone.now().timestamp())
    if now - request.session.get(_TOUCHED, 0) >= _TOUCH_EVERY_SECONDS:
        request.session[_TOUCHED] = now
        request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)


def console_area_seen(request: HttpRequest, *, present: bool) -> None:
    """Correct the header's console link from what a console page has just found out.

    A person added to a team or removed from one keeps the areas worked out at
    sign-in; a console page that knows (at no extra cost) whether they are in any
    team puts the link right for their next page. The session is written only
    when the answer changed.
    """
    if not hasattr(request, "session"):
        return
    areas = list(request.session.get(SESSION_KEY, []))
    if (CONSOLE in areas) == present:
        return
    request.session[SESSION_KEY] = (
        [*areas, CONSOLE] if present else [area for area in areas if area != CONSOLE]
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: `nav_areas`, read from the session (no query of its own)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": []}
    return {"nav_areas": request.session.get(SESSION_KEY, [])}
