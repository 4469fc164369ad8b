"""The public, read-only API: programmes and cohorts with live availability.

Public means no authentication at all (not even a session lookup), so every
list costs the same queries for anyone. Errors are JSON {"message", "code"}
(portal.api_errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import APIException, NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api_errors import ApiErrorSerializer
from portal.paging import CountingPaginator

from ..catalogue_cache import kept_data
from ..models import Cohort, Programme
from ..selectors import cohort_list_public, programme_detail_public, programme_list_public
from .filters import CohortFilter, ProgrammeFilter
from .serializers import CohortSerializer, ProgrammeDetailSerializer, ProgrammeSerializer

INVALID_PAGE = "There is no page with that number."
NO_SUCH_PROGRAMME = "There is no published programme with that slug."
NO_SUCH_COHORT = "There is no cohort of a published programme with that id."


class InvalidPage(APIException):
    status_code = 400
    default_detail = INVALID_PAGE
    default_code = "invalid_page"


class PublicPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            # Larger sizes are served as max_page_size rows, not refused.
            self.page_size_query_param: {
                "minimum": 1,
                "maximum": self.max_page_size,
                "default": self.page_size,
            },
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        # A page beyond the end, or not a number, is the caller's mistake: 400
        # with a message rather than DRF's 404, which reads like a missing URL.
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise InvalidPage from exc


class ProgrammePagination(PublicPagination):
    # The page query counts the programmes too (portal.paging): a search's match runs
    # once. Not for cohorts, whose list walks a start-date index and stops at the page.
    django_paginator_class = CountingPaginator


class KeptAnswers:
    """Answers kept under the catalogue version (programmes.catalogue_cache): a list or a
    programme is the same for every caller, so while the catalogue holds it costs one read.
    Errors are raised, never kept. Mixed into public GenericAPIViews before the DRF class.
    An answer that shows no places left or waiting lists says so (shows_places = False) and
    is then kept across bookings that do not fill or free up a cohort."""

    shows_places = True

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._kept(request, super().list, *args, **kwargs)  # type: ignore[misc]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._kept(request, super().retrieve, *args, **kwargs)  # type: ignore[misc]

    def _kept(
        self, request: Request, answer: Callable[..., Response], *args: Any, **kwargs: Any
    ) -> Response:
        def make() -> Any:
            return _plain(answer(request, *args, **kwargs).data)

        name = (type(self).__name__, request.accepted_renderer.format)
        return Response(kept_data(request, name, make, shows_places=self.shows_places))


def _plain(data: Any) -> Any:
    # Serializer output holds its serializer (ReturnDict, ReturnList); keep only the values.
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return data


@extend_schema(summary="List published programmes", tags=["programmes"])
class ProgrammeListView(KeptAnswers, generics.ListAPIView[Programme]):
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = ProgrammePagination
    serializer_class = ProgrammeSerializer
    shows_places = False  # only whether a programme has a place (places_available)
    filterset_class = ProgrammeFilter

    def get_queryset(self) -> QuerySet[Programme]:
        return programme_list_public()


@extend_schema(summary="One published programme with its cohorts", tags=["programmes"])
class ProgrammeDetailView(KeptAnswers, generics.RetrieveAPIView[Programme]):
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = PublicPagination
    serializer_class = ProgrammeDetailSerializer
    lookup_field = "slug"

    def get_object(self) -> Programme:
        try:
            return programme_detail_public(slug=self.kwargs["slug"], with_rules=False)
        except Programme.DoesNotExist as exc:
            raise NotFound(NO_SUCH_PROGRAMME) from exc


@extend_schema(
    summary="List cohorts of published programmes with availability",
    tags=["cohorts"],
    parameters=[OpenApiParameter("programme", str, description="A programme's slug.")],
)
class CohortListView(KeptAnswers, generics.ListAPIView[Cohort]):
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = PublicPagination
    serializer_class = CohortSerializer
    filterset_class = CohortFilter

    def get_queryset(self) -> QuerySet[Cohort]:
        return cohort_list_public()


@extend_schema(
    summary="One cohort of a published programme, with availability",
    tags=["cohorts"],
    responses={200: CohortSerializer, 404: ApiErrorSerializer},
)
class CohortDetailView(generics.RetrieveAPIView[Cohort]):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = CohortSerializer

    def get_object(self) -> Cohort:
        # The same selector as the list, so a cohort reads the same in both.
        cohort = cohort_list_public().filter(pk=self.kwargs["pk"]).first()
        if cohort is None:
            raise NotFound(NO_SUCH_COHORT)
        return cohort
