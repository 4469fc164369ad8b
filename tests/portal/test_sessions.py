"""Sessions: read from Redis, kept in PostgreSQL, and never a failed request when Redis is away."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

# A Redis client pointed at a port nothing listens on: the cache "down", for real.
UNREACHABLE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}


def _sign_in(client: Client) -> str:
    user = UserFactory()
    response = client.post("/account/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_signed_in_request_reads_its_session_without_a_query(client: Client) -> None:
    assert settings.SESSION_ENGINE == "portal.sessions"
    _sign_in(client)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/account/")

    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_the_database_keeps_every_session_and_the_cache_copy_is_short_lived(
    client: Client,
) -> None:
    key = _sign_in(client)

    assert Session.objects.filter(session_key=key).exists()
    redis = caches["default"]._cache.get_client()  # type: ignore[attr-defined]
    ttl = redis.ttl(caches["default"].make_key("portal.session:" + key))
    assert 0 < ttl <= settings.SESSION_CACHE_SECONDS


def test_a_session_missing_from_the_cache_is_read_from_the_database(client: Client) -> None:
    key = _sign_in(client)
    caches["default"].delete("portal.session:" + key)  # evicted, or Redis restarted empty

    assert client.get("/account/").status_code == 200


def test_signing_out_ends_the_session_in_every_process(client: Client) -> None:
    key = _sign_in(client)
    client.post("/account/logout/")

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    response = replay.get("/account/")

    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
    assert caches["default"].get("portal.session:" + key) is None
    assert not Session.objects.filter(session_key=key).exists()


def test_with_redis_unreachable_people_still_sign_in_use_pages_and_sign_out(
    client: Client, settings
) -> None:
    settings.CACHES = {**settings.CACHES, "unreachable": UNREACHABLE}
    settings.SESSION_CACHE_ALIAS = "unreachable"

    key = _sign_in(client)
    assert client.get("/account/").status_code == 200
    response = client.post("/account/logout/")

    assert response.status_code in (200, 302)
    assert not Session.objects.filter(session_key=key).exists()
