"""Guards on every request: the body size limit, browser policies, and private file modes."""

from __future__ import annotations

import os
import stat

import pytest
from django.core.files.base import ContentFile

from applications.storage import private_document_storage
from portal.middleware import PERMISSIONS_POLICY, TOO_LARGE_FOR_THE_API

pytestmark = pytest.mark.django_db


def _oversized(client, path, settings):  # type: ignore[no-untyped-def]
    settings.MAX_REQUEST_BODY_BYTES = 1024
    return client.generic("POST", path, data=b"x" * 2048, content_type="application/octet-stream")


def test_an_oversized_upload_is_refused_before_it_is_read(client, settings) -> None:
    response = _oversized(client, "/account/login/", settings)

    assert response.status_code == 413
    assert "That file is too large" in response.content.decode()
    assert "<header" in response.content.decode()  # the site's layout, not a bare error


def test_an_oversized_api_request_is_told_so_in_json(client, settings) -> None:
    response = _oversized(client, "/api/v1/cohorts/", settings)

    assert response.status_code == 413
    assert response.json() == {"message": TOO_LARGE_FOR_THE_API, "code": "too_large"}


def test_a_body_within_the_limit_goes_through(client, settings) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    response = client.post("/api/v1/cohorts/", data={})

    assert response.status_code == 405  # reached the view, which only reads


@pytest.mark.parametrize(
    "path", ["/", "/programmes/", "/api/v1/cohorts/", "/healthz", "/no-such-page/"]
)
def test_every_kind_of_page_sends_the_browser_policies(client, path) -> None:
    response = client.get(path)

    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_stored_documents_are_readable_by_their_owner_only(settings, tmp_path) -> None:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    name = private_document_storage.save("documents/2026/12/cv.pdf", ContentFile(b"%PDF-1.4"))

    path = private_document_storage.path(name)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
