"""A programme's eligibility rules in the console: list, add and edit by kind, preview,
move, retire, and that no change re-screens anyone."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from applications.eligibility import evaluate
from applications.eligibility import params as p
from applications.eligibility.engine import REASON_NATION_MATCH, REASON_NATION_OTHER
from applications.eligibility.facts import EligibilityFacts
from applications.eligibility.services import (
    ERROR_DUPLICATE_DECLARATION_KEY,
    RULE_CHANGED,
    RULE_NOT_IN_USE,
)
from applications.models import Application, EligibilityOutcome, EligibilityRule, RuleKind
from applications.services.submission import application_submit
from console.forms import rules as rule_forms
from console.history import history_of_rules
from console.views.rules import (
    RULE_ALREADY_RETIRED,
    RULE_ALREADY_THERE,
    RULE_BROUGHT_BACK,
    RULE_MOVED,
    RULE_RETIRED,
    RULES_MANAGERS_ONLY,
)
from programmes.models import ProgrammeTeamMember
from tests import factories
from tests.applications.conftest import applicant, open_cohort, ready  # noqa: F401 (fixtures)
from tests.queries import session_reads

from .conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(cohort):  # type: ignore[no-untyped-def]
    return cohort.programme


def _rule(programme, position: int, **kwargs: Any) -> EligibilityRule:  # type: ignore[no-untyped-def]
    kwargs.setdefault("kind", RuleKind.NATION)
    kwargs.setdefault("params", {"nations": ["wales"]})
    kwargs.setdefault("message", f"Rule {position}")
    return factories.EligibilityRuleFactory(programme=programme, position=position, **kwargs)


def _screened(cohort, *pairs: tuple[EligibilityRule, int], **kwargs: Any) -> Application:  # type: ignore[no-untyped-def]
    """An application whose stored results name each (rule, version)."""
    return factories.ApplicationFactory(
        cohort=cohort,
        state="eligible",
        eligibility_outcome="eligible",
        eligibility_results=[
            {
                "rule_id": rule.pk,
                "version": version,
                "kind": rule.kind,
                "outcome": "pass",
                "reason": "Met.",
                "message": rule.message,
            }
            for rule, version in pairs
        ],
        **kwargs,
    )


def _urls(rule: EligibilityRule) -> dict[str, str]:
    return {
        "rules": reverse("manage:rules", args=[rule.programme_id]),
        "create": reverse("manage:rule_create", args=[rule.programme_id]),
        "edit": reverse("manage:rule_edit", args=[rule.pk]),
        "move": reverse("manage:rule_move", args=[rule.pk]),
        "retire": reverse("manage:rule_retire", args=[rule.pk]),
    }


def _state(programme) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    return list(
        EligibilityRule.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("pk", "kind", "params", "message", "position", "is_active", "version")
    )


def _order(programme) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        EligibilityRule.objects.filter(programme=programme, is_active=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page as a reader sees it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def _save(client, url: str, kind: str, **fields: Any):  # type: ignore[no-untyped-def]
    return client.post(url, {"kind": kind, "action": "save", **fields})


# --- Who may do what --------------------------------------------------------------


def test_a_screener_sees_the_rules_but_no_way_to_change_them(programme, screener_client) -> None:
    rule = _rule(programme, 1, message="Work in Wales")
    response = screener_client.get(_urls(rule)["rules"])
    assert response.status_code == 200
    assert "Work in Wales" in _text(response)
    assert not response.context["can_manage"]
    for url in (_urls(rule)["create"], _urls(rule)["edit"]):
        assert b"Add a rule" not in response.content
        assert f'href="{url}"' not in _text(response)


def test_a_screener_posting_any_change_gets_the_403_page_and_changes_nothing(
    programme, screener_client
) -> None:
    rule = _rule(programme, 1)
    _rule(programme, 2)
    before = _state(programme)
    urls = _urls(rule)
    posts = [
        (urls["create"], {"kind": RuleKind.ENDORSEMENT, "message": "Sponsor", "action": "save"}),
        (urls["edit"], {"kind": RuleKind.NATION, "nations": ["england"], "message": "X",
                        "version": 1, "action": "save"}),
        (urls["move"], {"position": 2}),
        (urls["retire"], {}),
        (urls["retire"], {"bring_back": "1"}),
    ]  # fmt: skip
    for url, data in posts:
        response = screener_client.post(url, data)
        assert response.status_code == 403, url
        assert str(RULES_MANAGERS_ONLY) in _text(response)
    assert _state(programme) == before
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EligibilityRule),
        action=LogEntry.Action.UPDATE,
    ).exists()


def test_someone_outside_the_programme_gets_404_everywhere_and_changes_nothing(
    programme, other_manager, client
) -> None:
    rule = _rule(programme, 1)
    before = _state(programme)
    client.force_login(other_manager)
    urls = _urls(rule)
    for url in (urls["rules"], urls["create"], urls["edit"]):
        assert client.get(url).status_code == 404, url
    posts = [
        (urls["create"], {"kind": RuleKind.ENDORSEMENT, "message": "Sponsor", "action": "save"}),
        (urls["edit"], {"kind": RuleKind.NATION, "nations": ["england"], "message": "Hijacked",
                        "version": 1, "action": "save"}),
        (urls["move"], {"position": 1}),
        (urls["retire"], {}),
    ]  # fmt: skip
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert _state(programme) == before


def test_a_manager_cannot_edit_another_programmes_rule_through_their_own(
    programme, manager_client
) -> None:
    """The rule's pk decides whose it is: a manager of one programme gets 404 on another's."""
    elsewhere = _rule(factories.ProgrammeFactory(), 1, message="Theirs")
    before = _state(elsewhere.programme)
    response = _save(
        manager_client,
        _urls(elsewhere)["edit"],
        RuleKind.NATION,
        nations=["england"],
        message="Ours now",
        version=1,
    )
    assert response.status_code == 404
    assert _state(elsewhere.programme) == before


# --- The list ----------------------------------------------------------------------


def test_the_list_shows_rules_in_order_with_retired_ones_apart(programme, manager_client) -> None:
    second = _rule(programme, 5, message="Second")
    first = _rule(programme, 2, message="First")
    gone = _rule(programme, 1, message="Gone", is_active=False)
    response = manager_client.get(_urls(first)["rules"])
    assert [row.rule.pk for row in response.context["in_use"]] == [first.pk, second.pk]
    assert [row.rule.pk for row in response.context["retired"]] == [gone.pk]
    page = _text(response)
    assert page.index("First") < page.index("Second") < page.index("Retired rules")
    assert "Nation of employment" in page


def test_counts_split_applications_by_the_current_and_earlier_versions(
    cohort, programme, manager_client
) -> None:
    rule = _rule(programme, 1)
    other = _rule(programme, 2)
    EligibilityRule.objects.filter(pk=rule.pk).update(version=3)
    _screened(cohort, (rule, 3), (other, 1))
    _screened(cohort, (rule, 3))
    _screened(cohort, (rule, 1))
    _screened(cohort, (rule, 2), (other, 1))
    # Results that are not the engine's shape are skipped, never a 500.
    factories.ApplicationFactory(cohort=cohort, eligibility_results={"rule_id": rule.pk})
    factories.ApplicationFactory(cohort=cohort, eligibility_results=[{"rule_id": "x"}, 7])
    # Another programme's applications do not count, even naming our rule.
    _screened(factories.CohortFactory(), (rule, 3))

    response = manager_client.get(_urls(rule)["rules"])

    counts = {row.rule.pk: row.screened for row in response.context["in_use"]}
    assert (counts[rule.pk].current, counts[rule.pk].earlier) == (2, 2)
    assert (counts[other.pk].current, counts[other.pk].earlier) == (2, 0)


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_rules(
    cohort, programme, manager_client, django_assert_num_queries, size: int
) -> None:
    rules = [_rule(programme, n, message=f"Rule {n}") for n in range(size)]
    for rule in rules[::2]:
        rule.message = f"{rule.message}, changed"
        rule.save()
    _rule(programme, 99, is_active=False)
    for n in range(size):
        _screened(cohort, *[(rule, 1) for rule in rules[: n % 5 + 1]])
    url = _urls(rules[0])["rules"]
    manager_client.get(url)  # content types cached, as on any warm server
    # session, user, programme, role, rules, screened counts, history
    with django_assert_num_queries(session_reads() + 6):
        response = manager_client.get(url)
    assert len(response.context["in_use"]) == size


def test_the_history_of_rules_is_one_query_and_only_rules(
    cohort, programme, manager, django_assert_num_queries
) -> None:
    from auditlog.context import set_actor

    with set_actor(manager):
        for n in range(3):
            rule = _rule(programme, n)
            rule.message = f"Changed {n}"
            rule.save()
        cohort.venue = "Not a rule"
        cohort.save()
    ContentType.objects.get_for_model(EligibilityRule)
    with django_assert_num_queries(1):
        history = history_of_rules(programme=programme)
    assert len(history) == 6
    assert all("Not a rule" not in change.after for e in history for change in e.changes)


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        ("selective", "The programme team still decides who is offered a place."),
        ("first_come", "gets it straight away"),
    ],
)
def test_with_no_rules_the_page_says_everyone_is_eligible_as_the_engine_does(
    client, mode: str, extra: str
) -> None:
    programme = factories.ProgrammeFactory(admission_mode=mode)
    user = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    client.force_login(user)
    page = _text(client.get(reverse("manage:rules", args=[programme.pk])))
    assert "This programme has no eligibility rules: everyone who applies is eligible." in page
    assert extra in page
    # What the page promises is what screening does.
    verdict = evaluate(rules=[], facts=EligibilityFacts(today=timezone.localdate()))
    assert verdict.outcome == EligibilityOutcome.ELIGIBLE


# --- Adding a rule, kind first ------------------------------------------------------


def test_adding_starts_with_the_kinds_and_what_each_checks(programme, manager_client) -> None:
    response = manager_client.get(reverse("manage:rule_create", args=[programme.pk]))
    assert response.status_code == 200
    page = _text(response)
    for kind in RuleKind:
        assert f'value="{kind.value}"' in page
    assert str(rule_forms.KIND_DESCRIPTIONS[RuleKind.NATION]) in page
    assert 'method="get"' in page


def test_choosing_a_kind_by_get_shows_only_its_fields(programme, manager_client) -> None:
    url = reverse("manage:rule_create", args=[programme.pk])
    response = manager_client.get(url, {"kind": RuleKind.CURRENT_ROLE})
    form = response.context["form"]
    assert set(form.fields) == {"kind", "version", "roles", "within_months", "message"}
    assert 'type="checkbox"' in _text(response)


def test_an_unknown_kind_asks_again_with_a_400(programme, manager_client) -> None:
    url = reverse("manage:rule_create", args=[programme.pk])
    response = manager_client.get(url, {"kind": "astrology"})
    assert response.status_code == 400
    assert str(rule_forms.CHOOSE_KIND) in _text(response)
    response = manager_client.post(url, {"kind": "astrology", "message": "x", "action": "save"})
    assert response.status_code == 400
    assert not EligibilityRule.objects.filter(programme=programme).exists()


@pytest.mark.parametrize(
    ("kind", "fields", "params"),
    [
        (RuleKind.MIN_SENIOR_YEARS, {"years": "3"}, {"years": 3}),
        (
            RuleKind.MIN_SENIOR_YEARS,
            {"years": "2.5", "sectors": ["education", "childrens_social_care"]},
            {"years": 2.5, "sectors": ["education", "childrens_social_care"]},
        ),
        (RuleKind.CURRENT_ROLE, {"roles": ["dcs"]}, {"roles": ["dcs"]}),
        (
            RuleKind.CURRENT_ROLE,
            {"roles": ["dcs", "lead_member"], "within_months": "12"},
            {"roles": ["dcs", "lead_member"], "within_months": 12},
        ),
        (RuleKind.NATION, {"nations": ["wales"]}, {"nations": ["wales"]}),
        (RuleKind.EMPLOYER_TYPE, {"types": ["local_authority"]}, {"types": ["local_authority"]}),
        (
            RuleKind.SELF_DECLARATION,
            {"key": "ready", "statement": "I am  ready\nto lead"},
            {"key": "ready", "statement": "I am ready to lead"},
        ),
        (RuleKind.REQUIRED_DOCUMENT, {"document_kind": "cv"}, {"document_kind": "cv"}),
        (RuleKind.ENDORSEMENT, {}, {}),
    ],
)
def test_each_kind_is_saved_with_the_params_the_engine_reads(
    programme, manager_client, kind: str, fields: dict[str, Any], params: dict[str, Any]
) -> None:
    _rule(programme, 4)
    response = _save(
        manager_client,
        reverse("manage:rule_create", args=[programme.pk]),
        kind,
        message="A summary",
        **fields,
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    rule = EligibilityRule.objects.filter(programme=programme).latest("pk")
    assert (rule.kind, rule.params, rule.message, rule.version) == (kind, params, "A summary", 1)
    assert rule.position == 5  # checked after the rules already there
    assert p.validate_params(kind, rule.params) == params


def test_a_blank_key_is_made_from_the_statement_and_kept_unique(programme, manager_client) -> None:
    taken = "i_am_ready_to_lead_a_service_within_the"
    _rule(programme, 1, kind=RuleKind.SELF_DECLARATION, params={"key": taken, "statement": "A"})
    response = _save(
        manager_client,
        reverse("manage:rule_create", args=[programme.pk]),
        RuleKind.SELF_DECLARATION,
        statement="I am ready to lead a service within the next three years",
        key="",
        message="Ready",
    )
    assert response.status_code == 302
    rule = EligibilityRule.objects.filter(programme=programme).latest("pk")
    assert rule.params["key"] == f"{taken}_2"


def test_a_blank_key_on_an_existing_declaration_keeps_its_key(programme, manager_client) -> None:
    rule = _rule(
        programme, 1, kind=RuleKind.SELF_DECLARATION, params={"key": "ready", "statement": "A"}
    )
    response = _save(
        manager_client, _urls(rule)["edit"], RuleKind.SELF_DECLARATION, statement="B", key="",
        message="Ready", version=1,
    )  # fmt: skip
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.params == {"key": "ready", "statement": "B"}


def test_suggested_keys() -> None:
    assert rule_forms.suggest_key("I identify as a Black or Asian leader", taken=set()) == (
        "i_identify_as_a_black_or_asian_leader"
    )
    assert rule_forms.suggest_key("Ready", taken={"ready", "ready_2"}) == "ready_3"
    assert rule_forms.suggest_key("!!!", taken=set()) == "declaration"
    long = rule_forms.suggest_key("word " * 40, taken=set())
    assert len(long) <= rule_forms.SUGGESTED_KEY_LENGTH and not long.endswith("_")


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        (RuleKind.MIN_SENIOR_YEARS, {"years": ""}, "years", rule_forms.YEARS_REQUIRED),
        (RuleKind.MIN_SENIOR_YEARS, {"years": "0"}, "years", rule_forms.YEARS_INVALID),
        (RuleKind.MIN_SENIOR_YEARS, {"years": "2.25"}, "years", rule_forms.YEARS_PRECISION),
        (RuleKind.MIN_SENIOR_YEARS, {"years": "3", "sectors": ["mars"]}, "sectors",
         rule_forms.NOT_AN_OPTION),
        (RuleKind.CURRENT_ROLE, {}, "roles", rule_forms.ROLES_REQUIRED),
        (RuleKind.CURRENT_ROLE, {"roles": ["dcs"], "within_months": "0"}, "within_months",
         rule_forms.MONTHS_INVALID),
        (RuleKind.NATION, {}, "nations", rule_forms.NATIONS_REQUIRED),
        (RuleKind.EMPLOYER_TYPE, {}, "types", rule_forms.TYPES_REQUIRED),
        (RuleKind.SELF_DECLARATION, {"statement": "  "}, "statement",
         rule_forms.STATEMENT_REQUIRED),
        (RuleKind.SELF_DECLARATION, {"statement": "I agree", "key": "Not a slug!"}, "key",
         p.ERROR_KEY_SLUG),
        (RuleKind.REQUIRED_DOCUMENT, {"document_kind": "passport"}, "document_kind",
         rule_forms.NOT_AN_OPTION),
    ],
)  # fmt: skip
def test_bad_input_is_shown_beside_its_field_with_a_400_and_nothing_saved(
    programme, manager_client, kind: str, fields: dict[str, Any], field: str, message: Any
) -> None:
    response = _save(
        manager_client,
        reverse("manage:rule_create", args=[programme.pk]),
        kind,
        message="A summary",
        **fields,
    )
    assert response.status_code == 400
    assert str(message) in response.context["form"].errors[field]
    assert "There is a problem" in _text(response)
    assert not EligibilityRule.objects.filter(programme=programme).exists()


def test_a_missing_summary_is_a_400(programme, manager_client) -> None:
    response = _save(
        manager_client,
        reverse("manage:rule_create", args=[programme.pk]),
        RuleKind.ENDORSEMENT,
        message="   ",
    )
    assert response.status_code == 400
    assert response.context["form"].errors["message"] == [str(rule_forms.MESSAGE_REQUIRED)]


def test_a_key_another_rule_uses_is_refused_beside_the_key_field(programme, manager_client) -> None:
    """rule_clean's own check comes back beside the field, not as a 500."""
    _rule(programme, 1, kind=RuleKind.SELF_DECLARATION, params={"key": "ready", "statement": "A"})
    response = _save(
        manager_client,
        reverse("manage:rule_create", args=[programme.pk]),
        RuleKind.SELF_DECLARATION,
        statement="B",
        key="ready",
        message="Ready",
    )
    assert response.status_code == 400
    assert response.context["form"].errors["key"] == [
        str(ERROR_DUPLICATE_DECLARATION_KEY % {"key": "ready"})
    ]
    assert EligibilityRule.objects.filter(programme=programme).count() == 1


