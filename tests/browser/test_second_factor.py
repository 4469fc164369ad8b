"""Two-step sign-in in a real browser: a manager sets up an app at first sign-in, keeps the
recovery codes, reaches the console, and is asked for a code the next time. axe runs on
every two-step page.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from programmes.models import ProgrammeTeamMember
from tests import factories

from .steps import check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    cohort = factories.CohortFactory(programme__title="Aspiring directors programme")
    user = factories.UserFactory(email="team@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    return user


def _password(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/account/login/?next=/manage/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_manager_sets_up_an_app_keeps_recovery_codes_and_reaches_the_console(
    page, live_server, manager
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    _password(page, base, manager.email)

    expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/\?next=%2Fmanage%2F$"))
    check_page(page)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    page.get_by_label("Code from your app").fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("That code is not right")
    check_page(page)

    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Confirm that you have saved")
    page.get_by_label("I have saved these recovery codes somewhere safe").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{base}/manage/")
    expect(page.get_by_role("heading", name="Aspiring directors programme")).to_be_visible()
    check_page(page)

    # Signed out and back in: the password alone no longer opens the console.
    page.context.clear_cookies()
    _password(page, base, manager.email)
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=%2Fmanage%2F$"))
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    check_page(page)
    page.goto(f"{base}/manage/")
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()

    page.locator("#id_code").fill("12345678")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("That code is not right")
    check_page(page)


def test_the_account_page_offers_an_applicant_two_step_sign_in(page, live_server) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    applicant = factories.UserFactory(email="applicant@example.org")
    page.goto(f"{base}/account/login/?next=/account/")
    page.get_by_label("Email address").fill(applicant.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{base}/account/")
    with page.expect_navigation():
        page.get_by_role("link", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    check_page(page)
