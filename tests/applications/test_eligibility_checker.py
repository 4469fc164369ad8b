"""The public "Am I eligible?" page: asks what rules need, gives reasons, stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.eligibility import forms as checker_forms
from applications.models import Application, EligibilityRule, RuleKind
from programmes.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db

READY = "ready_within_three_years"
READY_STATEMENT = "I am ready to move into a director role within the next three years"


@pytest.fixture
def aspiring() -> Programme:
    """Rules like the Upon aspiring directors programme's, plus a Wales-only rule."""
    programme = factories.ProgrammeFactory(title="Aspiring directors", slug="aspiring")
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 3, "sectors": ["childrens_social_care", "education"]},
        message="Three years of senior strategic leadership in children's services",
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.SELF_DECLARATION,
        params={"key": READY, "statement": READY_STATEMENT},
        message="Ready to become a director within three years",
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.NATION,
        params={"nations": ["england", "wales"]},
        message="Work in England or Wales",
    )
    return programme


def url(programme: Programme) -> str:
    return reverse("eligibility:check", kwargs={"slug": programme.slug})


GOOD_ANSWERS = {
    "senior_years": "4",
    "senior_sectors": ["childrens_social_care"],
    f"declaration_{READY}": "yes",
    "nation": "wales",
}


def test_the_form_asks_only_what_the_rules_need(client, aspiring: Programme) -> None:
    response = client.get(url(aspiring))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {
        "senior_years",
        "senior_sectors",
        f"declaration_{READY}",
        "nation",
    }
    body = response.content.decode()
    assert READY_STATEMENT in body
    assert "Work in England or Wales" in body  # the rules are listed before any answer
    assert 'name="current_role"' not in body
    assert 'name="employer_type"' not in body


def test_a_role_rule_with_recency_asks_for_role_and_start_date(client) -> None:
    programme = factories.ProgrammeFactory()
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.CURRENT_ROLE,
        params={"roles": ["dcs"], "within_months": 12},
        message="A director appointed in the last year",
    )
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.EMPLOYER_TYPE,
        params={"types": ["local_authority"]},
        message="Work for a council",
    )
    form = client.get(url(programme)).context["form"]
    assert set(form.fields) == {"current_role", "current_role_since", "employer_type"}
    assert form.fields["current_role_since"].help_text == (
        "We need this if your role is director of children's services."
    )


def test_meeting_every_rule_says_you_appear_eligible_with_each_reason(
    client, aspiring: Programme
) -> None:
    response = client.post(url(aspiring), GOOD_ANSWERS)
    assert response.status_code == 200
    assert response.context["verdict"].outcome == "eligible"
    body = response.content.decode()
    assert "You appear to meet this programme's rules" in body
    assert [r["outcome"] for r in response.context["results"]] == ["pass", "pass", "pass"]
    assert "You have 4 years of senior strategic leadership in children&#x27;s social care" in body
    assert f"You confirmed: {READY_STATEMENT}" in body
    assert body.count(">Met</span>") == 3  # the outcome is written, not only coloured
    assert f'href="{aspiring.get_absolute_url()}"' in body


def test_missing_a_rule_says_you_do_not_appear_eligible_and_why(
    client, aspiring: Programme
) -> None:
    answers = {**GOOD_ANSWERS, "senior_years": "2.5", f"declaration_{READY}": "no"}
    response = client.post(url(aspiring), answers)
    assert response.context["verdict"].outcome == "ineligible"
    body = response.content.decode()
    assert "You do not appear to meet this programme's rules" in body
    assert "You have 2.5 years" in body
    assert "this programme asks for at least 3 years." in body
    assert body.count(">Not met</span>") == 2
    assert f'href="{reverse("programmes:list")}"' in body


def test_rules_checked_only_on_application_say_they_will_be_needed(client) -> None:
    programme = factories.ProgrammeFactory()
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.REQUIRED_DOCUMENT,
        params={"document_kind": "cv"},
        message="A CV",
    )
    factories.EligibilityRuleFactory(
        programme=programme, kind=RuleKind.ENDORSEMENT, params={}, message="An endorsement"
    )
    assert "There are no questions to answer here" in client.get(url(programme)).content.decode()
    response = client.post(url(programme), {})
    assert response.context["verdict"].outcome == "needs_review"
    body = response.content.decode()
    assert "You will need to upload your CV when you apply." in body
    assert body.count(">Not known yet</span>") == 2