# --- Preview ---------------------------------------------------------------------


def test_preview_shows_the_engines_wording_and_saves_nothing(programme, manager_client) -> None:
    url = reverse("manage:rule_create", args=[programme.pk])
    response = manager_client.post(
        url,
        {"kind": RuleKind.NATION, "nations": ["wales"], "message": "Work in Wales",
         "action": "preview"},
    )  # fmt: skip
    assert response.status_code == 200
    page = _text(response)
    assert "Preview: how applicants will see this rule" in page
    assert str(REASON_NATION_MATCH % {"nation": "Wales"}) in page
    assert str(REASON_NATION_OTHER % {"nation": "England", "nations": "Wales"}) in page
    assert [r.outcome for r in response.context["preview"].results] == ["pass", "fail", "unknown"]
    assert not EligibilityRule.objects.filter(programme=programme).exists()
    # The form keeps what was typed, ready to save.
    assert response.context["form"]["message"].value() == "Work in Wales"


@pytest.mark.parametrize("kind", list(RuleKind))
def test_every_kind_can_be_previewed(programme, manager_client, kind: str) -> None:
    fields = {
        RuleKind.MIN_SENIOR_YEARS: {"years": "2.5", "sectors": ["education"]},
        RuleKind.CURRENT_ROLE: {"roles": list(rule_forms.CurrentRole.values), "within_months": 6},
        RuleKind.NATION: {"nations": list(rule_forms.Nation.values)},
        RuleKind.EMPLOYER_TYPE: {"types": ["nhs"]},
        RuleKind.SELF_DECLARATION: {"statement": "I agree"},
        RuleKind.REQUIRED_DOCUMENT: {"document_kind": "cv"},
        RuleKind.ENDORSEMENT: {},
    }[kind]
    response = manager_client.post(
        reverse("manage:rule_create", args=[programme.pk]),
        {"kind": kind, "message": "Summary", "action": "preview", **fields},
    )
    assert response.status_code == 200
    results = response.context["preview"].results
    assert results[0].outcome == "pass" and results[-1].outcome == "unknown"
    assert all(result.reason for result in results)


