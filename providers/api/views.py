"""The provider API: a provider's own enrolments, by token only.

Everything goes through providers.scope with the token's provider, so another
provider's cohort is simply not found (404). `?format=csv` picks the CSV renderer;
the view then streams the same rows the page export writes.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.http import StreamingHttpResponse
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from programmes.api.views import PublicPagination
from programmes.models import Cohort, Programme

from ..exports import csv_chunks, export_filename
from ..models import ExportRecord, ProviderApiToken
from ..scope import ENROLMENT_STATES
from ..selectors import enrolment_rows, provider_cohort, provider_programme
from ..services import export_record
from .authentication import NO_TOKEN, HasProviderToken, ProviderTokenAuthentication
from .serializers import EnrolmentSerializer
from .throttling import ProviderTokenThrottle

NO_SUCH_COHORT = "There is no cohort with that id among your programmes."
NO_SUCH_PROGRAMME = "There is no programme with that slug among your programmes."
PROGRAMME_REQUIRED = "Say which programme: ?programme=<slug>."
BAD_UPDATED_SINCE = "updated_since must be a date and time such as 2026-01-31T09:00:00Z."
BAD_STATUS = "status must be one of: " + ", ".join(s.value for s in ENROLMENT_STATES) + "."


class EnrolmentCSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; the view streams the body itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        return b""


EXAMPLE = {
    "id": 4812,
    "full_name": "Amira Khan",
    "email": "amira.khan@example.org",
    "job_title": "Head of service, children's social care",
    "employer": "Cardiff Council",
    "local_authority": "Cardiff",
    "nation": "Wales",
    "enrolled_at": "2026-02-03T10:15:00Z",
    "status": "enrolled",
    "status_label": "Enrolled",
    "accreditation": "ILM Level 7 Certificate",
    "programme": "ipc-commissioning",
    "cohort_id": 31,
    "cohort": "Spring 2026",
    "updated_at": "2026-02-03T10:15:00Z",
}
PAGE_EXAMPLE = OpenApiExample(
    "A page of enrolments",
    value={"count": 1, "next": None, "previous": None, "results": [EXAMPLE]},
    response_only=True,
    status_codes=["200"],
)
ERROR_EXAMPLE = OpenApiExample(
    "Not found",
    value={"message": NO_SUCH_COHORT, "code": "not_found"},
    response_only=True,
    status_codes=["404"],
)
COMMON_PARAMETERS = [
    OpenApiParameter(
        "format",
        str,
        enum=["json", "csv"],
        description="csv for a UTF-8 CSV (with a BOM for Excel) of every matching row, "
        "unpaginated.",
    ),
    OpenApiParameter(
        "status",
        str,
        enum=[s.value for s in ENROLMENT_STATES],
        description="Only enrolments in this state.",
    ),
]
RESPONSES = {
    (200, "application/json"): EnrolmentSerializer(many=True),
    (200, "text/csv"): OpenApiTypes.STR,
    # The errors (400, 401, 403, 404, 406, 429) come from portal.api_schema.
}


class EnrolmentListBase(generics.ListAPIView[Any]):
    authentication_classes = [ProviderTokenAuthentication]
    permission_classes = [HasProviderToken]
    throttle_classes = [ProviderTokenThrottle]
    renderer_classes = [JSONRenderer, EnrolmentCSVRenderer]
    pagination_class = PublicPagination
    serializer_class = EnrolmentSerializer
    filter_backends: list[Any] = []

    cohort: Cohort | None = None
    programme: Programme | None = None

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        # Errors are always JSON {"message", "code"}, even when CSV was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def permission_denied(self, request: Any, message: Any = None, code: Any = None) -> NoReturn:
        # DRF's own "credentials were not provided" does not say how to send them.
        raise NotAuthenticated(NO_TOKEN)

    def status_filter(self) -> str | None:
        status = self.request.query_params.get("status") or None
        if status is not None and status not in ENROLMENT_STATES:
            raise ValidationError({"status": [BAD_STATUS]})
        return status

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        rows = self.get_queryset()
        token = request.auth if isinstance(request.auth, ProviderApiToken) else None
        provider = request.user.provider  # type: ignore[union-attr]
        if request.accepted_renderer.format == "csv":
            export_record(
                provider=provider,
                fmt="csv",
                via=ExportRecord.Via.API,
                row_count=rows.count(),
                token=token,
                cohort=self.cohort,
                programme=self.programme,
            )
            programme = self.cohort.programme if self.cohort else self.programme
            filename = export_filename(
                programme=programme.slug,  # type: ignore[union-attr]
                cohort=self.cohort.name if self.cohort else None,
                fmt="csv",
            )
            response = StreamingHttpResponse(
                csv_chunks(rows.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        page = self.paginate_queryset(rows)
        export_record(
            provider=provider,
            fmt="json",
            via=ExportRecord.Via.API,
            row_count=len(page or []),
            token=token,
            cohort=self.cohort,
            programme=self.programme,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(
    summary="Enrolments of one of your cohorts",
    description="Everyone enrolled on the cohort (enrolled, completed or did not complete), "
    "oldest change first. Needs a provider token; another provider's cohort is 404.",
    tags=["provider"],
    parameters=COMMON_PARAMETERS,
    responses=RESPONSES,
    examples=[PAGE_EXAMPLE, ERROR_EXAMPLE],
)
class CohortEnrolmentsView(EnrolmentListBase):
    def get_queryset(self) -> Any:
        provider = self.request.user.provider  # type: ignore[union-attr]
        try:
            self.cohort = provider_cohort(provider=provider, pk=self.kwargs["pk"])
        except Cohort.DoesNotExist as exc:
            raise NotFound(NO_SUCH_COHORT) from exc
        return enrolment_rows(provider=provider, cohort=self.cohort, status=self.status_filter())


@extend_schema(
    summary="Enrolments of one of your programmes, for incremental sync",
    description="Every enrolment on the programme's cohorts, oldest change first. Pass "
    "updated_since with the updated_at of the last row you stored to get only what changed.",
    tags=["provider"],
    parameters=[
        OpenApiParameter("programme", str, required=True, description="The programme's slug."),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.DATETIME,
            description="Only enrolments changed at or after this time (ISO 8601).",
            examples=[OpenApiExample("since", value="2026-01-31T09:00:00Z")],
        ),
        *COMMON_PARAMETERS,
    ],
    responses=RESPONSES,
    examples=[PAGE_EXAMPLE],
)
class EnrolmentSyncView(EnrolmentListBase):
    def get_queryset(self) -> Any:
        provider = self.request.user.provider  # type: ignore[union-attr]
        params = self.request.query_params
        slug = params.get("programme")
        if not slug:
            raise ValidationError({"programme": [PROGRAMME_REQUIRED]})
        since = None
        if params.get("updated_since"):
            try:
                since = parse_datetime(params["updated_since"])
            except ValueError:
                since = None
            if since is None:
                raise ValidationError({"updated_since": [BAD_UPDATED_SINCE]})
            if is_naive(since):
                since = make_aware(since)
        try:
            self.programme = provider_programme(provider=provider, slug=slug)
        except Programme.DoesNotExist as exc:
            raise NotFound(NO_SUCH_PROGRAMME) from exc
        return enrolment_rows(
            provider=provider,
            programme=self.programme,
            status=self.status_filter(),
            updated_since=since,
        )