def test_the_answers_are_shown_again_beside_the_result(client, aspiring: Programme) -> None:
    body = client.post(url(aspiring), GOOD_ANSWERS).content.decode()
    assert 'value="4"' in body
    assert 'value="childrens_social_care" checked' in body
    assert 'value="wales" checked' in body


def test_a_programme_with_no_rules_says_anyone_can_apply(client) -> None:
    programme = factories.ProgrammeFactory()
    body = client.get(url(programme)).content.decode()
    assert "Anyone can apply to this programme" in body
    assert "<form" not in body.split('id="main-content"')[1]


@pytest.mark.parametrize("published", [False, None])
def test_unpublished_and_unknown_programmes_are_not_found(client, published) -> None:
    if published is None:
        target = reverse("eligibility:check", kwargs={"slug": "no-such-programme"})
    else:
        programme = factories.ProgrammeFactory(is_published=False)
        factories.EligibilityRuleFactory(programme=programme)
        target = url(programme)
    assert client.get(target).status_code == 404
    assert client.post(target, GOOD_ANSWERS).status_code == 404


def test_only_get_and_post_are_allowed(client, aspiring: Programme) -> None:
    assert client.put(url(aspiring)).status_code == 405


def test_checking_stores_nothing(client, aspiring: Programme) -> None:
    before = (Application.objects.count(), EligibilityRule.objects.count())
    with CaptureQueriesContext(connection) as queries:
        client.get(url(aspiring))
        client.post(url(aspiring), GOOD_ANSWERS)
        client.post(url(aspiring), {"senior_years": "lots"})
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert set(statements) == {"SELECT"}
    assert (Application.objects.count(), EligibilityRule.objects.count()) == before
    assert not Session.objects.exists()
    assert "sessionid" not in client.cookies


def test_answers_travel_by_post_not_in_the_address(client, aspiring: Programme) -> None:
    body = client.get(url(aspiring)).content.decode()
    assert '<form method="post"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    # A query string is ignored: answers never come from (or end up in) a URL.
    response = client.get(url(aspiring), GOOD_ANSWERS)
    assert response.context["verdict"] is None


@pytest.mark.parametrize(
    ("answers", "field", "error"),
    [
        ({"senior_years": ""}, "senior_years", checker_forms.ERROR_YEARS_REQUIRED),
        ({"senior_years": "lots"}, "senior_years", checker_forms.ERROR_YEARS_INVALID),
        ({"senior_years": "-1"}, "senior_years", checker_forms.ERROR_YEARS_RANGE),
        ({"senior_years": "61"}, "senior_years", checker_forms.ERROR_YEARS_RANGE),
        ({"senior_years": "2.55"}, "senior_years", checker_forms.ERROR_YEARS_PRECISION),
        ({"senior_sectors": []}, "senior_sectors", checker_forms.ERROR_SECTORS_REQUIRED),
        ({"senior_sectors": ["astrology"]}, "senior_sectors", checker_forms.ERROR_NOT_AN_OPTION),
        ({"nation": ""}, "nation", checker_forms.ERROR_NATION_REQUIRED),
        ({"nation": "mars"}, "nation", checker_forms.ERROR_NOT_AN_OPTION),
        (
            {f"declaration_{READY}": ""},
            f"declaration_{READY}",
            checker_forms.ERROR_DECLARATION_REQUIRED,
        ),
        (
            {f"declaration_{READY}": "maybe"},
            f"declaration_{READY}",
            checker_forms.ERROR_NOT_AN_OPTION,
        ),
    ],
)
def test_bad_answers_are_shown_with_errors_and_nothing_typed_is_lost(
    client, aspiring: Programme, answers: dict[str, Any], field: str, error: Any
) -> None:
    response = client.post(url(aspiring), {**GOOD_ANSWERS, **answers})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [str(error)]}
    assert response.context["verdict"] is None
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'aria-invalid="true"' in body or "is-invalid" in body
    if answers.get("senior_years"):
        assert f'value="{answers["senior_years"]}"' in body
    assert 'value="wales" checked' in body or field == "nation"


