"""`Authorization: Token <key>` for provider systems. Only sha256 digests are stored, so
the lookup is by digest: nothing secret is ever compared character by character."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission

from programmes.models import Provider

from ..models import ProviderApiToken
from ..services import hash_key

KEYWORD = "Token"
NO_TOKEN = "Send your API token as: Authorization: Token <key>."  # noqa: S105
BAD_TOKEN = "This API token is not valid or has been revoked."  # noqa: S105
EXPIRED_TOKEN = "This API token has expired. Make a new one in the provider area."  # noqa: S105
# How stale last_used_at may get: a busy system would otherwise write the row on every call.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ProviderTokenUser:
    """Who is calling: a provider's system, not a person."""

    provider: Provider
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    is_staff: bool = False
    pk: None = None


class ProviderTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[ProviderTokenUser, ProviderApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(NO_TOKEN, code="invalid_token")
        try:
            key = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(BAD_TOKEN, code="invalid_token") from exc
        token = (
            ProviderApiToken.objects.select_related("provider")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(BAD_TOKEN, code="invalid_token")
        now = timezone.now()
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(EXPIRED_TOKEN, code="expired_token")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ProviderApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return ProviderTokenUser(provider=token.provider), token

    def authenticate_header(self, request: Any) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 when no token is sent.
        return KEYWORD


class HasProviderToken(BasePermission):
    message = NO_TOKEN

    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.auth, ProviderApiToken)


class ProviderTokenScheme(OpenApiAuthenticationExtension):
    target_class = "providers.api.authentication.ProviderTokenAuthentication"
    name = "providerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A provider API token, made at /provider/tokens/: "
            "`Authorization: Token <key>`.",
        }
