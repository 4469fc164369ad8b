"""Staff see every export in the Django admin: personal data leaving the system."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from providers import services
from providers.models import ExportJob, ExportRecord
from tests import factories

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_() -> Client:
    admin = User.objects.create_superuser(
        "root@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )
    client = Client()
    client.force_login(admin)
    return client


def test_admin_lists_every_export_and_cannot_change_them(a: Side, admin_client_: Client) -> None:
    enrol(a.cohort)
    record = services.export_record(
        provider=a.provider, fmt="csv", via="page", row_count=1, user=a.user, cohort=a.cohort
    )
    response = admin_client_.get(reverse("admin:providers_exportrecord_changelist"))
    assert response.status_code == 200
    assert a.user.email in response.content.decode()
    url = reverse("admin:providers_exportrecord_change", args=[record.pk])
    assert admin_client_.post(url, {"row_count": 0}).status_code == 403
    assert ExportRecord.objects.get().row_count == 1


def test_admin_shows_an_export_job_without_a_file_link(a: Side, admin_client_: Client) -> None:
    enrol(a.cohort)
    job = ExportJob.objects.create(provider=a.provider, cohort=a.cohort, format="csv")
    services.export_job_build(job_id=job.pk)
    response = admin_client_.get(reverse("admin:providers_exportjob_change", args=[job.pk]))
    assert response.status_code == 200
    assert "exports/" in response.content.decode()
