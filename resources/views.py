"""The public resource library: the list, a resource's page, its file, and an Atom feed.

Everyone sees every published resource in the list, participants-only ones
tagged so; opening a participants-only one (its link or its file) needs a place,
enrolled or completed, on one of its programmes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import User
from programmes.filters import ActiveFilter, _without
from programmes.models import Audience

from .filters import ResourceFilter
from .models import Resource, ResourceKind, Topic
from .selectors import may_open, open_resources_newest, resource_detail_public, resource_list_public

PAGE_SIZE = 20
FEED_SIZE = 20

FOR_PARTICIPANTS = _(
    "This resource is for people taking part in, or who have completed, one of its programmes."
)


def _active_filters(filterset: ResourceFilter, params: Any) -> list[ActiveFilter]:
    filterset.errors  # noqa: B018 - validates the form, filling cleaned_data
    data = filterset.form.cleaned_data
    found = []
    if data.get("q"):
        found.append(ActiveFilter(_("Search: “%(q)s”") % {"q": data["q"]}, _without(params, "q")))
    for name, choices in (("topic", Topic), ("kind", ResourceKind), ("audience", Audience)):
        for value in data.get(name) or []:
            label = f"{filterset.filters[name].label}: {choices(value).label}"
            found.append(ActiveFilter(label, _without(params, name, value)))
    return found


@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    filterset = ResourceFilter(request.GET, queryset=resource_list_public())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "resources/resource_list.html",
        {
            "page": page,
            "form": filterset.form,
            "active_filters": _active_filters(filterset, request.GET),
        },
    )


def _published(pk: int) -> Resource:
    try:
        return resource_detail_public(pk=pk)
    except Resource.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _published(pk)
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "can_open": may_open(user=user, resource=resource),
            "for_participants": FOR_PARTICIPANTS,
        },
    )


@require_GET
def resource_file(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    resource = _published(pk)
    if not resource.has_file:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    if not may_open(user=user, resource=resource):
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "resources/resource_detail.html",
            {"resource": resource, "can_open": False, "for_participants": FOR_PARTICIPANTS},
            status=403,
        )
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=resource.original_name,
        content_type=resource.content_type,
    )
    # Participants-only files must not sit in a shared cache.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class OpenResourcesFeed(Feed):
    """New open resources, newest first. Participants-only ones are never in it."""

    feed_type = Atom1Feed
    title = _("New resources for leaders in children's services")
    subtitle = _("Guides, articles, videos and more, free for anyone to use.")

    def link(self) -> str:
        return reverse("resources:list")

    def items(self) -> list[Resource]:
        return list(open_resources_newest(limit=FEED_SIZE))

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        return item.summary

    def item_link(self, item: Resource) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Resource) -> dt.datetime | None:
        if item.published_on is None:
            return None
        return dt.datetime.combine(
            item.published_on, dt.time(9), tzinfo=timezone.get_current_timezone()
        )

    def item_updateddate(self, item: Resource) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Resource) -> list[str]:
        return item.topic_list


resource_feed = require_GET(OpenResourcesFeed())