def _since(value) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The start date as the three boxes the page shows: day, month, year."""
    day, month, year = (value.day, value.month, value.year) if hasattr(value, "day") else value
    return {
        "current_role_since_day": str(day),
        "current_role_since_month": str(month),
        "current_role_since_year": str(year),
    }


def test_start_date_is_asked_as_day_month_and_year_not_a_date_picker(client) -> None:
    programme = factories.ProgrammeFactory()
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.CURRENT_ROLE,
        params={"roles": ["dcs"], "within_months": 12},
        message="A director appointed in the last year",
    )
    html = client.get(url(programme)).content.decode()
    assert 'type="date"' not in html
    assert 'name="current_role_since_day"' in html and 'inputmode="numeric"' in html


def test_start_date_is_needed_only_for_the_roles_with_a_recency_rule(client) -> None:
    programme = factories.ProgrammeFactory()
    factories.EligibilityRuleFactory(
        programme=programme,
        kind=RuleKind.CURRENT_ROLE,
        params={"roles": ["dcs"], "within_months": 12},
        message="A director appointed in the last year",
    )
    target = url(programme)
    response = client.post(target, {"current_role": "dcs"})
    assert response.context["form"].errors == {
        "current_role_since": [str(checker_forms.ERROR_ROLE_SINCE_REQUIRED)]
    }
    response = client.post(target, {"current_role": "head_of_service"})
    assert response.context["verdict"].outcome == "ineligible"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(target, {"current_role": "dcs", **_since(tomorrow)})
    assert response.context["form"].errors == {
        "current_role_since": [str(checker_forms.ERROR_ROLE_SINCE_FUTURE)]
    }
    response = client.post(target, {"current_role": "dcs", **_since((31, 2, 2025))})
    assert response.context["form"].errors == {
        "current_role_since": [str(checker_forms.ERROR_ROLE_SINCE_INVALID)]
    }
    recent = timezone.localdate() - dt.timedelta(days=30)
    response = client.post(target, {"current_role": "dcs", **_since(recent)})
    assert response.context["verdict"].outcome == "eligible"


@pytest.mark.parametrize(
    "junk",
    [
        {"senior_years": "1e400"},
        {"senior_years": "NaN"},
        {"senior_years": "Infinity"},
        {"senior_years": "9" * 500},
        {"senior_sectors": "childrens_social_care"},
        {"nation": ["wales", "england"]},
        {"csrfmiddlewaretoken": "x", "unexpected": "field"},
        {f"declaration_{READY}": "\x00"},
    ],
)
def test_junk_input_is_a_form_error_never_a_server_error(
    client, aspiring: Programme, junk: dict[str, Any]
) -> None:
    response = client.post(url(aspiring), {**GOOD_ANSWERS, **junk})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("extra_rules", [0, 12])
def test_the_page_costs_two_queries_however_many_rules(
    client, aspiring: Programme, django_assert_num_queries, extra_rules: int
) -> None:
    for n in range(extra_rules):
        factories.EligibilityRuleFactory(
            programme=aspiring,
            kind=RuleKind.SELF_DECLARATION,
            params={"key": f"statement_{n}", "statement": f"Statement {n}"},
        )
    # The programme, then its active rules.
    with django_assert_num_queries(2):
        assert client.get(url(aspiring)).status_code == 200
    answers = {**GOOD_ANSWERS, **{f"declaration_statement_{n}": "yes" for n in range(extra_rules)}}
    with django_assert_num_queries(2):
        response = client.post(url(aspiring), answers)
    assert response.context["verdict"].outcome == "eligible"


def test_inactive_rules_are_neither_asked_nor_listed(client, aspiring: Programme) -> None:
    aspiring.eligibility_rules.filter(kind=RuleKind.NATION).update(is_active=False)
    response = client.get(url(aspiring))
    assert "nation" not in response.context["form"].fields
    assert "Work in England or Wales" not in response.content.decode()


def test_the_summary_partial_lists_active_rules_and_links_to_the_checker(
    aspiring: Programme,
) -> None:
    rules = list(aspiring.eligibility_rules.all())
    html = render_to_string(
        "applications/_eligibility_summary.html", {"programme": aspiring, "rules": rules}
    )
    assert "Work in England or Wales" in html
    assert f'href="{url(aspiring)}"' in html
    empty = render_to_string(
        "applications/_eligibility_summary.html", {"programme": aspiring, "rules": []}
    )
    assert "Anyone can apply" in empty
