"""A programme's team: who is in it, adding someone, changing a role, removing someone.

Everyone in the team may see the list; only managers and site administrators
change it. The services (programmes/services/team.py) lock the programme, so a
programme never ends up without a manager, however many people act at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from pages.navigation import remember_areas
from programmes.errors import (
    LAST_MANAGER,
    MEMBER_GONE,
    AlreadyInTeam,
    LastManager,
    MemberGone,
    NoAccount,
)
from programmes.models import Programme, ProgrammeTeamMember
from programmes.services.team import (
    team_member_add,
    team_member_change_role,
    team_member_remove,
    team_member_reports_set,
)

from ..forms.team import ROLE_CHOICES, ROLE_NAMES, ROLE_REQUIRED, TeamAddForm, TeamRoleForm
from ..permissions import MANAGER
from ..selectors import console_programme, console_role, programme_team
from .access import forbidden, user_of
from .programmes import CANNOT_CHANGE, MANAGERS_ONLY

ADDED = _("%(email)s is now in the team as %(role)s. We have emailed them to say so.")
ROLE_CHANGED = _("%(name)s is now %(role)s.")
REMOVED = _("%(name)s is no longer in the programme's team.")
REPORTS_GIVEN = _("%(name)s can now see the programme's reports.")
REPORTS_TAKEN = _("%(name)s can no longer see the programme's reports.")
YOU_LEFT = _("You are no longer in the team of %(programme)s.")


def _access(request: HttpRequest, pk: int) -> tuple[Programme, bool]:
    programme = console_programme(user=user_of(request), pk=pk)
    return programme, console_role(user=user_of(request), programme=programme) == MANAGER


def _member(programme: Programme, member_pk: int) -> ProgrammeTeamMember | None:
    return (
        ProgrammeTeamMember.objects.select_related("user", "programme")
        .filter(programme=programme, pk=member_pk)
        .first()
    )


def render_team(
    request: HttpRequest,
    programme: Programme,
    *,
    can_manage: bool,
    add_form: TeamAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(programme_team(programme=programme))
    managers = sum(1 for member in members if member.role == MANAGER and member.user.is_active)
    context: dict[str, Any] = {
        "programme": programme,
        "members": [
            {
                "member": member,
                "role_name": ROLE_NAMES.get(member.role, member.role),
                # The last manager cannot be demoted or removed: say so, offer neither.
                "is_last_manager": member.role == MANAGER and managers <= 1,
                "is_you": member.user_id == request.user.pk,
            }
            for member in members
        ],
        "can_manage": can_manage,
        "add_form": add_form or (TeamAddForm() if can_manage else None),
        "role_choices": ROLE_CHOICES,
    }
    return render(request, "console/team.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    """The team; a POST adds someone."""
    programme, can_manage = _access(request, pk)
    if request.method != "POST":
        return render_team(request, programme, can_manage=can_manage)
    if not can_manage:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    form = TeamAddForm(request.POST)
    if not form.is_valid():
        return render_team(request, programme, can_manage=True, add_form=form, status=400)
    try:
        member = team_member_add(
            programme=programme,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=user_of(request),
        )
    except (NoAccount, AlreadyInTeam) as error:
        form.add_error("email", str(error))
        return render_team(request, programme, can_manage=True, add_form=form, status=409)
    messages.success(
        request,
        ADDED % {"email": member.user.email, "role": str(ROLE_NAMES[member.role]).lower()},
    )
    return redirect("manage:team", pk=pk)


def _refused(request: HttpRequest, programme: Programme, message: str) -> HttpResponse:
    messages.error(request, message)
    return render_team(request, programme, can_manage=True, status=409)


@require_POST
@login_required
def team_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    programme, can_manage = _access(request, pk)
    if not can_manage:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    member = _member(programme, member_pk)
    if member is None:
        return _refused(request, programme, str(MEMBER_GONE))
    form = TeamRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, ROLE_REQUIRED)
        return render_team(request, programme, can_manage=True, status=400)
    try:
        changed = team_member_change_role(
            member=member, role=form.cleaned_data["role"], by=user_of(request)
        )
    except (LastManager, MemberGone) as error:
        return _refused(request, programme, str(error))
    name = changed.user.get_full_name()
    messages.success(
        request, ROLE_CHANGED % {"name": name, "role": str(ROLE_NAMES[changed.role]).lower()}
    )
    return redirect("manage:team", pk=pk)


@require_POST
@login_required
def team_reports(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Give a member the reports ("reports=1") or take them away ("reports=0")."""
    programme, can_manage = _access(request, pk)
    if not can_manage:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    member = _member(programme, member_pk)
    if member is None:
        return _refused(request, programme, str(MEMBER_GONE))
    choice = request.POST.get("reports")
    if choice not in ("0", "1"):
        return render_team(request, programme, can_manage=True, status=400)
    try:
        changed = team_member_reports_set(
            member=member, can_see_reports=choice == "1", by=user_of(request)
        )
    except MemberGone as error:
        return _refused(request, programme, str(error))
    message = REPORTS_GIVEN if changed.can_see_reports else REPORTS_TAKEN
    messages.success(request, message % {"name": changed.user.get_full_name()})
    return redirect("manage:team", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """GET asks "are you sure?"; the POST from that page removes the person."""
    programme, can_manage = _access(request, pk)
    if not can_manage:
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    member = _member(programme, member_pk)
    if member is None:
        if request.method != "POST":
            raise Http404
        # A second press of the button, or a page left open after someone else acted.
        return _refused(request, programme, str(MEMBER_GONE))
    if request.method != "POST":
        return render(
            request,
            "console/team_remove.html",
            {
                "programme": programme,
                "member": member,
                "role_name": ROLE_NAMES.get(member.role, member.role),
                "is_you": member.user_id == request.user.pk,
                # Said before the button is pressed; the service refuses it anyway.
                "is_last_manager": member.role == MANAGER
                and not programme.team.filter(role=MANAGER, user__is_active=True)
                .exclude(pk=member.pk)
                .exists(),
                "last_manager": LAST_MANAGER,
            },
        )
    try:
        team_member_remove(member=member, by=user_of(request))
    except (LastManager, MemberGone) as error:
        return _refused(request, programme, str(error))
    user = user_of(request)
    if member.user_id == user.pk and not user.is_superuser:
        # They have just left: the console is no longer theirs, nor the header's link.
        remember_areas(sender=None, request=request, user=user)
        messages.success(request, YOU_LEFT % {"programme": programme.title})
        return redirect("manage:programmes")
    messages.success(request, REMOVED % {"name": member.user.get_full_name()})
    return redirect("manage:team", pk=pk)