def test_preview_of_a_declaration_shows_the_question_and_the_suggested_key(
    programme, manager_client
) -> None:
    response = manager_client.post(
        reverse("manage:rule_create", args=[programme.pk]),
        {"kind": RuleKind.SELF_DECLARATION, "statement": "I lead a service", "key": "",
         "message": "Leads a service", "action": "preview"},
    )  # fmt: skip
    assert response.status_code == 200
    page = _text(response)
    assert "The question applicants answer" in page
    assert "<fieldset disabled" in page
    assert 'id="id_preview-i_lead_a_service_0"' in page
    # The suggested key is put in the key box, so what was previewed is what is saved.
    assert response.context["form"]["key"].value() == "i_lead_a_service"
    assert str(rule_forms.KEY_SUGGESTED % {"key": "i_lead_a_service"}) in page
    assert not EligibilityRule.objects.filter(programme=programme).exists()


def test_an_invalid_preview_is_a_400(programme, manager_client) -> None:
    response = manager_client.post(
        reverse("manage:rule_create", args=[programme.pk]),
        {"kind": RuleKind.NATION, "message": "Work in Wales", "action": "preview"},
    )
    assert response.status_code == 400
    assert response.context["preview"] is None


# --- Editing ---------------------------------------------------------------------


def test_the_edit_form_starts_from_the_rule_and_a_change_bumps_its_version(
    programme, manager_client
) -> None:
    rule = _rule(programme, 1, params={"nations": ["wales"]}, message="Work in Wales")
    url = _urls(rule)["edit"]
    form = manager_client.get(url).context["form"]
    assert form["nations"].value() == ["wales"] and form["version"].value() == 1

    response = _save(
        manager_client, url, RuleKind.NATION, nations=["wales", "england"],
        message="Work in Wales or England", version=1,
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rule-{rule.pk}")
    rule.refresh_from_db()
    assert (rule.version, rule.params) == (2, {"nations": ["wales", "england"]})
    assert "version 2" in messages_of(response)[0]


def test_saving_what_the_rule_already_says_keeps_its_version(programme, manager_client) -> None:
    rule = _rule(programme, 1, params={"nations": ["wales"]}, message="Work in Wales")
    response = _save(
        manager_client, _urls(rule)["edit"], RuleKind.NATION, nations=["wales"],
        message="Work in Wales", version=1,
    )  # fmt: skip
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.version == 1


def test_the_kind_of_a_rule_can_be_changed(programme, manager_client) -> None:
    rule = _rule(programme, 1)
    url = _urls(rule)["edit"]
    chooser = manager_client.get(url, {"choose": "1"})
    assert chooser.status_code == 200
    assert re.search(r'value="nation"[^>]* checked', _text(chooser))
    fields = manager_client.get(url, {"kind": RuleKind.ENDORSEMENT}).context["form"].fields
    assert "nations" not in fields
    response = _save(manager_client, url, RuleKind.ENDORSEMENT, message="Has a sponsor", version=1)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.params, rule.version) == (RuleKind.ENDORSEMENT, {}, 2)


