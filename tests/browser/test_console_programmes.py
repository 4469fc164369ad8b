"""A programme's pages in the console, in a real browser: axe on each, errors included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from programmes.models import Programme, ProgrammeTeamMember
from tests import factories

from .steps import follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme",
        programme__contact_email="aspiring@example.org",
        name="Spring cohort",
    )
    user = factories.UserFactory(email="team@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    factories.ProgrammeTeamMemberFactory(
        user=factories.UserFactory(full_name="Sam Screener"),
        programme=cohort.programme,
        role=ProgrammeTeamMember.Role.SCREENER,
    )
    return user


def test_manager_edits_a_programme_and_runs_its_team(page, live_server, manager) -> None:
    base = live_server.url
    sign_in(page, base, manager.email)

    page.goto(f"{base}/manage/")
    follow(page, page.get_by_role("link", name="Your programmes: details, publishing and teams"))
    follow(page, page.get_by_role("link", name="Aspiring directors programme"))
    expect(page.get_by_role("link", name="Spring cohort")).to_be_visible()

    # A fee on a funded programme: the form comes back with the reason beside the fee.
    follow(page, page.get_by_role("link", name="Edit details"))
    page.get_by_label("Funded (free to participants)").check()
    page.get_by_label("Fee (£)").fill("450")
    page.get_by_label("Title").fill("")
    follow(page, page.get_by_role("button", name="Save changes"))
    expect(page.locator("[data-error-summary]")).to_contain_text("A funded programme has no fee")
    expect(page.locator("#id_cost_amount_error")).to_contain_text("A funded programme has no fee")

    page.get_by_label("Title").fill("Aspiring directors")
    page.get_by_label("Fee (£)").fill("")
    follow(page, page.get_by_role("button", name="Save changes"))
    expect(page.locator(".alert-success")).to_contain_text("Your changes are saved.")
    assert Programme.objects.get().cost_type == "funded"

    follow(page, page.get_by_role("link", name="Preview the public page"))
    expect(page.locator("[data-preview]")).to_contain_text("Preview: published")
    follow(page, page.get_by_role("link", name="Back to the programme in the console"))

    follow(page, page.get_by_role("link", name="Team", exact=True))
    expect(page.locator("table.team")).to_contain_text("Sam Screener")
    page.get_by_label("Email address").fill("nobody@example.org")
    follow(page, page.get_by_role("button", name="Add to the team"))
    expect(page.locator("#id_email_error")).to_contain_text("There is no account")

    follow(page, page.get_by_role("link", name=re.compile("^Remove from the team.*Sam Screener$")))
    follow(page, page.get_by_role("button", name="Yes, remove them"))
    expect(page.locator(".alert-success")).to_contain_text("Sam Screener is no longer")
