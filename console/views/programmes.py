"""A programme in the console: the list, its page, editing, preview, publishing, creating.

Anyone in the programme's team may look (screeners included); only its managers
and site administrators may change it, and only site administrators create
programmes. People outside the team get 404, as everywhere in the console.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pages.navigation import console_area_seen
from programmes.errors import CannotPublish, NoAccount, SlugTaken, StaleProgramme
from programmes.models import Programme
from programmes.selectors import ACCEPTING_STATUSES, programme_detail_preview
from programmes.services.programmes import (
    programme_create as programme_create_service,
)
from programmes.services.programmes import (
    programme_publish as programme_publish_service,
)
from programmes.services.programmes import programme_update
from programmes.views import render_programme_page

from ..forms.programmes import (
    ADMISSION_MODE_FIXED,
    PUBLISH,
    SLUG_FIXED,
    ProgrammeCreateForm,
    ProgrammeForm,
    PublishForm,
)
from ..forms.team import ROLE_NAMES
from ..history import history_of_programme
from ..permissions import MANAGER
from ..selectors import console_programme, console_role, programme_cohorts, programmes_for_console
from .access import forbidden, user_of

CANNOT_CHANGE = _("You cannot change this programme")
MANAGERS_ONLY = _(
    "Only the programme's managers can edit it, publish it or change its team. "
    "Screeners can look at the programme and screen its applications."
)
CANNOT_CREATE = _("You cannot create programmes")
ADMINS_ONLY = _(
    "Only site administrators create programmes. Ask one to create the programme and make "
    "you its manager."
)
SITE_ADMINISTRATOR = _("Site administrator")
SAVED = _("Your changes are saved.")
NOTHING_CHANGED = _("You did not change anything, so nothing was saved.")
PUBLISHED = _("The programme is published: anyone can find it in the directory.")
UNPUBLISHED = _(
    "The programme is no longer published: it is gone from the directory and nobody can apply."
)
CHOOSE_PUBLISH = _("Choose whether to publish or unpublish the programme.")
CREATED = _(
    "%(title)s is created, unpublished. We have emailed %(email)s to say they are its manager."
)


def _can_manage(request: HttpRequest, programme: Programme) -> bool:
    return console_role(user=user_of(request), programme=programme) == MANAGER


@require_GET
@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    programmes = list(programmes_for_console(user=user))
    # The page knows for free whether the person is still in any team, so it puts the
    # header's link right; see pages/navigation.py.
    console_area_seen(request, present=bool(programmes) or user.is_superuser)
    rows = [
        (programme, ROLE_NAMES.get(programme.my_role, SITE_ADMINISTRATOR))  # type: ignore[attr-defined]
        for programme in programmes
    ]
    return render(
        request, "console/programme_list.html", {"rows": rows, "can_create": user.is_superuser}
    )


def render_programme(
    request: HttpRequest, programme: Programme, *, can_manage: bool, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "console/programme_detail.html",
        {
            "programme": programme,
            "cohorts": list(programme_cohorts(programme=programme)),
            "can_manage": can_manage,
            "history": history_of_programme(programme=programme),
        },
        status=status,
    )


@require_GET
@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk)
    console_area_seen(request, present=True)
    return render_programme(request, programme, can_manage=_can_manage(request, programme))


def _render_form(
    request: HttpRequest,
    form: ProgrammeForm,
    *,
    programme: Programme | None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "programme": programme,
        "stale": stale,
        "slug_fixed": SLUG_FIXED,
        "admission_mode_fixed": ADMISSION_MODE_FIXED,
    }
    return render(request, "console/programme_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk)
    if not _can_manage(request, programme):
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    if request.method != "POST":
        return _render_form(request, ProgrammeForm(instance=programme), programme=programme)
    # The form fills in its own copy, so the page's heading keeps the saved title.
    form = ProgrammeForm(request.POST, instance=copy.copy(programme))
    if not form.is_valid():
        return _render_form(request, form, programme=programme, status=400)
    before = programme.updated_at
    try:
        saved = programme_update(
            programme=programme,
            data=form.changes(),
            providers=form.cleaned_data["providers"],
            seen_updated_at=form.cleaned_data["updated_at"],
            by=user_of(request),
        )
    except StaleProgramme as error:
        form.add_error(None, str(error))
        return _render_form(request, form, programme=programme, status=409, stale=True)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_form(request, form, programme=programme, status=400)
    messages.success(request, SAVED if saved.updated_at != before else NOTHING_CHANGED)
    return redirect("manage:programme", pk=pk)


@require_GET
@login_required
def programme_preview(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk)
    return render_programme_page(
        request, programme_detail_preview(programme_id=programme.pk), preview=True
    )


@require_POST
@login_required
def programme_publish(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk)
    if not _can_manage(request, programme):
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, CHOOSE_PUBLISH)
        return render_programme(request, programme, can_manage=True, status=400)
    publish = form.cleaned_data["action"] == PUBLISH
    if not publish and programme.is_published and not form.cleaned_data["confirm"]:
        open_cohorts = [
            cohort
            for cohort in programme_cohorts(programme=programme)
            if cohort.status in ACCEPTING_STATUSES  # type: ignore[attr-defined]
        ]
        if open_cohorts:
            return render(
                request,
                "console/programme_unpublish.html",
                {"programme": programme, "open_cohorts": open_cohorts},
            )
    try:
        programme_publish_service(programme=programme, publish=publish, by=user_of(request))
    except CannotPublish as error:
        messages.error(request, str(error))
        return render_programme(request, programme, can_manage=True, status=409)
    messages.success(request, PUBLISHED if publish else UNPUBLISHED)
    return redirect("manage:programme", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.is_superuser:
        return forbidden(request, ADMINS_ONLY, title=CANNOT_CREATE)
    if request.method != "POST":
        return _render_form(request, ProgrammeCreateForm(), programme=None)
    form = ProgrammeCreateForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, programme=None, status=400)
    data = form.cleaned_data
    try:
        programme = programme_create_service(
            data=form.changes(),
            providers=data["providers"],
            slug=data["slug"],
            admission_mode=data["admission_mode"],
            first_manager_email=data["first_manager"],
            by=user,
        )
    except NoAccount as error:
        form.add_error("first_manager", str(error))
        return _render_form(request, form, programme=None, status=409)
    except SlugTaken as error:
        form.add_error("slug", str(error))
        return _render_form(request, form, programme=None, status=409)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_form(request, form, programme=None, status=400)
    messages.success(request, CREATED % {"title": programme.title, "email": data["first_manager"]})
    return redirect("manage:programme", pk=programme.pk)
