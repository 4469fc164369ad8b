"""The OpenAPI schema states the whole error contract of every operation, not only success.

Every operation lists the errors it can answer with, each a JSON `ApiError`
(portal.api_errors): 400 for invalid values, 404 for what is not there (and for a
`?format=` the API does not speak), 406 for an `Accept` header it cannot satisfy; the
token-authenticated ones also 401 and 403, and throttled ones 429. Filters state the
length they accept (path parameters' bounds are PATH_CONVERTER_OVERRIDES in settings), so
a client can validate before it asks. tests/api/test_schema_fuzz.py holds the API to all of it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .api_errors import ApiErrorSerializer

BAD_REQUEST = "Invalid values: `errors` names each parameter and what is wrong with it."
UNAUTHORISED = "No token was sent, or it is not valid, has expired or was revoked."
FORBIDDEN = "The token may not use this endpoint."
NOT_FOUND = "Nothing is at this address for you, or `?format=` names a format the API lacks."
NOT_ACCEPTABLE = "The `Accept` header names no media type this endpoint answers in."
THROTTLED = "Too many requests with this token: wait and try again."


class PortalAutoSchema(AutoSchema):
    def _error_responses(self) -> dict[int, str]:
        errors = {400: BAD_REQUEST, 404: NOT_FOUND, 406: NOT_ACCEPTABLE}
        if getattr(self.view, "authentication_classes", None):
            errors |= {401: UNAUTHORISED, 403: FORBIDDEN}
        if getattr(self.view, "throttle_classes", None):
            errors[429] = THROTTLED
        return errors

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status, description in sorted(self._error_responses().items()):
            # An operation's own description of an error wins over the general one.
            responses.setdefault(
                str(status),
                self._get_response_for_code(
                    OpenApiResponse(ApiErrorSerializer, description=description),
                    str(status),
                    direction=direction,
                ),
            )
        return responses

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else {}
        for parameter in parameters:
            declared = filters.get(parameter["name"])
            max_length = declared.extra.get("max_length") if declared else None
            if max_length and parameter["schema"].get("type") == "string":
                parameter["schema"]["maxLength"] = max_length
        return parameters
