"""An applicant who has just submitted answers the equality questions, in a real browser.

They follow the invitation on the confirmation page, answer some questions (the age
question with the keyboard alone), save, see the thank-you page, come back to change
an answer, and see the confirmation step before deleting. Axe runs on every page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import Sector, Seniority
from applications.models import RuleKind
from applications.sections import SECTION_KEYS
from equality.models import EqualityAnswers
from tests import factories

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

READY_KEY = "ready_within_three_years"


@pytest.fixture
def draft():  # type: ignore[no-untyped-def]
    """A complete draft, ready to submit, for an applicant with a profile and career."""
    cohort = factories.CohortFactory(programme__title="Aspiring directors programme")
    factories.EligibilityRuleFactory(
        programme=cohort.programme,
        kind=RuleKind.SELF_DECLARATION,
        params={"key": READY_KEY, "statement": "I am ready to lead within three years"},
        message="Ready to lead within three years",
    )
    user = factories.UserFactory(email="amara@example.org", full_name="Amara Okafor")
    factories.ProfileFactory(user=user)
    factories.CareerEntryFactory(
        user=user,
        started_on=dt.date(2018, 1, 1),
        sector=Sector.CHILDRENS_SOCIAL_CARE,
        seniority=Seniority.SENIOR_STRATEGIC,
    )
    return factories.ApplicationFactory(
        cohort=cohort,
        applicant=user,
        state="draft",
        sections_done=list(SECTION_KEYS),
        declarations={READY_KEY: True},
        supporting_statement="I lead early help and want to lead a whole service.",
        endorser_name="Sam Patel",
        endorser_role="Director of children's services",
        endorser_email="sam.patel@example.org",
    )


def _save(page) -> None:  # type: ignore[no-untyped-def]
    follow(page, page.get_by_role("button", name="Save my answers"))


def test_applicant_answers_the_questions_after_submitting_and_changes_them(
    page, live_server, draft
) -> None:
    base = live_server.url
    sign_in(page, base, "amara@example.org")
    page.goto(f"{base}/account/applications/{draft.pk}/check/")
    check_page(page)
    follow(page, page.get_by_role("button", name="Submit application"))
    expect(page.get_by_role("heading", name="Application submitted")).to_be_visible()

    # The invitation on the confirmation page.
    invitation = page.get_by_role("region", name="Help us reach leaders from every background")
    expect(invitation).to_contain_text("never affect screening or selection")
    follow(page, invitation.get_by_role("link", name="Answer the equality questions"))
    expect(page.get_by_role("heading", name="Equality questions", level=1)).to_be_visible()
    expect(page.get_by_text("Only you can see your own answers.")).to_be_visible()

    # The ethnic group: an option under its heading, with words of their own.
    ethnic = page.get_by_role("group", name="What is your ethnic group?")
    white = ethnic.get_by_role("group", name="White", exact=True)
    white.get_by_label("Any other White background", exact=True).check()
    white.get_by_label("In your own words (optional): Any other White background").fill("Cornish")
    page.get_by_role("group", name="What is your sex?").get_by_label("Female").check()

    # Words under an option not chosen: an error to fix, with the words kept.
    asian = ethnic.get_by_role("group", name="Asian, Asian British or Asian Welsh")
    asian.get_by_label("In your own words (optional): Any other Asian background").fill("Hmong")
    _save(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(
        asian.get_by_label("In your own words (optional): Any other Asian background")
    ).to_have_value("Hmong")
    asian.get_by_label("In your own words (optional): Any other Asian background").fill("")

    # The religion question with the mouse, then the age question with the keyboard alone:
    # Tab leaves the religion radios for its own-words box, Tab again enters the age radios.
    religion = page.get_by_role("group", name="What is your religion or belief?")
    religion.get_by_label("No religion").check()
    age = page.get_by_role("group", name="How old are you?")
    page.keyboard.press("Tab")
    expect(religion.get_by_role("textbox")).to_be_focused()
    page.keyboard.press("Tab")
    expect(age.get_by_label("Under 30")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(age.get_by_label("40 to 49")).to_be_checked()
    expect(age.get_by_label("40 to 49")).to_be_focused()
    _save(page)

    expect(page.get_by_role("heading", name="Thank you for answering")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your answers have been saved")
    answers = EqualityAnswers.objects.get(user=draft.applicant)
    assert (answers.ethnic_group, answers.ethnic_group_own_words) == ("white_other", "Cornish")
    assert (answers.sex, answers.religion, answers.age_band) == ("female", "none", "40_49")
    assert answers.disability == ""

    # Change an answer: the page shows what was saved.
    follow(page, page.get_by_role("link", name="Change your equality answers"))
    expect(white.get_by_label("Any other White background", exact=True)).to_be_checked()
    expect(
        white.get_by_label("In your own words (optional): Any other White background")
    ).to_have_value("Cornish")
    page.get_by_role("group", name="What is your sex?").get_by_label("Prefer not to say").check()
    _save(page)
    answers.refresh_from_db()
    assert answers.sex == "prefer_not_to_say" and answers.ethnic_group_own_words == "Cornish"

    # Deleting asks first.
    follow(page, page.get_by_role("link", name="Delete all your equality answers"))
    expect(page.get_by_role("button", name="Yes, delete all my answers")).to_be_visible()
    assert EqualityAnswers.objects.filter(user=draft.applicant).exists()
    follow(page, page.get_by_role("button", name="Yes, delete all my answers"))
    expect(page.get_by_role("status")).to_contain_text(
        "All your equality answers have been deleted"
    )
    assert not EqualityAnswers.objects.filter(user=draft.applicant).exists()


def test_the_account_home_links_to_the_questions(page, live_server) -> None:
    factories.UserFactory(email="rhys@example.org")
    base = live_server.url
    sign_in(page, base, "rhys@example.org")
    page.goto(f"{base}/account/")
    check_page(page)
    follow(page, page.get_by_role("link", name="Equality questions (optional, seen only by you)"))
    expect(page.get_by_role("heading", name="Equality questions", level=1)).to_be_visible()
