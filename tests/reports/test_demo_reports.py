"""The demo's past cohorts, as the reports show them: true to the published record."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from programmes.models import Cohort
from reports.report import cohort_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("loaddemo", verbosity=0)


def _cohort(name: str) -> Cohort:
    return Cohort.objects.get(programme__slug="upon-aspiring-directors", name=name)


def test_the_first_upon_cohort_reads_as_reported(loaded):
    report = cohort_report(cohort=_cohort("Cohort 1"))
    assert report.funnel.cell("enrolled").count == 19
    assert report.funnel.cell("completed").count == 19
    sector = next(s for s in report.background if s.key == "sector").breakdown
    column = {label: cell for label, cell in sector.column("enrolled")}
    assert column["Children's social care"].count == 14
    # 3, 1 and 1: each fewer than 5, so hidden, as any small group is.
    assert column["Education"].text == "fewer than 5"
    rows = {row.group: row for row in report.reference}
    assert rows["white_british"].cell.count == 14
    assert rows["disabled"].cell.count == 0


def test_the_later_cohorts_are_bigger_with_completions_and_a_waiting_list(loaded):
    for name in ("Cohort 2", "2023 cohort"):
        report = cohort_report(cohort=_cohort(name))
        assert report.funnel.cell("enrolled").count >= 35
        assert report.funnel.cell("completed").count >= 30
        assert report.waiting.offered_from_list.count == (6 if name == "Cohort 2" else 5)
        assert report.waiting.median_days is not None


def test_the_demo_funder_sees_the_upon_reports(loaded, client):
    client.force_login(User.objects.get(email="funder@example.com"))
    listing = client.get(reverse("reports:programmes"))
    slugs = {p.slug for p in listing.context["programmes"]}
    assert slugs == {"upon-aspiring-directors", "upon-new-directors"}
    cohort = _cohort("2023 cohort")
    url = reverse("reports:cohort", args=["upon-aspiring-directors", cohort.pk])
    assert client.get(url).status_code == 200
