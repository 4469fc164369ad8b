"""A background export built by a real Celery worker over Redis, on PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from portal.celery import app as celery_app
from providers.models import ExportJob, ExportRecord
from tests import factories
from tests.harness import celery_worker

from .conftest import enrol

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_worker_builds_an_export_the_page_then_offers_to_download() -> None:
    import io

    celery_app.conf.task_always_eager = False
    provider = factories.ProviderFactory(slug="worker-provider")
    cohort = factories.CohortFactory(programme=factories.ProgrammeFactory(providers=[provider]))
    people = [enrol(cohort, full_name=f"Person {n}") for n in range(5)]
    staff = factories.UserFactory(email="worker-staff@example.org")
    factories.ProviderMembershipFactory(user=staff, provider=provider)
    client = Client()
    client.force_login(staff)
    # The worker is another process: it must write where this process reads.
    env = {"PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT)}

    with celery_worker(extra_env=env) as worker:
        response = client.post(
            reverse("provider:cohort_export", args=[cohort.pk]),
            {"format": "xlsx", "background": "1"},
        )
        job = ExportJob.objects.get()
        assert response["Location"] == reverse("provider:export_job", args=[job.pk])
        status: dict[str, Any] = {}
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            status = client.get(reverse("provider:export_status", args=[job.pk])).json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert status.get("status") == "done", worker.log()
        assert "providers.tasks.export_build_task" in worker.log()

    download = client.get(status["download_url"])
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(p.snapshot["full_name"] for p in people)
    record = ExportRecord.objects.get()
    assert (record.via, record.row_count, record.user) == ("background", 5, staff)
