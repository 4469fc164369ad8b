"""The national reference figures: loaded with their date and source, kept up to date in
the admin, and the newest one shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import ReferenceFigure
from reports.selectors import latest_reference_figures

pytestmark = pytest.mark.django_db


def test_the_directors_figures_are_loaded_with_their_date_and_source():
    figures = latest_reference_figures()
    assert {group: figure.percent for group, figure in figures.items()} == {
        "white_british": Decimal("81.0"),
        "black_or_mixed": Decimal("6.0"),
        "disabled": Decimal("0.0"),
    }
    assert all(figure.source and figure.as_of for figure in figures.values())


def test_a_newer_figure_replaces_the_one_shown():
    ReferenceFigure.objects.create(
        group="white_british", percent=Decimal("78.5"), as_of=dt.date(2025, 1, 1), source="Newer"
    )
    assert latest_reference_figures()["white_british"].percent == Decimal("78.5")


def test_an_administrator_edits_the_figures_in_the_admin(admin_client):
    figure = ReferenceFigure.objects.get(group="disabled")
    url = reverse("admin:reports_referencefigure_change", args=[figure.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "population": figure.population,
        "group": figure.group,
        "percent": "1.5",
        "as_of": "2022-01-01",
        "source": figure.source,
        "source_url": "",
        "note": "Corrected.",
    }
    assert admin_client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert figure.percent == Decimal("1.5")
