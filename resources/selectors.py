"""Reads of the resource library, and the one rule for who may open a resource."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.models import User
from applications.lifecycle import PARTICIPANT
from applications.models import Application
from programmes.models import Programme, ProgrammeTeamMember
from programmes.selectors import SEARCH_CONFIG, SEARCH_MAX_LENGTH

from .models import Resource, ResourceStatus, Visibility


def resource_list_public() -> QuerySet[Resource]:
    """Published resources with their programmes: two queries for any number of rows
    (plus the paginator's count)."""
    return (
        Resource.objects.published()
        # EXISTS, not a JOIN, so a resource of two programmes is still one row.
        .filter(Exists(Programme.objects.filter(resources=OuterRef("pk"), is_published=True)))
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.published().order_by("title"))
        )
    )


def resource_search(*, resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """Resources matching `query`, annotated with `rank` (higher is better).

    PostgreSQL: full-text search, the title weighted above the summary, in the same
    English configuration as the directory. Elsewhere (SQLite in development): every
    word must appear in the title or summary.
    """
    query = " ".join(query.split())[:SEARCH_MAX_LENGTH]
    if not query:
        return resources.annotate(rank=Value(0.0, output_field=FloatField()))
    if connections[resources.db].vendor == "postgresql":
        vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "summary", weight="B", config=SEARCH_CONFIG
        )
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            resources.alias(search=vector)
            .filter(search=search_query)
            .annotate(rank=SearchRank(F("search"), search_query))
        )
    rank: Any = Value(0)
    for word in query.split()[:10]:
        in_title = Q(title__icontains=word)
        resources = resources.filter(in_title | Q(summary__icontains=word))
        rank = rank + Case(When(in_title, then=Value(2)), default=Value(1))
    return resources.annotate(rank=ExpressionWrapper(rank, output_field=FloatField()))


def resource_detail_public(*, pk: int) -> Resource:
    """A published resource with its programmes. Raises Resource.DoesNotExist."""
    return resource_list_public().get(pk=pk)


def may_open(*, user: User, resource: Resource) -> bool:
    """Open resources: anyone. Participants-only: a participant of one of its programmes,
    or a member of the team of one of them (they look after it), or a site administrator.

    `resource.programmes` should be prefetched; this makes at most one more query.
    """
    if resource.status != ResourceStatus.PUBLISHED:
        return False
    if resource.visibility == Visibility.OPEN:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    ids = [programme.pk for programme in resource.programmes.all()]
    if not ids:
        return False
    participant = Application.objects.filter(
        applicant=user, state__in=PARTICIPANT, cohort__programme_id__in=ids
    )
    team = ProgrammeTeamMember.objects.filter(user=user, programme_id__in=ids)
    # One query: either right is enough.
    return User.objects.filter(pk=user.pk).filter(Exists(participant) | Exists(team)).exists()


def programme_resources(*, programme: Programme) -> QuerySet[Resource]:
    """The programme's published resources, newest first: for its public page."""
    return programme.resources.filter(status=ResourceStatus.PUBLISHED)


def open_resources_newest(*, limit: int) -> QuerySet[Resource]:
    """The newest published open resources, for the feed."""
    return (
        resource_list_public()
        .filter(visibility=Visibility.OPEN)
        .order_by("-published_on", "-pk")[:limit]
    )
