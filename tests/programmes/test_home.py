"""The home page: the number it states and the cards it shows come from one listing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.selectors import programme_showcase_public
from programmes.views import HOME_CARDS
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _home(client) -> tuple[str, list[str]]:
    body = client.get(reverse("home:index")).content.decode()
    heading = re.search(r"<h2>(.*?)</h2>", body, re.S)
    assert heading
    titles = re.findall(r'<h3 class="h4 card-title"><a href="[^"]+">([^<]+)</a>', body)
    return heading.group(1), titles


def test_home_states_how_many_of_how_many_programmes_it_shows(client) -> None:
    for n in range(HOME_CARDS + 3):
        factories.ProgrammeFactory(title=f"Programme {n:02}")
    factories.ProgrammeFactory(title="Draft", is_published=False)
    heading, titles = _home(client)
    assert len(titles) == HOME_CARDS
    assert heading == f"The first {HOME_CARDS} of {HOME_CARDS + 3} programmes, soonest to start"
    body = client.get(reverse("home:index")).content.decode()
    assert f"See all {HOME_CARDS + 3} programmes" in body


def test_home_with_few_programmes_counts_exactly_the_cards(client) -> None:
    factories.ProgrammeFactory(title="Only one")
    factories.ProgrammeFactory(title="Draft", is_published=False)
    heading, titles = _home(client)
    assert titles == ["Only one"]
    assert heading == "1 programme"


def test_home_shows_the_directory_first_page_in_the_same_order(client) -> None:
    factories.ProgrammeFactory(title="A undated")
    factories.CohortFactory(programme__title="B later", starts_on=TODAY + 90 * DAY)
    factories.CohortFactory(programme__title="C sooner", starts_on=TODAY + 10 * DAY)
    _, titles = _home(client)
    directory = client.get(reverse("programmes:list")).content.decode()
    listed = re.findall(r'<h3 class="h4 card-title"><a href="[^"]+">([^<]+)</a>', directory)
    assert titles == listed == ["C sooner", "B later", "A undated"]


def test_showcase_of_an_empty_catalogue_is_empty(client) -> None:
    showcase = programme_showcase_public(limit=HOME_CARDS)
    assert showcase.programmes == [] and showcase.total == 0
    heading, titles = _home(client)
    assert titles == [] and heading == "0 programmes"
