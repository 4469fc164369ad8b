"""The peer network pages, under /account/network/: participants only.

Anyone who is not a participant of the programme (enrolled or completed) gets 404,
the programme's team included: the team sees only who has joined, in the console.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User

from .errors import NotAParticipant
from .forms import NetworkProfileForm, NetworkSearchForm
from .models import NetworkProfile
from .selectors import (
    Membership,
    network_members,
    network_membership,
    network_profiles_left_behind,
    network_programmes,
)
from .services import network_opt_in, network_opt_out

JOINED = _("You have joined the peer network. Your peers can now see your profile.")
SAVED = _("Your profile is saved.")
LEFT = _("You have left the peer network. Your profile has been deleted.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _membership(request: HttpRequest, slug: str) -> Membership:
    membership = network_membership(user=_user(request), slug=slug)
    if membership is None:
        raise Http404
    return membership


@require_GET
@login_required
def network_index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "network/index.html",
        {
            "programmes": network_programmes(user=user),
            "left_behind": network_profiles_left_behind(user=user),
        },
    )


@require_GET
@login_required
def network_programme(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug)
    if membership.profile is None:
        return render(
            request,
            "network/join.html",
            {
                "programme": membership.programme,
                "form": NetworkProfileForm(initial=NetworkProfileForm.initial_for(_user(request))),
            },
        )
    search = NetworkSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    alumni = bool(filters.get("alumni")) and membership.profile.see_alumni
    authority = filters.get("local_authority")
    members = list(
        network_members(
            membership=membership,
            alumni=alumni,
            local_authority_id=authority.pk if authority else None,
            region=filters.get("region") or "",
            role=filters.get("role") or "",
        )
    )
    return render(
        request,
        "network/members.html",
        {
            "programme": membership.programme,
            "profile": membership.profile,
            "search": search,
            "members": members,
            "alumni": alumni,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def network_profile(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug)
    instance = membership.profile or NetworkProfile(
        user=_user(request), programme=membership.programme
    )
    if request.method != "POST":
        initial = None if membership.profile else NetworkProfileForm.initial_for(_user(request))
        form = NetworkProfileForm(instance=instance, initial=initial)
        return render(
            request, "network/join.html", {"programme": membership.programme, "form": form}
        )
    form = NetworkProfileForm(request.POST, instance=instance)
    if not form.is_valid():
        return render(
            request,
            "network/join.html",
            {"programme": membership.programme, "form": form},
            status=400,
        )
    try:
        network_opt_in(user=_user(request), programme=membership.programme, data=form.changes())
    except NotAParticipant as error:
        messages.error(request, str(error))
        raise Http404 from error
    messages.success(request, SAVED if membership.profile else JOINED)
    return redirect("network:programme", slug=slug)


@require_POST
@login_required
def network_leave(request: HttpRequest, slug: str) -> HttpResponse:
    # Leaving works for anyone with a profile, a person who has since withdrawn included:
    # their data must always be theirs to remove.
    profile = (
        NetworkProfile.objects.filter(user=_user(request), programme__slug=slug)
        .select_related("programme")
        .first()
    )
    if profile is None:
        raise Http404
    network_opt_out(user=_user(request), programme=profile.programme)
    messages.success(request, LEFT)
    return redirect("network:index")
