"""Rule writes under real concurrency: threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection

from applications.eligibility.services import rule_move, rule_save
from applications.models import EligibilityRule, RuleKind
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=30)
            return job()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [future.result() for future in [pool.submit(run, job) for job in jobs]]


def test_two_simultaneous_saves_of_one_rule_give_two_versions() -> None:
    editor = factories.UserFactory()
    rule = factories.EligibilityRuleFactory(kind=RuleKind.NATION, params={"nations": ["wales"]})

    def save(nations: list[str]) -> Callable[[], int]:
        def job() -> int:
            # Each editor read the rule at version 1, before the other saved.
            mine = EligibilityRule.objects.get(pk=rule.pk)
            mine.params = {"nations": nations}
            return rule_save(rule=mine, by=editor).version

        return job

    versions = _at_once([save(["england"]), save(["scotland"])])

    assert sorted(versions) == [2, 3]
    assert EligibilityRule.objects.get(pk=rule.pk).version == 3
    updates = LogEntry.objects.get_for_object(rule).filter(action=LogEntry.Action.UPDATE)
    assert updates.count() == 2 and {entry.actor for entry in updates} == {editor}


def test_simultaneous_moves_never_deadlock_and_leave_positions_one_to_n() -> None:
    programme = factories.ProgrammeFactory()
    rules = [factories.EligibilityRuleFactory(programme=programme, position=n) for n in range(6)]
    jobs = [
        (lambda rule=rule, to=to: rule_move(rule=rule, position=to, by=None))
        for rule, to in zip(rules, [6, 1, 4, 2, 5, 3], strict=True)
    ]

    _at_once(jobs)

    positions = sorted(
        EligibilityRule.objects.filter(programme=programme).values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4, 5, 6]