def test_editing_says_who_was_screened_against_this_version(
    cohort, programme, manager_client
) -> None:
    rule = _rule(programme, 1)
    _screened(cohort, (rule, 1))
    assert "1 application was screened against version 1; it keeps that outcome." in _text(
        manager_client.get(_urls(rule)["edit"])
    )
    _screened(cohort, (rule, 1))
    page = _text(manager_client.get(_urls(rule)["edit"]))
    assert (
        "2 applications were screened against version 1; they keep that outcome. "
        "New applications will be screened against the new version."
    ) in page


def test_an_edit_of_a_rule_changed_since_the_page_opened_is_refused_with_409(
    programme, manager_client, manager
) -> None:
    rule = _rule(programme, 1, params={"nations": ["wales"]}, message="Work in Wales")
    url = _urls(rule)["edit"]
    stale_page = {"kind": RuleKind.NATION, "nations": ["england"], "message": "England",
                  "version": 1, "action": "save"}  # fmt: skip
    # Someone else saves first.
    _save(manager_client, url, RuleKind.NATION, nations=["scotland"], message="Scotland", version=1)
    after_theirs = _state(programme)

    response = manager_client.post(url, stale_page)

    assert response.status_code == 409
    assert str(RULE_CHANGED % {"version": 2}) in _text(response)
    assert response.context["current"].message == "Scotland"
    assert response.context["form"]["version"].value() == "2"
    assert response.context["form"]["nations"].value() == ["england"]
    assert _state(programme) == after_theirs
    # A replay of the stale page is refused again; nothing changes.
    assert manager_client.post(url, stale_page).status_code == 409
    assert _state(programme) == after_theirs


