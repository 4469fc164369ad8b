"""The public catalogue pages, kept rendered in each web process under the catalogue version.

The directory, the home page, programme pages and the public API lists show the same thing
to everyone, and change only when the catalogue does (a programme, a provider, a cohort or
its places, a rule, a resource, a waiting list) or when time moves past a boundary (midnight,
an application window opening or closing). PostgreSQL raises a version number on every such
change, whoever makes it (triggers, migration programmes/0012), so a page costs one small
read while the number holds: what each process keeps is thrown away as soon as it moves, or
at the next boundary in time, whichever comes first.

Places and waiting lists have a second number (see Versions): a booking that leaves a
cohort neither full nor newly free does not make the directory again.

What is kept is the part of a page that is the same for everyone; the layout around it (who
is signed in, messages) is rendered per request as before. A form's CSRF token is kept as a
placeholder and put in per request (`with_csrf_token`).

Nothing is kept off PostgreSQL, with CATALOGUE_CACHE_BYTES set to 0, or in a transaction
that has itself changed the catalogue and not committed (it must see its own change).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")

VERSION_SQL = """
SELECT version, places_version,
       coalesce(current_setting('programmes.catalogue_touched', true)
                = txid_current_if_assigned()::text, false)
FROM programmes_catalogue_version WHERE id = 1
"""
# least() skips NULLs: no window left to open or close gives NULL.
NEXT_WINDOW_SQL = """
SELECT least(
    (SELECT min(applications_open_at) FROM programmes_cohort WHERE applications_open_at > %s),
    (SELECT min(applications_close_at) FROM programmes_cohort WHERE applications_close_at > %s))
"""
# Unguessable, so text somebody typed into a programme can never be taken for it.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class Versions:
    """The two numbers the triggers raise (migrations programmes/0012 and 0013).

    `catalogue` moves with any change a public page shows, except places and waiting lists
    alone; `places` with every change to a cohort's places taken or to a waiting list. A
    page that shows those numbers is kept under both; one that shows only whether a
    programme has a place (the directory) under the first, which a booking raises only when
    it fills a cohort or frees a place in a full one.
    """

    catalogue: int
    places: int


def catalogue_versions() -> Versions | None:
    """The versions now, or None when nothing may be kept for this request."""
    if connection.vendor != "postgresql" or not settings.CATALOGUE_CACHE_BYTES:
        return None
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    if row is None or row[2]:
        return None
    return Versions(catalogue=int(row[0]), places=int(row[1]))


def good_until(now: dt.datetime) -> dt.datetime:
    """When pages made now may start to differ with no change to the data: the next local
    midnight (statuses and next start dates go by the day) or the next moment an application
    window opens or closes, whichever is sooner."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    midnight = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    with connection.cursor() as cursor:
        cursor.execute(NEXT_WINDOW_SQL, [now, now])
        row = cursor.fetchone()
    window = row[0] if row else None
    return min(midnight, window) if window is not None else midnight


def request_key(request: HttpRequest, *parts: Hashable) -> tuple[Hashable, ...]:
    """What a kept page depends on in a request: its language, address and query string."""
    return (*parts, get_language(), request.scheme, request.get_host(), request.get_full_path())


def kept(
    request: HttpRequest,
    name: Hashable,
    make: Callable[[], tuple[T, int]],
    *,
    shows_places: bool = True,
) -> T:
    """What `make()` gives for this request, kept under the catalogue version, and under
    the places version too if it `shows_places` (places left, waiting-list lengths)."""
    versions = catalogue_versions()
    if versions is None:
        return make()[0]
    parts = (name, versions.places) if shows_places else (name,)
    return catalogue_cache.get_or_make(versions.catalogue, request_key(request, *parts), make)


class CatalogueCache:
    """Pages of one catalogue version, least recently used dropped first past `max_bytes`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # threaded workers share one cache
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._version: int | None = None
        self._since = self._until = timezone.now()

    def get_or_make(
        self, version: int | None, key: Hashable, make: Callable[[], tuple[T, int]]
    ) -> T:
        """The kept value for `key` under `version`, or `make()`'s (value, size), kept."""
        if version is None:
            return make()[0]
        now = timezone.now()
        with self._lock:
            current = self._version == version and self._since <= now < self._until
            if current and key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        if not current:
            until = good_until(now)
            with self._lock:
                self._entries.clear()
                self._bytes = 0
                self._version, self._since, self._until = version, now, until
        value, size = make()
        with self._lock:
            if self._version == version and key not in self._entries:
                self._entries[key] = (value, size)
                self._bytes += size
                while self._bytes > settings.CATALOGUE_CACHE_BYTES and self._entries:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self._bytes -= dropped
        return value

    def forget(self) -> None:
        """For tests: start with nothing kept, as a fresh process would."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._version = None


catalogue_cache = CatalogueCache()


def kept_html(
    request: HttpRequest,
    name: Hashable,
    make: Callable[[], SafeString],
    *,
    shows_places: bool = True,
) -> SafeString:
    """A fragment of a public page, kept under the request's key; its CSRF token is fresh."""

    def made() -> tuple[SafeString, int]:
        html = make()
        return html, len(html)

    return with_csrf_token(request, kept(request, name, made, shows_places=shows_places))


def kept_data(
    request: HttpRequest, name: Hashable, make: Callable[[], Any], *, shows_places: bool = True
) -> Any:
    """An API answer's data (plain lists and dicts), kept under the request's key."""

    def made() -> tuple[Any, int]:
        data = make()
        return data, len(json.dumps(data, cls=DjangoJSONEncoder))

    return kept(request, name, made, shows_places=shows_places)


def with_csrf_token(request: HttpRequest, html: SafeString) -> SafeString:
    if CSRF_PLACEHOLDER not in html:
        return html
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308
