"""The first public pages in a real browser: accessible, and usable by keyboard."""

from __future__ import annotations

import pytest

from tests import factories

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programmes() -> list:
    first = factories.ProgrammeFactory(title="Aspiring directors programme")
    factories.CohortFactory(programme=first)
    return [first, factories.ProgrammeFactory(title="Women in leadership")]


def test_home_page_passes_axe(page, live_server, programmes) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_programme_list_passes_axe(page, live_server, programmes) -> None:
    page.goto(live_server.url + "/programmes/")
    assert page.get_by_role("heading", name="Aspiring directors programme").is_visible()
    assert_accessible(page)


def test_programme_page_passes_axe(page, live_server, programmes) -> None:
    page.goto(live_server.url + programmes[0].get_absolute_url())
    assert page.locator("h1").inner_text() == "Aspiring directors programme"
    assert_accessible(page)


def test_skip_link_is_first_and_moves_focus_to_main_content(page, live_server, programmes) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).left") == "0px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_keyboard_user_can_search_and_reach_a_programme(page, live_server, programmes) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Search programmes").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/programmes/**")
    link = page.get_by_role("link", name="Aspiring directors programme")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + programmes[0].get_absolute_url())
    assert page.locator("h1").inner_text() == "Aspiring directors programme"


def test_axe_check_catches_a_real_violation(page, live_server, programmes) -> None:
    """Guards the guard: a page with an unlabelled field must fail the check."""
    from .axe import axe_violations

    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    assert "label" in {v["id"] for v in axe_violations(page)}


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/privacy/", "Privacy notice"),
        ("/accessibility/", "Accessibility statement for the leadership programmes portal"),
        ("/cookies/", "Cookies"),
        ("/contact/", "Contact"),
        ("/no-such-page/", "Page not found"),
    ],
)
def test_footer_pages_and_the_404_page_pass_axe(page, live_server, programmes, path, heading):
    from playwright.sync_api import expect

    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    footer = page.get_by_role("navigation", name="About this site")
    for name in ["Contact", "Privacy", "Cookies", "Accessibility statement"]:
        expect(footer.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_keyboard_user_reaches_the_accessibility_statement_from_the_footer(
    page, live_server, programmes
) -> None:
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    link = page.get_by_role("navigation", name="About this site").get_by_role(
        "link", name="Accessibility statement"
    )
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/accessibility/")
    expect(page.get_by_role("heading", name="How we tested this portal")).to_be_visible()
