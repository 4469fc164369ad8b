"""The "Am I eligible?" page in a real browser: accessible, and usable with a keyboard alone."""

from __future__ import annotations

import pytest

from applications.models import RuleKind
from programmes.models import Programme
from tests import factories

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

READY_STATEMENT = "I am ready to move into a director role within the next three years"


@pytest.fixture
def programme() -> Programme:
    programme = factories.ProgrammeFactory(title="Aspiring directors", slug="aspiring")
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 3, "sectors": ["childrens_social_care", "education"]},
        message="Three years of senior strategic leadership in children's services",
        position=1,
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.NATION,
        params={"nations": ["england", "wales"]},
        message="Work in England or Wales",
        position=2,
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.SELF_DECLARATION,
        params={"key": "ready", "statement": READY_STATEMENT},
        message="Ready to become a director within three years",
        position=3,
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.REQUIRED_DOCUMENT,
        params={"document_kind": "cv"},
        message="A CV",
        position=4,
    )
    return programme


def checker_url(live_server, programme: Programme) -> str:
    return f"{live_server.url}/programmes/{programme.slug}/am-i-eligible/"


def tab_to(page, condition: str, *, limit: int = 60) -> None:
    """Press Tab until `condition` (JavaScript about document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_empty_form_passes_axe(page, live_server, programme) -> None:
    page.goto(checker_url(live_server, programme))
    assert page.locator("h1").inner_text() == "Am I eligible?"
    assert page.get_by_role("group", name=READY_STATEMENT).is_visible()
    assert_accessible(page)


def test_results_and_errors_pass_axe(page, live_server, programme) -> None:
    page.goto(checker_url(live_server, programme))
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert_accessible(page)

    page.get_by_label("How many years of senior strategic leadership").fill("2")
    page.get_by_label("Education").check()
    page.get_by_label("England", exact=True).check()
    page.get_by_role("group", name=READY_STATEMENT).get_by_label("Yes").check()
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_role("heading", name="You do not appear to meet").is_visible()
    assert_accessible(page)


def test_keyboard_only_user_can_answer_and_check(page, live_server, programme) -> None:
    page.goto(checker_url(live_server, programme))
    tab_to(page, "el.name === 'senior_years'")
    page.keyboard.type("4.5")
    tab_to(page, "el.name === 'senior_sectors' && el.value === 'childrens_social_care'", limit=2)
    page.keyboard.press("Space")
    # Into the nation radios: the first option takes focus; an arrow key moves and selects.
    tab_to(page, "el.name === 'nation'")
    page.keyboard.press("ArrowDown")
    tab_to(page, "el.name === 'declaration_ready'")
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")

    page.wait_for_selector("#result")
    heading = page.locator("#result-title").inner_text()
    assert heading == "We cannot tell yet whether you meet this programme's rules"
    results = page.locator(".rule-result")
    assert results.count() == 4
    assert "You have 4.5 years" in results.nth(0).inner_text()
    assert "You work in Wales" in results.nth(1).inner_text()
    assert "Met" in results.nth(2).inner_text()
    assert "You will need to upload your CV" in results.nth(3).inner_text()
    # Focus moves to the result, so a screen reader announces it first.
    assert page.evaluate("document.activeElement.id") == "result"
    assert page.locator("#id_senior_years").input_value() == "4.5"
    assert_accessible(page)
