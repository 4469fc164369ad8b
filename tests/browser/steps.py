"""Steps every console browser test takes: sign in, follow a link or button, check a page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pyotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories
from tests.second_factor import fresh_code

from .axe import assert_accessible


def check_page(page: Any) -> None:
    """The page has loaded, has one h1, and axe finds no WCAG A/AA violation on it."""
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def follow(page: Any, locator: Any) -> None:
    """Click a link or button that loads a page, then check that page."""
    with page.expect_navigation():
        locator.click()
    check_page(page)


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, email)


def pass_second_factor(page: Any, email: str) -> None:
    """Take the two-step sign-in as a person would, if the page asks for it.

    Staff, screeners, provider staff and administrators are asked after the password: to
    set up an app the first time (the secret read from the page, the code computed with
    pyotp, the recovery codes kept), for the app's code after that.
    """
    path = urlparse(page.url).path
    if path == "/account/two-factor/set-up/":
        secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
        page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.get_by_role("button", name="Turn on two-step sign-in").click()
        page.get_by_label("I have saved these recovery codes somewhere safe").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    elif path == "/account/two-factor/":
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        page.locator("#id_code").fill(fresh_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
