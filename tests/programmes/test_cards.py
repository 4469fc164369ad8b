"""Directory cards and filters are kept per content: reused while unchanged, redrawn when not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from programmes.cards import CARD_INPUTS, CARD_TEMPLATE, DERIVED
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("programmes:list")
CARD_PARTS = (CARD_TEMPLATE, "programmes/_availability_tag.html", "programmes/_cost.html")


def _card_renders(client, path: str = URL) -> tuple[int, str]:
    rendered: list[str] = []

    def record(sender, template, **kwargs) -> None:
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        response = client.get(path)
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    return rendered.count(CARD_TEMPLATE), response.content.decode()


def test_every_field_a_card_shows_is_part_of_its_key() -> None:
    read: set[str] = set()
    for name in CARD_PARTS:
        text = (Path(settings.BASE_DIR) / "templates" / name).read_text()
        read |= set(re.findall(r"\bprogramme\.(\w+)", text))
    assert read, "the card templates name no programme fields: has the card moved?"
    assert read <= set(CARD_INPUTS) | DERIVED, read - set(CARD_INPUTS) - DERIVED


def test_a_second_visit_reuses_the_cards(client) -> None:
    factories.CohortFactory.create_batch(3)
    first, first_body = _card_renders(client)
    second, second_body = _card_renders(client)
    assert (first, second) == (3, 0)
    assert first_body == second_body


def test_a_renamed_programme_or_provider_is_redrawn_at_once(client) -> None:
    cohort = factories.CohortFactory(programme__title="Leading in complexity")
    programme = cohort.programme
    _card_renders(client)
    programme.title = "Leading through complexity"
    programme.save()
    provider = programme.providers.first()
    provider.name = "Renamed provider"
    provider.save()
    renders, body = _card_renders(client)
    assert renders == 1
    assert "Leading through complexity" in body and "Leading in complexity" not in body
    assert "Renamed provider" in body


def test_a_cohort_filling_up_changes_the_card(client) -> None:
    now = timezone.now()
    cohort = factories.CohortFactory(
        capacity=1,
        applications_open_at=now - timezone.timedelta(days=1),
        applications_close_at=now + timezone.timedelta(days=5),
    )
    _renders, before = _card_renders(client)
    assert "Open for applications" in before
    cohort.places_taken = 1
    cohort.save(update_fields=["places_taken"])
    renders, after = _card_renders(client)
    assert renders == 1
    assert "Full: waiting list open" in after


def test_the_home_page_shares_the_cards(client) -> None:
    factories.CohortFactory.create_batch(2)
    assert _card_renders(client)[0] == 2
    assert _card_renders(client, reverse("home:index"))[0] == 0


def _filter_renders(client, params: dict) -> tuple[int, str]:
    rendered: list[str] = []

    def record(sender, template, **kwargs) -> None:
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        response = client.get(URL, params)
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    return rendered.count("programmes/_filter_groups.html"), response.content.decode()


def test_the_filters_are_kept_per_choice_and_tick(client) -> None:
    factories.CohortFactory()
    assert _filter_renders(client, {})[0] == 1
    assert _filter_renders(client, {})[0] == 0
    renders, body = _filter_renders(client, {"audience": "senior_leader"})
    assert renders == 1
    assert re.search(r'value="senior_leader" class="form-check-input" id="[^"]+" checked', body)
    renders, body = _filter_renders(client, {"audience": "nonsense"})
    assert renders == 1
    assert 'aria-describedby="filter-audience-error"' in body


def test_a_new_provider_appears_among_the_filters(client) -> None:
    factories.CohortFactory()
    _filter_renders(client, {})
    factories.CohortFactory(programme__providers=[factories.ProviderFactory(name="Newly listed")])
    renders, body = _filter_renders(client, {})
    assert renders == 1 and "Newly listed" in body
