"""acting_as names the actor in the audit log, and leaves a request's own context intact."""

from __future__ import annotations

import pytest
from auditlog.context import auditlog_value, set_extra_data
from auditlog.models import LogEntry
from django.db.models.signals import pre_save

from portal.audit import acting_as
from tests import factories

pytestmark = pytest.mark.django_db


def _receivers() -> int:
    return len(pre_save._live_receivers(LogEntry)[0])  # type: ignore[attr-defined]


def test_the_actor_is_recorded_outside_any_request() -> None:
    user = factories.UserFactory(full_name="Robin Rules")
    with acting_as(user):
        rule = factories.EligibilityRuleFactory()
    assert LogEntry.objects.get_for_object(rule).get().actor == user


def test_inside_a_request_the_outer_context_is_put_back_and_nothing_is_left_connected() -> None:
    user = factories.UserFactory()
    before = _receivers()
    with set_extra_data({"actor": None, "remote_addr": "192.0.2.1", "remote_port": None}):
        outer = auditlog_value.get()
        with acting_as(user):
            rule = factories.EligibilityRuleFactory()
        assert auditlog_value.get() is outer
        rule.message = "Changed after"
        rule.save()
    assert _receivers() == before
    first, second = LogEntry.objects.get_for_object(rule).order_by("pk")
    assert first.actor == user
    assert second.remote_addr == "192.0.2.1"


def test_no_one_leaves_the_actor_as_it_was() -> None:
    with acting_as(None):
        rule = factories.EligibilityRuleFactory()
    assert LogEntry.objects.get_for_object(rule).get().actor is None
