"""Steps every console browser test takes: sign in, follow a link or button, check a page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories

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