@pytest.mark.parametrize("version", [None, "", "two", "99999999999999999999"])
def test_an_edit_without_the_version_it_started_from_is_refused(
    programme, manager_client, version
) -> None:
    rule = _rule(programme, 1)
    before = _state(programme)
    data = {"kind": RuleKind.NATION, "nations": ["england"], "message": "England", "action": "save"}
    if version is not None:
        data["version"] = version
    response = manager_client.post(_urls(rule)["edit"], data)
    assert response.status_code == 400
    assert str(rule_forms.FORM_OUT_OF_DATE) in _text(response)
    assert _state(programme) == before


def test_a_rule_saved_around_the_service_can_still_be_opened_and_repaired(
    programme, manager_client
) -> None:
    broken = _rule(programme, 1, kind=RuleKind.CURRENT_ROLE, params={"roles": "dcs", "x": 1})
    odd = _rule(programme, 2, kind=RuleKind.MIN_SENIOR_YEARS, params=["not", "a", "dict"])
    assert manager_client.get(_urls(broken)["edit"]).status_code == 200
    assert manager_client.get(_urls(odd)["edit"]).status_code == 200
    assert manager_client.get(_urls(odd)["rules"]).status_code == 200
    response = _save(
        manager_client, _urls(broken)["edit"], RuleKind.CURRENT_ROLE, roles=["dcs"],
        message="Directors", version=1,
    )  # fmt: skip
    assert response.status_code == 302
    broken.refresh_from_db()
    assert (broken.params, broken.version) == ({"roles": ["dcs"]}, 2)


