"""API errors are JSON with a human message and a machine code, whatever went wrong."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", None)
    code = getattr(exc, "default_code", "error")
    if isinstance(detail, dict | list):
        message = "The request has invalid values."
        errors: Any = detail
    else:
        message = str(detail) if detail else str(exc)
        code = getattr(detail, "code", code) or code
        errors = None
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    response.data = body
    return response
