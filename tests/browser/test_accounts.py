"""Account pages in a real browser: accessible (axe-core), and sign-up works by keyboard alone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from accounts.models import Nation, User
from tests import factories

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

STRONG = "a-long-and-unusual-passphrase-42"


def _sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/)"))


def _tab_to(page, predicate: str, limit: int = 30) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element satisfies a JS predicate on `el`."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"never reached an element where {predicate}")


@pytest.fixture
def applicant() -> User:
    user = factories.UserFactory(email="ali@example.org", full_name="Ali Khan")
    factories.LocalAuthorityFactory(name="Testshire County Council")
    factories.LocalAuthorityFactory(name="Cyngor Prawf", nation=Nation.WALES)
    return user


def test_signup_page_passes_axe_empty_and_with_errors(page, live_server) -> None:
    page.goto(live_server.url + "/account/signup/")
    assert page.locator("h1").inner_text() == "Create an account"
    assert_accessible(page)

    page.get_by_role("button", name="Create account").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert "Enter your full name." in summary.inner_text()
    assert_accessible(page)
    # Each error in the summary links to its field.
    summary.get_by_role("link", name=re.compile("Email address")).click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_login_page_passes_axe(page, live_server) -> None:
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)


def test_account_and_profile_pages_pass_axe(page, live_server, applicant) -> None:
    _sign_in(page, live_server, applicant)
    page.goto(live_server.url + "/account/")
    assert page.locator("h1").inner_text() == "Your account"
    assert_accessible(page)

    page.goto(live_server.url + "/account/profile/")
    assert page.locator("optgroup[label='Wales'] option").inner_text() == "Cyngor Prawf"
    assert_accessible(page)
    page.get_by_label("Type of employer").select_option("local_authority")
    page.get_by_role("button", name="Save").click()
    page.locator("[data-error-summary]").wait_for()
    assert_accessible(page)


def test_career_pages_pass_axe(page, live_server, applicant) -> None:
    factories.CareerEntryFactory(user=applicant, started_on=dt.date(2018, 4, 1))
    _sign_in(page, live_server, applicant)

    page.goto(live_server.url + "/account/career/")
    assert page.locator("[data-senior-years]").is_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/account/career/add/")
    assert_accessible(page)
    page.locator("#id_role_title").fill("Interim director")
    page.get_by_role("button", name="Add role").click()
    page.locator("[data-error-summary]").wait_for()
    assert page.locator("#id_role_title").input_value() == "Interim director"
    assert_accessible(page)


def test_keyboard_only_sign_up_and_email_confirmation(page, live_server) -> None:
    page.goto(live_server.url + "/account/signup/")
    _tab_to(page, "el.id === 'id_full_name'")
    page.keyboard.type("Kit Keyboard")
    page.keyboard.press("Tab")
    page.keyboard.type("kit@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password1"
    page.keyboard.type(STRONG)
    page.keyboard.press("Tab")
    page.keyboard.type(STRONG)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/account/")
    assert "We have sent a link to kit@example.org" in page.content()

    user = User.objects.get(email="kit@example.org")
    assert not user.email_verified
    [message] = [m for m in mail.outbox if m.to == ["kit@example.org"]]
    link = re.search(r"https?://[^/\s]+(/account/verify/[^/\s]+/)", message.body)
    assert link
    page.goto(live_server.url + link.group(1))
    _tab_to(page, "el.textContent.trim() === 'Confirm my email address'")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/account/")
    user.refresh_from_db()
    assert user.email_verified
