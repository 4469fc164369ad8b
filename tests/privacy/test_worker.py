"""A data download built by a real Celery worker over Redis, on PostgreSQL."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from portal.celery import app as celery_app
from privacy.models import DataExport
from tests import factories
from tests.harness import celery_worker

from .conftest import document_on, signed_in

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_worker_builds_the_download_and_the_page_then_offers_it(password: str) -> None:
    celery_app.conf.task_always_eager = False
    user = factories.UserFactory(email="worker.person@example.org", full_name="Ffion Hughes")
    document = document_on(factories.ApplicationFactory(applicant=user))
    client = signed_in(user)
    # The worker is another process: it must read and write where this process does.
    env = {"PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT)}

    with celery_worker(extra_env=env) as worker:
        response = client.post(reverse("privacy:export_request"), {"password": password})
        export = DataExport.objects.get()
        page = reverse("privacy:export_detail", args=[export.pk])
        assert response["Location"] == page
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.status in ("done", "failed"):
                break
            time.sleep(0.2)
        assert export.status == "done", worker.log()

    download = reverse("privacy:export_download", args=[export.pk])
    assert download in client.get(page).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(download).streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["full_name"] == "Ffion Hughes"
    [listed] = data["applications"][0]["documents"]
    assert archive.read(listed["file_in_this_download"]) == document.file.open().read()