def test_an_edit_keeps_a_move_or_retirement_made_while_the_page_was_open(
    programme, manager_client
) -> None:
    rule = _rule(programme, 1)
    _rule(programme, 2)
    page = manager_client.get(_urls(rule)["edit"])
    assert page.status_code == 200
    manager_client.post(_urls(rule)["move"], {"position": 2})
    manager_client.post(_urls(rule)["retire"])
    _save(manager_client, _urls(rule)["edit"], RuleKind.NATION, nations=["england"],
          message="England", version=1)  # fmt: skip
    rule.refresh_from_db()
    assert (rule.message, rule.version, rule.is_active, rule.position) == ("England", 2, False, 2)


# --- Moving and retiring -------------------------------------------------------


def test_move_up_down_and_to_a_position_renumber_without_new_versions(
    programme, manager_client
) -> None:
    a, b, c = (_rule(programme, n * 10) for n in range(3))
    gone = _rule(programme, 5, is_active=False)

    response = manager_client.post(_urls(c)["move"], {"position": 2})  # "Move up"
    assert response.status_code == 302 and messages_of(response) == [str(RULE_MOVED)]
    assert _order(programme) == [a.pk, c.pk, b.pk]
    manager_client.post(_urls(a)["move"], {"position": 2})  # "Move down"
    assert _order(programme) == [c.pk, a.pk, b.pk]
    manager_client.post(_urls(b)["move"], {"position": 1})
    assert _order(programme) == [b.pk, c.pk, a.pk]
    manager_client.post(_urls(b)["move"], {"position": 99})  # beyond the end: the end
    assert _order(programme) == [c.pk, a.pk, b.pk]

    positions = dict(
        EligibilityRule.objects.filter(programme=programme).values_list("pk", "position")
    )
    assert positions == {c.pk: 1, a.pk: 2, b.pk: 3, gone.pk: 4}
    assert set(
        EligibilityRule.objects.filter(programme=programme).values_list("version", flat=True)
    ) == {1}


