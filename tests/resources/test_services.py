"""Adding, editing, publishing and retiring resources, and the check on uploaded files."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from console.history import history_of_programme
from resources.errors import (
    ALREADY_RETIRED,
    LINK_OR_FILE,
    NOT_BOTH,
    CannotPublish,
    FileRefused,
    StaleResource,
)
from resources.models import Resource, ResourceStatus
from resources.services import (
    resource_create,
    resource_publish,
    resource_retire,
    resource_unretire,
    resource_update,
)
from resources.uploads import resource_file_check
from tests import factories
from tests.applications.documents import EXE_BYTES, HTML_BYTES, PDF_BYTES, docx_bytes
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

DATA = {
    "title": "Working with elected members",
    "summary": "How to brief a lead member.",
    "kind": "guide",
    "audience": "",
    "link": "",
    "visibility": "open",
}


def _upload(content: bytes, name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, "application/pdf"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_upload_check_judges_the_type_by_content(content: bytes, expected: str) -> None:
    assert resource_file_check(upload=_upload(content, "renamed.txt")) == expected


@pytest.mark.parametrize("content", [EXE_BYTES, HTML_BYTES, b""])
def test_upload_check_refuses_what_is_not_a_document_whatever_its_name(content: bytes) -> None:
    with pytest.raises(FileRefused):
        resource_file_check(upload=_upload(content, "guide.pdf"))


def test_upload_check_refuses_a_file_over_5_mb() -> None:
    with pytest.raises(FileRefused):
        resource_file_check(upload=_upload(PDF_BYTES + b"0" * (5 * 1024 * 1024)))


def test_create_stores_an_upload_privately_under_a_random_name() -> None:
    programme, manager = factories.ProgrammeFactory(), factories.UserFactory()
    resource = resource_create(
        programme=programme, data=DATA, topics=["results"], upload=_upload(PDF_BYTES), by=manager
    )
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DRAFT
    assert resource.original_name == "guide.pdf"
    assert "guide" not in resource.file.name
    assert resource.file.read() == PDF_BYTES
    assert list(resource.programmes.all()) == [programme]
    assert resource.topic_values == ["results"]


def test_create_refuses_neither_or_both_a_link_and_a_file() -> None:
    programme, manager = factories.ProgrammeFactory(), factories.UserFactory()
    with pytest.raises(FileRefused, match=str(LINK_OR_FILE)):
        resource_create(programme=programme, data=DATA, by=manager)
    with pytest.raises(FileRefused, match=str(NOT_BOTH)):
        resource_create(
            programme=programme,
            data={**DATA, "link": "https://example.org/a"},
            upload=_upload(PDF_BYTES),
            by=manager,
        )
    assert not Resource.objects.exists()


def test_create_refuses_a_renamed_executable_and_stores_nothing() -> None:
    with pytest.raises(FileRefused):
        resource_create(
            programme=factories.ProgrammeFactory(),
            data=DATA,
            upload=_upload(EXE_BYTES, "guide.pdf"),
            by=factories.UserFactory(),
        )
    assert not Resource.objects.exists()


def test_publish_sets_the_date_once_and_is_audited_in_the_programmes_history() -> None:
    manager = factories.UserFactory(full_name="Morgan Manager")
    resource = ResourceFactory(status=ResourceStatus.DRAFT, published_on=None)
    published = resource_publish(resource=resource, by=manager)
    assert published.status == ResourceStatus.PUBLISHED
    assert published.published_on is not None
    entry = LogEntry.objects.get_for_object(resource).get(actor=manager)
    assert entry.changes["status"] == ["draft", "published"]
    history = history_of_programme(programme=resource.programme)
    assert any(h.what == resource.title and h.by == "Morgan Manager" for h in history)


def test_publishing_twice_changes_nothing() -> None:
    resource = ResourceFactory()
    before = resource.updated_at
    resource_publish(resource=resource, by=factories.UserFactory())
    resource.refresh_from_db()
    assert resource.updated_at == before


def test_retire_hides_it_and_a_retired_resource_must_become_a_draft_before_publishing() -> None:
    by = factories.UserFactory()
    resource = resource_retire(resource=ResourceFactory(), by=by)
    assert resource.status == ResourceStatus.RETIRED
    assert not Resource.objects.published().exists()
    with pytest.raises(CannotPublish, match=str(ALREADY_RETIRED)):
        resource_publish(resource=resource, by=by)
    assert resource_unretire(resource=resource, by=by).status == ResourceStatus.DRAFT
    assert resource_publish(resource=resource, by=by).status == ResourceStatus.PUBLISHED


def test_update_refuses_a_stale_form_and_saves_nothing() -> None:
    resource = ResourceFactory(title="Old title")
    seen = resource.updated_at
    by = factories.UserFactory()
    resource_update(resource=resource, data={"title": "First edit"}, by=by)
    with pytest.raises(StaleResource):
        resource_update(
            resource=resource, data={"title": "Second edit"}, seen_updated_at=seen, by=by
        )
    resource.refresh_from_db()
    assert resource.title == "First edit"


def test_update_with_an_upload_replaces_the_link() -> None:
    resource = ResourceFactory(link="https://example.org/old")
    updated = resource_update(
        resource=resource, data={"link": ""}, upload=_upload(PDF_BYTES), by=factories.UserFactory()
    )
    updated.refresh_from_db()
    assert updated.link == ""
    assert updated.has_file


def test_update_lists_it_under_other_programmes_and_always_its_own() -> None:
    resource = ResourceFactory()
    other = factories.ProgrammeFactory()
    resource_update(resource=resource, data={}, also_programmes=[other], by=factories.UserFactory())
    assert set(resource.programmes.all()) == {resource.programme, other}
