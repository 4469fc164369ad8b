"""The stored search vector: what it finds, that the database keeps it current, and that no
search request builds a vector per row (docs/adr/0011-stored-search-vector.md)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from programmes.models import Programme
from programmes.services.programmes import programme_update
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = reverse("programmes:list")


def _titles(client, query: str) -> list[str]:
    body = client.get(URL, {"q": query}).content.decode()
    return re.findall(r'<h3 class="h4 card-title"><a href="[^"]+">([^<]+)</a>', body)


def _vector(programme: Programme) -> str:
    return str(Programme.objects.values_list("search_vector", flat=True).get(pk=programme.pk))


def test_search_finds_a_programme_by_its_providers_name(client) -> None:
    academy = factories.ProviderFactory(name="Tavistock Academy", slug="tavistock")
    factories.ProgrammeFactory(title="Run by the academy", providers=[academy])
    factories.ProgrammeFactory(title="Run by someone else")
    assert _titles(client, "tavistock") == ["Run by the academy"]


def test_search_finds_a_programme_by_a_theme(client) -> None:
    factories.ProgrammeFactory(title="With the theme", themes="Corporate parenting\nBudgets")
    factories.ProgrammeFactory(title="Without it", themes="Coaching")
    assert _titles(client, "parenting") == ["With the theme"]


def test_a_misspelt_title_word_still_finds_the_programme(client) -> None:
    factories.ProgrammeFactory(title="Safeguarding essentials")
    factories.ProgrammeFactory(title="Finance for leaders")
    assert _titles(client, "safeguardng") == ["Safeguarding essentials"]


def test_the_vector_follows_a_change_made_through_the_console_service() -> None:
    programme = factories.ProgrammeFactory(title="Old name", summary="Plain.")
    by = factories.UserFactory()
    programme_update(programme=programme, data={"title": "Resilience lab"}, by=by)
    assert "'resili':1A" in _vector(programme)
    assert "old" not in _vector(programme)


@pytest.mark.parametrize("how", ["save", "update"])
def test_the_vector_follows_any_write_of_the_row(how) -> None:
    programme = factories.ProgrammeFactory(summary="Plain.")
    if how == "save":  # the admin saves every field of the instance it loaded
        loaded = Programme.objects.get(pk=programme.pk)
        loaded.summary = "About commissioning."
        loaded.save()
    else:
        Programme.objects.filter(pk=programme.pk).update(summary="About commissioning.")
    assert "'commiss':" in _vector(programme)


def test_the_vector_follows_the_providers_added_and_removed() -> None:
    first = factories.ProviderFactory(name="Birchwood Institute", slug="birchwood")
    second = factories.ProviderFactory(name="Larkspur College", slug="larkspur")
    programme = factories.ProgrammeFactory(providers=[first])
    assert "birchwood" in _vector(programme)
    programme_update(programme=programme, data={}, providers=[second], by=factories.UserFactory())
    assert "larkspur" in _vector(programme)
    assert "birchwood" not in _vector(programme)
    programme.providers.add(first)
    assert "birchwood" in _vector(programme)
    programme.providers.clear()
    assert "larkspur" not in _vector(programme) and "birchwood" not in _vector(programme)


def test_renaming_a_provider_refreshes_the_vector_of_each_of_its_programmes(client) -> None:
    provider = factories.ProviderFactory(name="Old Trust", slug="old-trust")
    one = factories.ProgrammeFactory(title="One", providers=[provider])
    two = factories.ProgrammeFactory(title="Two", providers=[provider])
    other = factories.ProgrammeFactory(title="Three")
    provider.name = "Kestrel Partnership"
    provider.save()
    assert "kestrel" in _vector(one) and "kestrel" in _vector(two)
    assert "kestrel" not in _vector(other)
    assert sorted(_titles(client, "kestrel")) == ["One", "Two"]


def test_deleting_a_provider_takes_its_name_out_of_the_vector() -> None:
    provider = factories.ProviderFactory(name="Hawthorn Centre", slug="hawthorn")
    programme = factories.ProgrammeFactory(providers=[provider, factories.ProviderFactory()])
    provider.delete()
    assert "hawthorn" not in _vector(programme)


@pytest.mark.parametrize("query", ["leadership", "leadershp", "leadership -wales"])
def test_no_search_query_builds_a_text_vector(client, query) -> None:
    for n in range(25):
        factories.ProgrammeFactory(title=f"Leadership programme {n}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1
    assert not [q["sql"] for q in queries if "to_tsvector" in q["sql"]]


def test_the_vector_is_not_logged_in_the_audit_trail() -> None:
    from auditlog.models import LogEntry

    programme = factories.ProgrammeFactory()
    by = User.objects.create_user("editor@example.org", "a-long-passphrase-1")
    programme_update(programme=programme, data={"summary": "New words."}, by=by)
    for entry in LogEntry.objects.get_for_object(programme):
        assert "search_vector" not in (entry.changes_dict or {})
