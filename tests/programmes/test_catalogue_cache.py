"""The public catalogue pages kept under the catalogue version (programmes.catalogue_cache).

Transactional tests on PostgreSQL: the version is raised by triggers at commit, so every
change here is committed, as a real writer's would be, and each page is asked for again.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from programmes.catalogue_cache import CatalogueCache, catalogue_versions
from programmes.models import Cohort, Programme, Provider
from resources.models import ResourceStatus
from tests import factories
from tests.resources.factories import ResourceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DIRECTORY = reverse("programmes:list")
HOME = reverse("home:index")
API_PROGRAMMES = reverse("api:v1-programme-list")
API_COHORTS = reverse("api:v1-cohort-list")


@pytest.fixture
def programme() -> Programme:
    programme = factories.ProgrammeFactory(
        title="Upon aspiring directors", providers=[factories.ProviderFactory(name="Upon")]
    )
    factories.CohortFactory(programme=programme, name="Spring cohort", capacity=20)
    return programme


def catalogue_version() -> int | None:
    versions = catalogue_versions()
    return versions.catalogue if versions else None


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Kept ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [DIRECTORY, DIRECTORY + "?q=directors", HOME, "programme", API_PROGRAMMES, API_COHORTS],
)
def test_a_page_asked_for_again_costs_only_the_version_read(
    client, programme, django_assert_num_queries, url
) -> None:
    url = programme.get_absolute_url() if url == "programme" else url
    first = client.get(url)

    with django_assert_num_queries(1):
        again = client.get(url)

    assert again.status_code == first.status_code == 200
    assert again.content == first.content


def test_the_layout_around_a_kept_page_is_still_each_visitors_own(client, programme) -> None:
    _page(client, DIRECTORY)
    person = factories.UserFactory()
    client.force_login(person)

    assert "Sign out" in _page(client, DIRECTORY)
    assert "Sign out" not in _page(Client(), DIRECTORY)


def test_a_kept_programme_page_gives_every_visitor_a_working_csrf_token(programme) -> None:
    Cohort.objects.update(applications_close_at=timezone.now() - dt.timedelta(hours=1))
    url = programme.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        body = _page(visitor, url)
        assert "Tell me about future dates" in body
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1])  # type: ignore[index]

    assert tokens[0] != tokens[1]
    response = second.post(
        reverse("programmes:future_dates", kwargs={"slug": programme.slug}),
        {"email": "sam@example.org", "consent": "on", "csrfmiddlewaretoken": tokens[1]},
    )
    assert response.status_code == 302


def test_different_addresses_are_kept_apart(client, programme) -> None:
    factories.ProgrammeFactory(title="Women in Leadership")

    assert "Women in Leadership" in _page(client, DIRECTORY)
    assert "Women in Leadership" not in _page(client, DIRECTORY + "?q=directors")
    assert "Upon aspiring directors" in _page(client, DIRECTORY + "?q=directors")


# --- Any change shows at once ---------------------------------------------------------


def _rename_programme(programme: Programme) -> str:
    Programme.objects.filter(pk=programme.pk).update(title="Aspiring directors, renamed")
    return "Aspiring directors, renamed"


def _rename_provider(programme: Programme) -> str:
    Provider.objects.filter(programmes=programme).update(name="Upon, renamed")
    return "Upon, renamed"


def _add_provider(programme: Programme) -> str:
    programme.providers.add(factories.ProviderFactory(name="A second provider"))
    return "A second provider"


def _add_cohort(programme: Programme) -> str:
    factories.CohortFactory(programme=programme, name="Autumn cohort")
    return "Autumn cohort"


def _take_places(programme: Programme) -> str:
    Cohort.objects.filter(programme=programme).update(places_taken=17)
    return ">3<"  # places left


def _add_rule(programme: Programme) -> str:
    factories.EligibilityRuleFactory(programme=programme, message="Three years as a head")
    return "Three years as a head"


def _publish_resource(programme: Programme) -> str:
    resource = ResourceFactory(
        title="A guide to the assessment centre", status=ResourceStatus.DRAFT, programme=programme
    )
    resource.status = ResourceStatus.PUBLISHED
    resource.save()
    return "A guide to the assessment centre"


def _join_waiting_list(programme: Programme) -> str:
    factories.ApplicationFactory(cohort=programme.cohorts.get(), state="waitlisted")
    return "1 person"


def _unpublish(programme: Programme) -> str:
    Programme.objects.filter(pk=programme.pk).update(is_published=False)
    return ""


CHANGES = [
    _rename_programme,
    _rename_provider,
    _add_provider,
    _add_cohort,
    _take_places,
    _add_rule,
    _publish_resource,
    _join_waiting_list,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_committed_change_shows_on_the_next_programme_page(
    client, programme, change: Callable[[Programme], str]
) -> None:
    url = programme.get_absolute_url()
    _page(client, url)

    shown = change(programme)

    assert shown in _page(client, url)


@pytest.mark.parametrize("change", [_rename_programme, _rename_provider, _take_places])
def test_a_committed_change_shows_on_the_next_directory_home_and_api_answer(
    client, programme, change: Callable[[Programme], str]
) -> None:
    before = {url: client.get(url).content for url in (DIRECTORY, HOME, API_PROGRAMMES)}
    before[API_COHORTS] = client.get(API_COHORTS).content

    change(programme)

    changed = {url for url in before if client.get(url).content != before[url]}
    if change is _take_places:
        assert changed >= {API_COHORTS}
    else:
        assert changed == set(before) - {API_COHORTS}


def test_an_unpublished_programme_is_gone_at_once(client, programme) -> None:
    url = programme.get_absolute_url()
    _page(client, url)
    _unpublish(programme)

    assert client.get(url).status_code == 404
    assert "Upon aspiring directors" not in _page(client, DIRECTORY)


def test_a_change_made_outside_django_shows_too(client, programme) -> None:
    _page(client, DIRECTORY)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE programmes_programme SET title = 'Renamed in psql'")

    assert "Renamed in psql" in _page(client, DIRECTORY)


def test_other_application_changes_leave_the_version_alone(programme) -> None:
    before = catalogue_version()
    application = factories.ApplicationFactory(cohort=programme.cohorts.get(), state="submitted")
    Application.objects.filter(pk=application.pk).update(supporting_statement="More")

    assert catalogue_version() == before


def test_the_version_goes_up_once_a_transaction_however_many_rows(programme) -> None:
    factories.ProgrammeFactory()
    before = catalogue_version()
    assert before is not None
    with transaction.atomic():
        Programme.objects.update(duration="A year")
        Cohort.objects.update(capacity=30)

    assert catalogue_version() == before + 1


# --- Places alone: only the pages that show them are made again -----------------------

# What shows a place count or a waiting list, and what shows only whether there is a place.
SHOWS_PLACES = ["programme", API_COHORTS, "api programme"]
SHOWS_WHETHER = [DIRECTORY, DIRECTORY + "?places=true", HOME, API_PROGRAMMES]


def _url(programme: Programme, url: str) -> str:
    if url == "programme":
        return programme.get_absolute_url()
    if url == "api programme":
        return reverse("api:v1-programme-detail", kwargs={"slug": programme.slug})
    return url


def _book(programme: Programme, places: int = 1) -> None:
    # As take_place books: an F() update of the cohort's count.
    Cohort.objects.filter(programme=programme).update(places_taken=F("places_taken") + places)


@pytest.mark.parametrize("url", SHOWS_WHETHER)
def test_a_booking_that_leaves_places_keeps_the_pages_that_only_say_whether(
    client, programme, django_assert_num_queries, url
) -> None:
    first = client.get(url)
    _book(programme)

    with django_assert_num_queries(1):  # the versions, and the page as it was
        again = client.get(url)
    assert again.content == first.content


@pytest.mark.parametrize("url", SHOWS_PLACES)
def test_a_booking_remakes_the_pages_that_show_places_left(client, programme, url) -> None:
    url = _url(programme, url)
    before = client.get(url).content
    _book(programme, places=3)

    after = client.get(url).content
    assert after != before
    assert b"17" in after  # 20 places, 3 taken


@pytest.mark.parametrize("url", SHOWS_WHETHER)
def test_filling_the_last_place_remakes_every_page(client, programme, url) -> None:
    before = client.get(url).content
    _book(programme, places=19)
    assert client.get(url).content == before  # one place left: still a place

    _book(programme)  # the twentieth

    assert client.get(url).content != before


def test_freeing_a_place_in_a_full_cohort_remakes_the_directory(client, programme) -> None:
    _book(programme, places=20)
    full = _page(client, DIRECTORY + "?places=true")
    assert "Upon aspiring directors" not in full

    Cohort.objects.filter(programme=programme).update(places_taken=F("places_taken") - 1)

    assert "Upon aspiring directors" in _page(client, DIRECTORY + "?places=true")


def test_places_and_waiting_lists_raise_the_places_version_alone(programme) -> None:
    cohort = programme.cohorts.get()
    before = catalogue_versions()
    assert before is not None

    _book(programme)
    factories.ApplicationFactory(cohort=cohort, state="waitlisted")

    after = catalogue_versions()
    assert after is not None
    assert after.catalogue == before.catalogue
    assert after.places == before.places + 2  # two transactions


def test_any_other_change_to_a_cohort_raises_the_catalogue_version(programme) -> None:
    before = catalogue_version()
    assert before is not None
    with transaction.atomic():
        Cohort.objects.filter(programme=programme).update(name="Summer cohort")
        _book(programme)  # in the same transaction: still one rise

    assert catalogue_version() == before + 1


# --- A writer sees its own change; nobody waits -------------------------------------


def test_a_transaction_that_changed_the_catalogue_sees_its_change_and_keeps_nothing(
    client, programme
) -> None:
    _page(client, DIRECTORY)

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(title="Not committed")
        assert catalogue_version() is None
        assert "Not committed" in _page(client, DIRECTORY)
        raise RolledBack

    body = _page(client, DIRECTORY)
    assert "Not committed" not in body
    assert "Upon aspiring directors" in body


def test_changes_in_different_cohorts_do_not_wait_for_each_other(programme) -> None:
    other = factories.CohortFactory(programme=factories.ProgrammeFactory())
    first = programme.cohorts.get()
    finished = threading.Event()
    problems: list[BaseException] = []

    def book_elsewhere() -> None:
        try:
            with transaction.atomic():
                Cohort.objects.filter(pk=other.pk).update(places_taken=1)
            finished.set()
        except BaseException as error:  # reported to the test below
            problems.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        Cohort.objects.filter(pk=first.pk).update(places_taken=1)
        thread = threading.Thread(target=book_elsewhere)
        thread.start()
        # The version row is only written at commit, so the other booking commits now.
        assert finished.wait(timeout=10), "a change in another cohort waited for this one"
    thread.join()
    assert not problems


# --- Time ---------------------------------------------------------------------------


def test_a_kept_page_ends_when_an_application_window_opens(client, monkeypatch) -> None:
    opens = timezone.now() + dt.timedelta(hours=2)
    factories.CohortFactory(
        programme=factories.ProgrammeFactory(title="Opening soon"), applications_open_at=opens
    )
    assert "Opening soon" not in _page(client, DIRECTORY + "?open_now=true")

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=3))

    assert "Opening soon" in _page(client, DIRECTORY + "?open_now=true")


def test_a_kept_page_ends_at_midnight(client, programme, monkeypatch) -> None:
    starts = timezone.localdate() + dt.timedelta(days=1)
    Cohort.objects.update(starts_on=starts, applications_open_at=None, applications_close_at=None)
    url = programme.get_absolute_url()
    assert 'data-status="running"' not in _page(client, url)

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(days=1, hours=1))

    assert 'data-status="running"' in _page(client, url)  # it started at midnight


# --- Switched off, bounded ---------------------------------------------------------------


def test_with_no_bytes_allowed_nothing_is_kept_and_no_version_is_read(
    client, programme, settings, django_assert_num_queries
) -> None:
    settings.CATALOGUE_CACHE_BYTES = 0
    client.get(HOME)
    with django_assert_num_queries(2):  # the count and the cards, as before
        client.get(HOME)


def test_the_least_recently_used_pages_go_first_past_the_size_allowed(settings) -> None:
    settings.CATALOGUE_CACHE_BYTES = 25
    kept = CatalogueCache()
    made: list[str] = []

    def page(name: str) -> Callable[[], tuple[str, int]]:
        def make() -> tuple[str, int]:
            made.append(name)
            return name * 10, 10

        return make

    for name in ("a", "b", "a", "c", "a", "b"):
        kept.get_or_make(1, name, page(name))

    # a, b kept; a used again; c pushes out b (least recent); b is made again.
    assert made == ["a", "b", "c", "b"]
    assert kept.get_or_make(2, "a", page("a")) == "aaaaaaaaaa"
    assert made == ["a", "b", "c", "b", "a"]  # a new version starts empty


def test_nothing_is_kept_without_a_version(settings: Any) -> None:
    kept = CatalogueCache()
    made: list[int] = []
    for _ in range(2):
        kept.get_or_make(None, "page", lambda: (made.append(1), 1))
    assert len(made) == 2
