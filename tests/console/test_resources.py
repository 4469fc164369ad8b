"""The programme's resources in the console: managers add, edit, publish and retire them."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.errors import STALE_RESOURCE
from resources.models import Resource, ResourceStatus
from tests import factories
from tests.applications.documents import EXE_BYTES, PDF_BYTES
from tests.console.conftest import messages_of
from tests.queries import session_reads
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Briefing a lead member",
    "summary": "A short guide to the first meeting.",
    "kind": "guide",
    "audience": "",
    "visibility": "participants",
    "topics_chosen": ["political_corporate"],
    "link": "",
}


def test_manager_adds_a_resource_with_a_file_as_a_draft(cohort, manager_client, manager) -> None:
    programme = cohort.programme
    response = manager_client.post(
        reverse("manage:resource_add", args=[programme.pk]),
        {**FORM, "upload": SimpleUploadedFile("brief.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.status, resource.programme, resource.original_name) == (
        ResourceStatus.DRAFT, programme, "brief.pdf",
    )  # fmt: skip
    assert LogEntry.objects.get_for_object(resource).filter(actor=manager).exists()


def test_a_file_that_is_not_a_document_is_refused_beside_the_field(cohort, manager_client) -> None:
    response = manager_client.post(
        reverse("manage:resource_add", args=[cohort.programme.pk]),
        {**FORM, "upload": SimpleUploadedFile("brief.pdf", EXE_BYTES)},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["upload"]
    assert not Resource.objects.exists()


def test_neither_link_nor_file_is_refused(cohort, manager_client) -> None:
    response = manager_client.post(reverse("manage:resource_add", args=[cohort.programme.pk]), FORM)
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_screener_may_look_but_not_add(cohort, screener_client) -> None:
    programme = cohort.programme
    assert screener_client.get(reverse("manage:resources", args=[programme.pk])).status_code == 200
    response = screener_client.post(
        reverse("manage:resource_add", args=[programme.pk]), {**FORM, "link": "https://e.org/a"}
    )
    assert response.status_code == 403
    assert not Resource.objects.exists()


def test_manager_of_another_programme_gets_404(cohort, other_manager, client) -> None:
    resource = ResourceFactory(programme=cohort.programme)
    client.force_login(other_manager)
    assert client.get(reverse("manage:resource_edit", args=[resource.pk])).status_code == 404
    status = client.post(
        reverse("manage:resource_status", args=[resource.pk]), {"action": "retire"}
    )
    assert status.status_code == 404
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED


def test_publish_then_retire_from_the_list(cohort, manager_client) -> None:
    resource = ResourceFactory(programme=cohort.programme, status=ResourceStatus.DRAFT)
    url = reverse("manage:resource_status", args=[resource.pk])
    manager_client.post(url, {"action": "publish"})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    manager_client.post(url, {"action": "retire"})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.RETIRED


def test_a_stale_edit_is_refused_and_saves_nothing(cohort, manager_client) -> None:
    resource = ResourceFactory(programme=cohort.programme, title="Original")
    page = manager_client.get(reverse("manage:resource_edit", args=[resource.pk]))
    seen = page.context["form"].initial["updated_at"]
    Resource.objects.filter(pk=resource.pk).update(title="Changed elsewhere")
    resource.refresh_from_db()
    resource.save()  # moves updated_at, as another person's save would
    response = manager_client.post(
        reverse("manage:resource_edit", args=[resource.pk]),
        {**FORM, "link": resource.link, "title": "Mine", "updated_at": seen},
    )
    assert response.status_code == 409
    assert str(STALE_RESOURCE) in response.content.decode()
    resource.refresh_from_db()
    assert resource.title == "Changed elsewhere"


def test_edit_saves_and_keeps_programmes_the_manager_does_not_manage(
    cohort, manager_client
) -> None:
    elsewhere = factories.ProgrammeFactory()
    resource = ResourceFactory(programme=cohort.programme)
    resource.programmes.add(elsewhere)
    page = manager_client.get(reverse("manage:resource_edit", args=[resource.pk]))
    response = manager_client.post(
        reverse("manage:resource_edit", args=[resource.pk]),
        {
            **FORM,
            "link": "https://example.org/new",
            "updated_at": page.context["form"].initial["updated_at"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert "saved" in messages_of(response)[0]
    resource.refresh_from_db()
    assert resource.link == "https://example.org/new"
    assert set(resource.programmes.all()) == {cohort.programme, elsewhere}


@pytest.mark.parametrize("count", [3, 30])
def test_resource_list_uses_a_fixed_number_of_queries(
    count, cohort, manager_client, django_assert_num_queries
) -> None:
    ResourceFactory.create_batch(count, programme=cohort.programme)
    # session, user, programme, role, resources, their programmes
    with django_assert_num_queries(session_reads() + 5):
        response = manager_client.get(reverse("manage:resources", args=[cohort.programme.pk]))
    assert len(response.context["resources"]) == count
