"""The team's own work on an application: notes, and who it is assigned to.

Screeners and managers may both do these: sharing out and discussing screening is
the whole team's work, and neither changes a place or a state.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.services.assignment import AssignmentRefused, application_assign, person_label
from applications.services.notes import NoteRefused, application_note_add

from ..forms.notes import AssignForm, NoteForm
from ..selectors import assignable_team, console_application
from .access import user_of
from .screening import render_application


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = console_application(user=user_of(request), pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, note_form=form, status=400)
    try:
        application_note_add(
            application=application, text=form.cleaned_data["text"], by=user_of(request)
        )
    except NoteRefused as error:
        form.add_error("text", str(error))
        return render_application(request, application, note_form=form, status=409)
    messages.success(request, _("Note added."))
    return redirect(reverse("manage:application", args=[pk]) + "#notes")


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = console_application(user=user_of(request), pk=pk)
    team = assignable_team(programme=application.cohort.programme)
    form = AssignForm(request.POST, team=team)
    if not form.is_valid():
        return render_application(request, application, assign_form=form, team=team, status=400)
    person = form.person()
    try:
        application_assign(application=application, to=person, by=user_of(request))
    except AssignmentRefused as error:
        form.add_error("assigned_to", str(error))
        return render_application(request, application, assign_form=form, team=team, status=409)
    if person is None:
        messages.success(request, _("The application is not assigned to anyone now."))
    else:
        messages.success(request, _("Assigned to %(name)s.") % {"name": person_label(person)})
    return redirect(reverse("manage:application", args=[pk]) + "#assignment")
