"""A programme's resources in the console: the list, adding, editing, publishing, retiring.

The programme's team may look; only its managers (and site administrators) change
anything. Every change is in the programme's history (django-auditlog).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes.models import Programme
from resources.errors import CannotPublish, FileRefused, StaleResource
from resources.models import Resource
from resources.services import (
    resource_create,
    resource_publish,
    resource_retire,
    resource_unretire,
    resource_update,
)

from ..forms.resources import PUBLISH, RETIRE, ResourceForm, StatusForm
from ..permissions import MANAGER, programmes_for
from ..selectors import console_programme
from .access import forbidden, is_manager, user_of

CANNOT_CHANGE = _("You cannot change this programme's resources")
MANAGERS_ONLY = _("Only the programme's managers can add, change, publish or retire resources.")
ADDED = _("The resource is saved as a draft. Publish it when it is ready.")
SAVED = _("Your changes are saved.")
PUBLISHED = _("The resource is published.")
RETIRED = _("The resource is retired: nobody can find or open it any more.")
DRAFTED = _("The resource is a draft again.")
CHOOSE_ACTION = _("Choose whether to publish the resource, retire it or make it a draft again.")


def _managed(request: HttpRequest) -> QuerySet[Programme]:
    return programmes_for(user=user_of(request), roles=(MANAGER,))


@require_GET
@login_required
def resource_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk, details=False)
    resources = list(
        Resource.objects.filter(programme=programme)
        .prefetch_related("programmes")
        .order_by("status", "-published_on", "title", "pk")
    )
    return render(
        request,
        "console/resources.html",
        {
            "programme": programme,
            "resources": resources,
            "can_manage": is_manager(request, programme),
        },
    )


def _render_form(
    request: HttpRequest,
    form: ResourceForm,
    *,
    programme: Programme,
    resource: Resource | None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    return render(
        request,
        "console/resource_form.html",
        {"form": form, "programme": programme, "resource": resource, "stale": stale},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def resource_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk, details=False)
    if not is_manager(request, programme):
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    managed = _managed(request)
    if request.method != "POST":
        form = ResourceForm(owner=programme, managed=managed)
        return _render_form(request, form, programme=programme, resource=None)
    form = ResourceForm(request.POST, request.FILES, owner=programme, managed=managed)
    if not form.is_valid():
        return _render_form(request, form, programme=programme, resource=None, status=400)
    try:
        resource_create(
            programme=programme,
            data=form.changes(),
            topics=form.cleaned_data["topics_chosen"],
            also_programmes=form.cleaned_data["also_programmes"],
            upload=form.cleaned_data.get("upload"),
            by=user_of(request),
        )
    except FileRefused as error:
        form.add_error("upload", str(error))
        return _render_form(request, form, programme=programme, resource=None, status=400)
    messages.success(request, ADDED)
    return redirect("manage:resources", pk=programme.pk)


def _console_resource(request: HttpRequest, pk: int) -> Resource:
    resource = (
        Resource.objects.filter(pk=pk, programme__in=programmes_for(user=user_of(request)))
        .select_related("programme")
        .prefetch_related("programmes")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


@require_http_methods(["GET", "POST"])
@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _console_resource(request, pk)
    programme = resource.programme
    if not is_manager(request, programme):
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    managed = _managed(request)
    if request.method != "POST":
        form = ResourceForm(instance=resource, owner=programme, managed=managed)
        return _render_form(request, form, programme=programme, resource=resource)
    form = ResourceForm(
        request.POST, request.FILES, instance=Resource.objects.get(pk=resource.pk),
        owner=programme, managed=managed,
    )  # fmt: skip
    if not form.is_valid():
        return _render_form(request, form, programme=programme, resource=resource, status=400)
    # Programmes this person does not manage stay as they are: they cannot see them here.
    kept = [p for p in resource.programmes.all() if p.pk != programme.pk and p not in managed]
    try:
        resource_update(
            resource=resource,
            data=form.changes(),
            topics=form.cleaned_data["topics_chosen"],
            also_programmes=[*form.cleaned_data["also_programmes"], *kept],
            upload=form.cleaned_data.get("upload"),
            seen_updated_at=form.cleaned_data["updated_at"],
            by=user_of(request),
        )
    except StaleResource as error:
        form.add_error(None, str(error))
        return _render_form(
            request, form, programme=programme, resource=resource, status=409, stale=True
        )
    except FileRefused as error:
        form.add_error("upload", str(error))
        return _render_form(request, form, programme=programme, resource=resource, status=400)
    messages.success(request, SAVED)
    return redirect("manage:resources", pk=programme.pk)


@require_POST
@login_required
def resource_status(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _console_resource(request, pk)
    if not is_manager(request, resource.programme):
        return forbidden(request, MANAGERS_ONLY, title=CANNOT_CHANGE)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "console/forbidden.html",
            {"title": CANNOT_CHANGE, "message": CHOOSE_ACTION},
            status=400,
        )
    action, by = form.cleaned_data["action"], user_of(request)
    try:
        if action == PUBLISH:
            resource_publish(resource=resource, by=by)
            messages.success(request, PUBLISHED)
        elif action == RETIRE:
            resource_retire(resource=resource, by=by)
            messages.success(request, RETIRED)
        else:
            resource_unretire(resource=resource, by=by)
            messages.success(request, DRAFTED)
    except CannotPublish as error:
        messages.error(request, str(error))
    return redirect("manage:resources", pk=resource.programme_id)
