"""Sessions kept in the database and read from the shared cache, so a signed-in request
costs no session query; the database stays the record, so nothing is lost with the cache.

Used when REDIS_URL is set (settings.SESSION_ENGINE). A per-process cache would not do:
a sign-out in one web process would leave the others a cached copy that still works.

A cache outage never fails a request: reads go to the database, writes still reach it.
Deleting a session (signing out) deletes it from the cache first; if the cache cannot be
reached the database row goes anyway, and the cached copy expires within
SESSION_CACHE_SECONDS, which is why cached copies are kept that short.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "portal.session:"
    _cache: BaseCache  # set by cached_db's __init__; the type stubs leave it out

    def _cache_timeout(self, expiry: Any = None) -> int:
        return min(self.get_expiry_age(expiry=expiry), settings.SESSION_CACHE_SECONDS)

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception as error:  # the cache is down: the database answers alone
            logger.warning("Session cache unavailable on read: %s", error)
            return self._load_from_database(keep=False)
        if data is None:
            return self._load_from_database(keep=True)
        return data

    def _load_from_database(self, *, keep: bool) -> dict[str, Any]:
        row = self._get_session_from_db()  # type: ignore[attr-defined]
        if not row:
            return {}
        data: dict[str, Any] = self.decode(row.session_data)
        if keep:
            try:
                self._cache.set(self.cache_key, data, self._cache_timeout(row.expire_date))
            except Exception as error:
                logger.warning("Session cache unavailable on write: %s", error)
        return data

    def exists(self, session_key: str | None) -> bool:
        # Asked only when making a new key: the database has every session, so ask it.
        if not session_key:
            return False
        return super(cached_db.SessionStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super(cached_db.SessionStore, self).save(must_create)  # the database row first
        try:
            session = self._session  # type: ignore[attr-defined]
            self._cache.set(self.cache_key, session, self._cache_timeout())
        except Exception as error:
            logger.warning("Session cache unavailable on write: %s", error)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key:
            try:
                self._cache.delete(self.cache_key_prefix + key)
            except Exception as error:
                logger.error(
                    "Session cache unavailable on delete; its cached copy lapses within %s s: %s",
                    settings.SESSION_CACHE_SECONDS,
                    error,
                )
        super(cached_db.SessionStore, self).delete(session_key)
