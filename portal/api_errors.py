"""API errors are JSON with a human message and a machine code, whatever went wrong.

That covers DRF's own exceptions, Django's Http404 and PermissionDenied raised
inside a view, a `?format=` the API does not speak, and (through
`api_not_found`, the last pattern under /api/) URLs that match no endpoint.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

INVALID_VALUES = "The request has invalid values."
NO_SUCH_ENDPOINT = (
    "There is no API endpoint at this address. The endpoints are listed at /api/docs/."
)
NO_SUCH_FORMAT = "There is no “%(format)s” format: this API answers in JSON."


class ApiErrorSerializer(serializers.Serializer[Any]):
    """The body of every error response, for the OpenAPI schema."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # Declared here, not as attributes: a field called `errors` would hide
        # Serializer.errors.
        return {
            "message": serializers.CharField(help_text="What went wrong, in a sentence."),
            "code": serializers.CharField(help_text="A stable code for programs: not_found…"),
            "errors": serializers.DictField(
                required=False, help_text="For invalid values: the problems, by parameter."
            ),
        }


def _as_api_exception(exc: Exception, context: dict[str, Any]) -> Exception:
    """What DRF's handler turns Django's exceptions into, with a message worth reading."""
    if isinstance(exc, Http404):
        request = context.get("request")
        wanted = request.query_params.get("format") if request is not None else None
        if wanted and not any(r.format == wanted for r in context["view"].get_renderers()):
            return exceptions.NotFound(NO_SUCH_FORMAT % {"format": wanted}, "unsupported_format")
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _as_api_exception(exc, context)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", None)
    code = getattr(exc, "default_code", "error")
    if isinstance(detail, dict | list):
        message = INVALID_VALUES
        errors: Any = detail
    else:
        message = str(detail) if detail else str(getattr(exc, "default_detail", "")) or str(exc)
        code = getattr(detail, "code", code) or code
        errors = None
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    response.data = body
    return response


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any /api/ address no endpoint matches: JSON, never the site's HTML 404 page."""
    return JsonResponse({"message": NO_SUCH_ENDPOINT, "code": "not_found"}, status=404)
