"""Reading the audit log for the console's pages: who changed what, when, before and after.

The entries are written by django-auditlog (docs/adr/0006-audit-log-library.md)
for every save of a programme, cohort, eligibility rule or team member, from
the console, the admin, a task or a command alike. Entries of a programme's
cohorts, rules and team carry the programme's id in `additional_data`, so the
programme's page lists them in one query, removals included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, EligibilityRule
from applications.services.assignment import ASSIGNED_FIELD
from programmes.models import Cohort, Programme

# Enough to see recent changes on a page without it growing for ever.
SHOWN = 50

ACTIONS = {
    LogEntry.Action.CREATE: _("Added"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Removed"),
}
BY_THE_SYSTEM = _("the system")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: str
    action: str
    what: str
    changes: list[Change] = field(default_factory=list)


def _entry(log: LogEntry) -> HistoryEntry:
    changes: list[Change] = []
    # A new or removed object is named whole; listing each field's "None → value" says less.
    if log.action == LogEntry.Action.UPDATE:
        for label, values in log.changes_display_dict.items():
            before, after = [*list(values), "", ""][:2]
            changes.append(Change(field=str(label), before=str(before), after=str(after)))
    actor = log.actor
    return HistoryEntry(
        at=log.timestamp,
        by=(actor.get_full_name() or actor.email) if actor is not None else str(BY_THE_SYSTEM),
        action=str(ACTIONS.get(log.action, log.get_action_display())),
        what=log.object_repr,
        changes=changes,
    )


def _entries(condition: Q) -> list[HistoryEntry]:
    logs = (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")[:SHOWN]
    )
    return [_entry(log) for log in logs]


def _of(obj: Model) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def history_of_programme(*, programme: Programme) -> list[HistoryEntry]:
    """The programme's own changes and those of its cohorts, rules and team, newest first."""
    return _entries(_of(programme) | Q(additional_data__programme_id=programme.pk))


def history_of_cohort(*, cohort: Cohort) -> list[HistoryEntry]:
    return _entries(_of(cohort))


def history_of_rules(*, programme: Programme) -> list[HistoryEntry]:
    """Changes to the programme's eligibility rules only, removed rules included, newest first."""
    return _entries(
        Q(
            content_type=ContentType.objects.get_for_model(EligibilityRule),
            additional_data__programme_id=programme.pk,
        )
    )


@dataclass(frozen=True)
class Assignment:
    at: datetime
    by: str
    before: str
    after: str


def assignments_of(*, application: Application) -> list[Assignment]:
    """Who assigned the application to whom, newest first, in one query.

    Written by applications.services.assignment with the names as they were, so
    nothing else is looked up (auditlog's own display would fetch each person).
    """
    meta = Application._meta
    # The content type by its natural key, joined: one query whether or not Django's
    # content-type cache is warm, so the page's query count does not depend on it.
    logs = (
        LogEntry.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=application.pk,
            action=LogEntry.Action.UPDATE,
        )
        .select_related("actor")
        .order_by("-timestamp", "-id")[:SHOWN]
    )
    entries = []
    for log in logs:
        values = (log.changes or {}).get(ASSIGNED_FIELD)
        if not isinstance(values, list) or len(values) != 2:
            continue
        actor = log.actor
        entries.append(
            Assignment(
                at=log.timestamp,
                by=(actor.full_name or actor.email) if actor is not None else str(BY_THE_SYSTEM),
                before=str(values[0]),
                after=str(values[1]),
            )
        )
    return entries
