"""A programme manager adds an eligibility rule in a real browser, without JavaScript help.

axe runs on the rules list, the kind chooser, the form with errors, and the preview.
"""

from __future__ import annotations

import re

import pytest

from applications.models import EligibilityRule, RuleKind
from programmes.models import ProgrammeTeamMember
from tests import factories

from .steps import follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme", name="Spring cohort"
    )
    programme = cohort.programme
    user = factories.UserFactory(email="team@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    years = factories.EligibilityRuleFactory(
        programme=programme,
        position=1,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 3},
        message="At least three years of senior strategic leadership",
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        position=2,
        kind=RuleKind.NATION,
        params={"nations": ["wales"]},
        message="Work in Wales",
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        position=3,
        kind=RuleKind.ENDORSEMENT,
        params={},
        message="Supported by a sponsor",
        is_active=False,
    )
    factories.ApplicationFactory(
        cohort=cohort,
        state="eligible",
        eligibility_outcome="eligible",
        eligibility_results=[
            {"rule_id": years.pk, "version": 1, "kind": years.kind, "outcome": "pass",
             "reason": "Met.", "message": years.message},
        ],
    )  # fmt: skip
    return user


def test_manager_adds_a_declaration_rule_with_a_preview(page, live_server, manager) -> None:
    base = live_server.url
    sign_in(page, base, manager.email)

    page.goto(f"{base}/manage/")
    follow(page, page.get_by_role("link", name=re.compile("^Eligibility rules")))
    assert page.get_by_role("heading", name="Retired rules").is_visible()
    assert "Work in Wales" in page.locator("table.rules").first.inner_text()

    # Keyboard-friendly reordering with plain forms.
    follow(page, page.get_by_role("button", name=re.compile(r"^Move up\W+Work in Wales$")))
    first_row = page.locator("table.rules tbody tr").first.inner_text()
    assert "Work in Wales" in first_row
    # Retiring asks first, inside a disclosure; bringing back is one button.
    page.locator("summary", has_text="Work in Wales").click()
    follow(page, page.get_by_role("button", name=re.compile(r"^Retire this rule\W+Work in Wales$")))
    assert "Work in Wales" in page.locator("table.rules-retired").inner_text()
    follow(page, page.get_by_role("button", name=re.compile(r"^Bring back\W+Work in Wales$")))
    assert EligibilityRule.objects.get(message="Work in Wales").is_active

    follow(page, page.get_by_role("link", name="Add a rule"))
    page.get_by_label("Self-declared statement").check()
    follow(page, page.get_by_role("button", name="Continue"))

    # Nothing filled in: errors beside the fields and in the summary.
    follow(page, page.get_by_role("button", name="Save rule"))
    assert page.locator("[data-error-summary]").is_visible()
    assert page.get_by_text(
        "Enter the statement applicants are asked to confirm."
    ).first.is_visible()

    page.get_by_label("Statement applicants are asked to confirm").fill(
        "I identify as a Black or Asian leader"
    )
    page.get_by_label("Summary shown to applicants").fill("Identify as a Black or Asian leader")
    follow(page, page.get_by_role("button", name="Preview"))
    preview = page.locator("[data-preview]")
    assert "You confirmed: I identify as a Black or Asian leader" in preview.inner_text()
    assert page.locator("[data-preview-question] input[type=radio]").first.is_disabled()
    assert not EligibilityRule.objects.filter(message__startswith="Identify").exists()

    follow(page, page.get_by_role("button", name="Save rule"))
    assert "Rule added" in page.locator(".messages").inner_text()
    rule = EligibilityRule.objects.get(message="Identify as a Black or Asian leader")
    assert rule.params == {
        "key": "i_identify_as_a_black_or_asian_leader",
        "statement": "I identify as a Black or Asian leader",
    }