def test_a_replayed_move_changes_nothing(programme, manager_client) -> None:
    a, b = _rule(programme, 1), _rule(programme, 2)
    manager_client.post(_urls(b)["move"], {"position": 1})
    before = _state(programme)
    response = manager_client.post(_urls(b)["move"], {"position": 1})
    assert response.status_code == 302
    assert messages_of(response)[-1] == str(RULE_ALREADY_THERE)
    assert _state(programme) == before
    assert _order(programme) == [b.pk, a.pk]


@pytest.mark.parametrize("position", ["", "0", "two", "99999999999999999999"])
def test_a_bad_position_is_a_400_and_moves_nothing(programme, manager_client, position) -> None:
    a, _b = _rule(programme, 1), _rule(programme, 2)
    before = _state(programme)
    response = manager_client.post(_urls(a)["move"], {"position": position})
    assert response.status_code == 400
    assert str(rule_forms.POSITION_INVALID) in _text(response)
    assert _state(programme) == before


def test_a_retired_rule_cannot_be_moved(programme, manager_client) -> None:
    gone = _rule(programme, 1, is_active=False)
    _rule(programme, 2)
    before = _state(programme)
    response = manager_client.post(_urls(gone)["move"], {"position": 1})
    assert response.status_code == 409
    assert str(RULE_NOT_IN_USE) in _text(response)
    assert _state(programme) == before


