"""Rule parameters are checked with plain messages; saving bumps versions only on real change."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from applications.eligibility import params as p
from applications.eligibility import rule_save, validate_params
from applications.eligibility.services import ERROR_DUPLICATE_DECLARATION_KEY
from applications.models import Application, EligibilityRule, RuleKind
from tests import factories

# --- Parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "normalised"),
    [
        (RuleKind.MIN_SENIOR_YEARS, {"years": 3}, {"years": 3}),
        (RuleKind.MIN_SENIOR_YEARS, {"years": 2.5, "sectors": []}, {"years": 2.5}),
        (
            RuleKind.MIN_SENIOR_YEARS,
            {"years": 3, "sectors": ["education", "education", "health"]},
            {"years": 3, "sectors": ["education", "health"]},
        ),
        (RuleKind.CURRENT_ROLE, {"roles": ["dcs"]}, {"roles": ["dcs"]}),
        (
            RuleKind.CURRENT_ROLE,
            {"roles": ["dcs"], "within_months": 12},
            {"roles": ["dcs"], "within_months": 12},
        ),
        (RuleKind.CURRENT_ROLE, {"roles": ["dcs"], "within_months": None}, {"roles": ["dcs"]}),
        (RuleKind.NATION, {"nations": ["wales"]}, {"nations": ["wales"]}),
        (RuleKind.EMPLOYER_TYPE, {"types": ["nhs"]}, {"types": ["nhs"]}),
        (
            RuleKind.SELF_DECLARATION,
            {"key": "ready", "statement": "  I am ready.  "},
            {"key": "ready", "statement": "I am ready."},
        ),
        (RuleKind.REQUIRED_DOCUMENT, {"document_kind": "cv"}, {"document_kind": "cv"}),
        (RuleKind.ENDORSEMENT, {}, {}),
    ],
)
def test_valid_params_are_returned_normalised(
    kind: str, params: dict[str, Any], normalised: dict[str, Any]
) -> None:
    assert validate_params(kind, params) == normalised


def test_every_kind_has_an_example_that_is_itself_valid() -> None:
    import json

    assert set(p.EXAMPLES) == set(RuleKind.values)
    for kind, example in p.EXAMPLES.items():
        validate_params(kind, json.loads(example))


def messages_of(kind: str, params: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_params(kind, params)
    return caught.value.messages


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("no_such_kind", {}, p.ERROR_UNKNOWN_KIND % {"kind": "no_such_kind"}),
        (RuleKind.NATION, ["wales"], p.ERROR_NOT_AN_OBJECT),
        (RuleKind.MIN_SENIOR_YEARS, {}, p.ERROR_MISSING_KEY % {"key": "years"}),
        (RuleKind.MIN_SENIOR_YEARS, {"years": 0}, p.ERROR_YEARS),
        (RuleKind.MIN_SENIOR_YEARS, {"years": -1}, p.ERROR_YEARS),
        (RuleKind.MIN_SENIOR_YEARS, {"years": "3"}, p.ERROR_YEARS),
        (RuleKind.MIN_SENIOR_YEARS, {"years": True}, p.ERROR_YEARS),
        (
            RuleKind.MIN_SENIOR_YEARS,
            {"years": 3, "sectors": ["social_work"]},
            p.ERROR_UNKNOWN_VALUES
            % {
                "key": "sectors",
                "values": "social_work",
                "allowed": ", ".join(p.Sector.values),
            },
        ),
        (
            RuleKind.MIN_SENIOR_YEARS,
            {"years": 3, "sector": ["education"]},
            p.ERROR_UNEXPECTED_KEYS % {"keys": "sector", "allowed": "years, sectors"},
        ),
        (RuleKind.CURRENT_ROLE, {"roles": []}, p.ERROR_EMPTY_LIST % {"key": "roles"}),
        (
            RuleKind.CURRENT_ROLE,
            {"roles": "dcs"},
            p.ERROR_NOT_A_LIST % {"key": "roles", "example": '["dcs"]'},
        ),
        (RuleKind.CURRENT_ROLE, {"roles": ["dcs"], "within_months": 0}, p.ERROR_WITHIN_MONTHS),
        (RuleKind.CURRENT_ROLE, {"roles": ["dcs"], "within_months": 1.5}, p.ERROR_WITHIN_MONTHS),
        (
            RuleKind.NATION,
            {"nations": ["cornwall"]},
            p.ERROR_UNKNOWN_VALUES
            % {"key": "nations", "values": "cornwall", "allowed": ", ".join(p.Nation.values)},
        ),
        (RuleKind.EMPLOYER_TYPE, {"types": []}, p.ERROR_EMPTY_LIST % {"key": "types"}),
        (RuleKind.SELF_DECLARATION, {"key": "Ready Now", "statement": "x"}, p.ERROR_KEY_SLUG),
        (RuleKind.SELF_DECLARATION, {"key": "ready", "statement": "  "}, p.ERROR_STATEMENT),
        (
            RuleKind.REQUIRED_DOCUMENT,
            {"document_kind": "passport"},
            p.ERROR_DOCUMENT_KIND % {"allowed": "cv, endorsement_letter, other"},
        ),
        (RuleKind.ENDORSEMENT, {"by": "manager"}, p.ERROR_NO_PARAMS_EXPECTED),
    ],
)
def test_bad_params_are_refused_with_a_plain_message(kind: str, params: Any, expected: Any) -> None:
    assert messages_of(kind, params) == [str(expected)]


def test_every_missing_key_is_named() -> None:
    assert messages_of(RuleKind.SELF_DECLARATION, {}) == [
        str(p.ERROR_MISSING_KEY % {"key": "key"}),
        str(p.ERROR_MISSING_KEY % {"key": "statement"}),
    ]


# --- Saving and versions ----------------------------------------------------------


@pytest.fixture
def editor(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_superuser("rules-admin@example.org", factories.PASSWORD)


@pytest.fixture
def saved_rule(editor: User) -> EligibilityRule:
    programme = factories.ProgrammeFactory()
    rule = EligibilityRule(
        programme=programme,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 3},
        message="At least three years of senior strategic leadership",
    )
    return rule_save(rule=rule, by=editor)


def reload(rule: EligibilityRule) -> EligibilityRule:
    return EligibilityRule.objects.get(pk=rule.pk)


def test_a_new_rule_starts_at_version_one(saved_rule: EligibilityRule) -> None:
    assert reload(saved_rule).version == 1


@pytest.mark.parametrize(
    "change",
    [
        {"params": {"years": 4}},
        {"params": {"years": 3, "sectors": ["education"]}},
        {"message": "At least three years as a senior leader"},
        {"kind": RuleKind.ENDORSEMENT, "params": {}},
    ],
)
def test_changing_what_a_rule_says_bumps_its_version(
    saved_rule: EligibilityRule, editor: User, change: dict[str, Any]
) -> None:
    rule = reload(saved_rule)
    for field, value in change.items():
        setattr(rule, field, value)
    rule_save(rule=rule, by=editor)
    assert reload(saved_rule).version == 2


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"position": 9},
        {"is_active": False},
        # The same rule spelt differently is the same rule.
        {"params": {"years": 3, "sectors": []}},
    ],
)
def test_saving_without_changing_what_a_rule_says_keeps_its_version(
    saved_rule: EligibilityRule, editor: User, change: dict[str, Any]
) -> None:
    rule = reload(saved_rule)
    for field, value in change.items():
        setattr(rule, field, value)
    rule_save(rule=rule, by=editor)
    assert reload(saved_rule).version == 1


def test_version_is_taken_from_the_stored_row_not_the_caller(
    saved_rule: EligibilityRule, editor: User
) -> None:
    stale = reload(saved_rule)
    fresh = reload(saved_rule)
    fresh.params = {"years": 4}
    rule_save(rule=fresh, by=editor)
    stale.params = {"years": 5}
    rule_save(rule=stale, by=editor)
    assert reload(saved_rule).version == 3


def test_bad_params_are_not_saved(saved_rule: EligibilityRule, editor: User) -> None:
    rule = reload(saved_rule)
    rule.params = {"years": 0}
    with pytest.raises(ValidationError) as caught:
        rule_save(rule=rule, by=editor)
    assert caught.value.message_dict == {"params": [str(p.ERROR_YEARS)]}
    assert reload(saved_rule).params == {"years": 3}


def test_a_declaration_key_is_used_once_per_programme(editor: User) -> None:
    programme = factories.ProgrammeFactory()
    first = EligibilityRule(
        programme=programme,
        kind=RuleKind.SELF_DECLARATION,
        params={"key": "ready", "statement": "I am ready"},
        message="Ready",
    )
    rule_save(rule=first, by=editor)
    second = EligibilityRule(
        programme=programme,
        kind=RuleKind.SELF_DECLARATION,
        params={"key": "ready", "statement": "I am also ready"},
        message="Also ready",
    )
    with pytest.raises(ValidationError) as caught:
        rule_save(rule=second, by=editor)
    assert caught.value.message_dict["params"] == [
        str(ERROR_DUPLICATE_DECLARATION_KEY % {"key": "ready"})
    ]
    # Another programme may use the same key; the first rule may be saved again.
    second.programme = factories.ProgrammeFactory()
    rule_save(rule=second, by=editor)
    rule_save(rule=first, by=editor)


# --- The admin --------------------------------------------------------------------


def test_admin_shows_a_clear_error_for_bad_params_and_saves_nothing(client, editor: User) -> None:
    programme = factories.ProgrammeFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:applications_eligibilityrule_add"),
        {
            "programme": programme.pk,
            "kind": RuleKind.NATION,
            "params": '{"nations": ["cornwall"]}',
            "message": "Work in Wales",
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "“nations” has values we do not know: cornwall." in response.content.decode()
    assert not EligibilityRule.objects.exists()


def test_admin_saves_through_rule_save_and_bumps_the_version(client, editor) -> None:
    programme = factories.ProgrammeFactory()
    client.force_login(editor)
    data = {
        "programme": programme.pk,
        "kind": RuleKind.NATION,
        "params": '{"nations": ["wales"]}',
        "message": "Work in Wales",
        "position": 0,
        "is_active": "on",
    }
    response = client.post(reverse("admin:applications_eligibilityrule_add"), data)
    assert response.status_code == 302
    rule = EligibilityRule.objects.get()
    assert rule.version == 1
    change_url = reverse("admin:applications_eligibilityrule_change", args=[rule.pk])
    assert client.get(change_url).status_code == 200
    client.post(change_url, {**data, "params": '{"nations": ["wales", "england"]}'})
    rule.refresh_from_db()
    assert (rule.version, rule.params) == (2, {"nations": ["wales", "england"]})
    client.post(change_url, {**data, "params": '{"nations": ["wales", "england"]}'})
    rule.refresh_from_db()
    assert rule.version == 2


def test_admin_lists_rules_and_shows_applications_read_only(client, editor) -> None:
    rule = factories.EligibilityRuleFactory()
    application = factories.ApplicationFactory(
        cohort__programme=rule.programme,
        eligibility_outcome="eligible",
        eligibility_results=[
            {
                "rule_id": rule.pk,
                "version": 1,
                "kind": rule.kind,
                "outcome": "pass",
                "reason": "You have 4 years of senior strategic leadership.",
                "message": rule.message,
            }
        ],
    )
    factories.ApplicationEventFactory(application=application)
    factories.SupportingDocumentFactory(application=application)
    client.force_login(editor)
    assert client.get(reverse("admin:applications_eligibilityrule_changelist")).status_code == 200
    assert client.get(reverse("admin:applications_application_changelist")).status_code == 200
    page = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "You have 4 years of senior strategic leadership." in body
    assert "cv.pdf" in body
    assert 'name="state"' not in body  # state changes go through the lifecycle, not here
    response = client.post(
        reverse("admin:applications_application_change", args=[application.pk]),
        {"state": "enrolled"},
    )
    assert response.status_code == 403
    assert Application.objects.get().state == "submitted"
