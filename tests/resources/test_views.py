"""The public library: list, filters, search, who may open what, the feed, programme pages."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from resources.models import ResourceKind, ResourceStatus, Visibility
from resources.views import FEED_SIZE
from tests import factories
from tests.applications.documents import PDF_BYTES
from tests.catalogue import version_reads
from tests.queries import session_reads
from tests.resources.factories import ResourceFactory, participant

pytestmark = pytest.mark.django_db

LIST = reverse("resources:list")


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [resource.title for resource in response.context["page"]]


def _file_resource(**fields):  # type: ignore[no-untyped-def]
    programme = factories.ProgrammeFactory()
    resource = ResourceFactory.build(
        programme=programme, link="", visibility=Visibility.PARTICIPANTS, **fields
    )
    resource.original_name, resource.content_type = "toolkit.pdf", "application/pdf"
    resource.file.save("toolkit.pdf", ContentFile(PDF_BYTES), save=True)
    resource.programmes.set([programme])
    return resource


def test_list_shows_published_resources_only(client) -> None:
    shown = ResourceFactory(title="Published guide")
    ResourceFactory(title="Draft guide", status=ResourceStatus.DRAFT)
    ResourceFactory(title="Retired guide", status=ResourceStatus.RETIRED)
    ResourceFactory(title="Of a hidden programme", programme__is_published=False)
    assert _titles(client.get(LIST)) == [shown.title]


def test_list_filters_by_topic_kind_and_audience(client) -> None:
    ResourceFactory(
        title="Resilience podcast", kind=ResourceKind.PODCAST, topics="|personal_leadership|"
    )
    ResourceFactory(
        title="Systems video", kind=ResourceKind.VIDEO, topics="|systems_leadership|complexity|"
    )
    ResourceFactory(title="For members", audience="elected_member", topics="|political_corporate|")
    assert _titles(client.get(LIST, {"topic": "complexity"})) == ["Systems video"]
    assert _titles(client.get(LIST, {"kind": "podcast"})) == ["Resilience podcast"]
    assert _titles(client.get(LIST, {"audience": "elected_member"})) == ["For members"]
    both = client.get(LIST, {"topic": ["complexity", "personal_leadership"]})
    assert sorted(_titles(both)) == ["Resilience podcast", "Systems video"]


def test_an_unknown_filter_value_is_reported_and_the_rest_still_apply(client) -> None:
    ResourceFactory(title="Podcast", kind=ResourceKind.PODCAST)
    response = client.get(LIST, {"kind": "podcast", "topic": "astrology"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _titles(response) == ["Podcast"]


@pytest.mark.postgres
def test_search_finds_words_by_their_stem_title_first(client) -> None:
    ResourceFactory(title="Commissioning for outcomes", summary="A guide.")
    ResourceFactory(title="A guide", summary="About commissioning services.")
    ResourceFactory(title="Unrelated", summary="Nothing here.")
    assert _titles(client.get(LIST, {"q": "commission"})) == [
        "Commissioning for outcomes",
        "A guide",
    ]


@pytest.mark.parametrize("count", [3, 60])
def test_list_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count) -> None:
    programme = factories.ProgrammeFactory()
    for _ in range(count):
        ResourceFactory(programme=programme, programmes=[programme, factories.ProgrammeFactory()])
    # count + page of resources + their programmes
    with django_assert_num_queries(3):
        response = client.get(LIST, {"topic": "innovation"})
    assert response.status_code == 200


def test_participants_only_resource_is_listed_to_everyone_with_a_tag(client) -> None:
    ResourceFactory(title="Cohort toolkit", visibility=Visibility.PARTICIPANTS)
    response = client.get(LIST)
    assert _titles(response) == ["Cohort toolkit"]
    assert b"data-for-participants" in response.content


def test_open_resource_page_links_to_it_for_anyone(client) -> None:
    resource = ResourceFactory(link="https://example.org/guide")
    response = client.get(resource.get_absolute_url())
    assert response.context["can_open"] is True
    assert b"https://example.org/guide" in response.content


def test_participants_only_link_is_not_shown_to_an_anonymous_visitor_who_is_offered_sign_in(
    client,
) -> None:
    resource = ResourceFactory(
        link="https://example.org/secret", visibility=Visibility.PARTICIPANTS
    )
    response = client.get(resource.get_absolute_url())
    assert response.context["can_open"] is False
    assert b"https://example.org/secret" not in response.content
    assert reverse("accounts:login").encode() in response.content


@pytest.mark.parametrize(
    ("state", "may"),
    [("enrolled", True), ("completed", True), ("withdrawn", False), ("offered", False),
     ("did_not_complete", False)],
)  # fmt: skip
def test_only_enrolled_or_completed_participants_open_a_participants_only_file(
    client, state, may
) -> None:
    resource = _file_resource()
    cohort = factories.CohortFactory(programme=resource.programme)
    client.force_login(participant(cohort=cohort, state=state))
    detail = client.get(resource.get_absolute_url())
    assert detail.context["can_open"] is may
    response = client.get(reverse("resources:file", kwargs={"pk": resource.pk}))
    if may:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 403


def test_a_participant_of_another_programme_cannot_open_it(client) -> None:
    resource = _file_resource()
    client.force_login(participant(cohort=factories.CohortFactory()))
    assert client.get(reverse("resources:file", kwargs={"pk": resource.pk})).status_code == 403


def test_a_participant_of_any_programme_it_is_listed_under_may_open_it(client) -> None:
    other = factories.ProgrammeFactory()
    resource = _file_resource()
    resource.programmes.add(other)
    client.force_login(participant(cohort=factories.CohortFactory(programme=other)))
    assert client.get(reverse("resources:file", kwargs={"pk": resource.pk})).status_code == 200


def test_a_retired_resource_is_gone(client) -> None:
    resource = ResourceFactory(status=ResourceStatus.RETIRED)
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_feed_lists_new_open_resources_only(client) -> None:
    ResourceFactory(title="Open podcast")
    ResourceFactory(title="Participants toolkit", visibility=Visibility.PARTICIPANTS)
    ResourceFactory(title="Draft", status=ResourceStatus.DRAFT)
    response = client.get(reverse("resources:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"Open podcast" in response.content
    assert b"Participants toolkit" not in response.content
    assert b"Draft" not in response.content


@pytest.mark.parametrize("count", [3, 30])
def test_programme_page_lists_its_published_resources_in_fixed_queries(
    client, django_assert_num_queries, count
) -> None:
    programme = factories.ProgrammeFactory()
    factories.CohortFactory(programme=programme)
    ResourceFactory.create_batch(count, programme=programme)
    ResourceFactory(programme=programme, title="Still a draft", status=ResourceStatus.DRAFT)
    with django_assert_num_queries(5 + version_reads()):
        response = client.get(programme.get_absolute_url())
    assert len(response.context["programme"].published_resources) == count
    assert b"Still a draft" not in response.content


@pytest.mark.parametrize("count", [3, 30])
def test_feed_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count) -> None:
    ResourceFactory.create_batch(count)
    # resources + their programmes
    with django_assert_num_queries(2):
        response = client.get(reverse("resources:feed"))
    assert response.content.count(b"<entry>") == min(count, FEED_SIZE)


@pytest.mark.parametrize("programmes", [1, 20])
def test_a_participants_only_page_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, programmes
) -> None:
    resource = ResourceFactory(visibility=Visibility.PARTICIPANTS)
    resource.programmes.add(*factories.ProgrammeFactory.create_batch(programmes - 1))
    client.force_login(participant(cohort=factories.CohortFactory(programme=resource.programme)))
    # session, user, resource, its programmes, whether the person may open it
    with django_assert_num_queries(session_reads() + 4):
        response = client.get(resource.get_absolute_url())
    assert response.context["can_open"] is True


def test_paging_the_library_keeps_the_search(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from resources import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        ResourceFactory(title=f"Commissioning guide {n}")

    body = client.get(LIST, {"q": "commissioning"}).content.decode()

    assert 'aria-label="Pages of results"' in body
    assert "Page 1 of 2" in body
    assert "q=commissioning" in body and "page=2" in body