def test_retire_and_bring_back_keep_the_version_and_replays_are_harmless(
    programme, manager_client, manager
) -> None:
    rule = _rule(programme, 1, message="Work in Wales")
    url = _urls(rule)["retire"]

    response = manager_client.post(url)
    assert messages_of(response) == [str(RULE_RETIRED)]
    rule.refresh_from_db()
    assert (rule.is_active, rule.version) == (False, 1)
    before = _state(programme)
    replay = manager_client.post(url)
    assert replay.status_code == 302 and messages_of(replay)[-1] == str(RULE_ALREADY_RETIRED)
    assert _state(programme) == before

    response = manager_client.post(url, {"bring_back": "1"})
    assert messages_of(response)[-1] == str(RULE_BROUGHT_BACK)
    rule.refresh_from_db()
    assert (rule.is_active, rule.version) == (True, 1)

    history = history_of_rules(programme=programme)
    assert [(e.by, e.action) for e in history[:2]] == [
        ("Morgan Manager", "Changed"),
        ("Morgan Manager", "Changed"),
    ]
    assert [(c.before, c.after) for c in history[1].changes] == [("True", "False")]
    page = _text(manager_client.get(_urls(rule)["rules"]))
    assert "History of changes" in page and "Work in Wales" in page


# --- Nobody is re-screened ------------------------------------------------------------


def test_an_edit_keeps_stored_outcomes_and_new_applications_use_the_new_version(
    ready,  # noqa: F811 (the applications tests' fixture, imported above)
    client,
    django_capture_on_commit_callbacks,
) -> None:
    programme = ready.cohort.programme
    user = factories.UserFactory(email="rules@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        first = application_submit(application=ready.application, by=ready.applicant)
    stored = Application.objects.values_list(
        "eligibility_outcome", "eligibility_results", "state"
    ).get(pk=first.pk)
    assert stored[0] == EligibilityOutcome.ELIGIBLE
    years_rule = programme.eligibility_rules.get(kind=RuleKind.MIN_SENIOR_YEARS)

    response = _save(
        client, _urls(years_rule)["edit"], RuleKind.MIN_SENIOR_YEARS, years="30",
        message="At least thirty years", version=1,
    )  # fmt: skip

    assert response.status_code == 302
    assert (
        Application.objects.values_list("eligibility_outcome", "eligibility_results", "state").get(
            pk=first.pk
        )
        == stored
    )
    assert {r["version"] for r in stored[1] if r["rule_id"] == years_rule.pk} == {1}

    another = factories.CohortFactory(programme=programme)
    draft = factories.ApplicationFactory(
        cohort=another,
        applicant=ready.applicant,
        state="draft",
        sections_done=ready.application.sections_done,
        declarations=ready.application.declarations,
        supporting_statement="Again.",
        endorser_name="Sam Patel",
        endorser_role="Director",
        endorser_email="sam.patel@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = application_submit(application=draft, by=ready.applicant)
    result = next(r for r in second.eligibility_results if r["rule_id"] == years_rule.pk)
    assert (result["version"], result["outcome"]) == (2, "fail")
    assert second.eligibility_outcome == EligibilityOutcome.INELIGIBLE

    page = client.get(_urls(years_rule)["rules"])
    counts = {row.rule.pk: row.screened for row in page.context["in_use"]}
    assert (counts[years_rule.pk].current, counts[years_rule.pk].earlier) == (1, 1)
