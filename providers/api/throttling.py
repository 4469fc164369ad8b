"""Rate limit per API token, in the default cache."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from ..models import ProviderApiToken


class ProviderTokenThrottle(SimpleRateThrottle):
    scope = "provider_token"
    # Set here rather than in settings: one number, owned by this API.
    rate = "120/min"

    def get_rate(self) -> str:
        return self.rate

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not isinstance(request.auth, ProviderApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
