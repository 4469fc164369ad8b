"""The peer network in a real browser: an enrolled participant joins, sees a fellow
participant who joined, and never sees one who did not. axe runs on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.resources.factories import NetworkProfileFactory, participant

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ME = "nia.jones@example.org"


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    cohort = factories.CohortFactory(programme__title="Upon aspiring directors")
    joined = participant(cohort=cohort, full_name="Tomos Evans")
    NetworkProfileFactory(
        user=joined, programme=cohort.programme, name="Tomos Evans",
        job_title="Head of children's services", can_help_with="Placement sufficiency",
    )  # fmt: skip
    participant(cohort=cohort, full_name="Hidden Person", email="hidden@example.org")
    me = participant(cohort=cohort, full_name="Nia Jones", email=ME)
    factories.ProfileFactory(user=me, job_title="Service manager")
    return cohort


def test_an_enrolled_participant_joins_and_sees_only_peers_who_joined(
    page, live_server, cohort
) -> None:
    sign_in(page, live_server.url, ME)
    page.goto(live_server.url + "/account/")
    check_page(page)
    follow(page, page.get_by_role("link", name="Peer network", exact=True))
    follow(page, page.get_by_role("link", name="Upon aspiring directors"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peer network")
    expect(page.get_by_text("Tomos Evans")).to_have_count(0)
    page.get_by_label("Job title").fill("Service manager, fostering")
    page.get_by_label("What you can help with").fill("Recruiting foster carers")
    follow(page, page.get_by_role("button", name="Join the peer network"))
    members = page.locator("[data-member]")
    expect(members).to_have_count(1)
    expect(members.first).to_contain_text("Tomos Evans")
    expect(members.first).to_contain_text("Placement sufficiency")
    expect(page.get_by_text("Hidden Person")).to_have_count(0)

    page.get_by_label("Region").select_option("wales")
    follow(page, page.get_by_role("button", name="Search"))
    expect(page.locator("[data-member]")).to_have_count(0)

    follow(page, page.get_by_role("link", name="Change your profile"))
    follow(page, page.get_by_role("button", name="Save your profile"))
    follow(page, page.get_by_role("button", name="Leave the peer network"))
    expect(page.get_by_text("Not joined")).to_be_visible()


def test_a_withdrawn_participant_deletes_the_profile_nobody_can_see(
    page, live_server, cohort
) -> None:
    gone = participant(cohort=cohort, state="withdrawn", email="gone@example.org")
    NetworkProfileFactory(user=gone, programme=cohort.programme)
    sign_in(page, live_server.url, "gone@example.org")
    page.goto(live_server.url + "/account/network/")
    check_page(page)
    expect(page.locator("[data-left-behind]")).to_have_count(1)
    follow(page, page.get_by_role("button", name="Delete this profile"))
    expect(page.locator("[data-left-behind]")).to_have_count(0)
