"""Starting an application and saving its sections as drafts."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from programmes.models import AdmissionMode, Cohort

from ..errors import (
    APPLICATIONS_NOT_OPEN,
    BY_INVITATION_ONLY,
    NOT_A_DRAFT,
    NOT_EDITABLE,
    NOT_PUBLISHED,
    ApplicationLocked,
    ApplicationsClosed,
    NotAcceptingApplications,
    NotADraft,
)
from ..models import Application, ApplicationState
from ..sections import SECTION_KEYS, SectionFacts, section_statuses
from ..selectors import current_application, section_facts_for
from .places.errors import COHORT_CANCELLED, CohortCancelled


def cohort_is_open(cohort: Cohort) -> bool:
    if cohort.is_cancelled:
        return False
    now = timezone.now()
    opens, closes = cohort.applications_open_at, cohort.applications_close_at
    return (
        opens is not None
        and opens <= now
        and (closes is None or now < closes)
        and cohort.starts_on > timezone.localdate()
    )


def ensure_accepting(cohort: Cohort) -> None:
    if cohort.is_cancelled:
        raise CohortCancelled(COHORT_CANCELLED)
    if not cohort.programme.is_published:
        raise NotAcceptingApplications(NOT_PUBLISHED)
    if cohort.programme.admission_mode == AdmissionMode.INVITATION:
        raise NotAcceptingApplications(BY_INVITATION_ONLY)
    if not cohort_is_open(cohort):
        raise ApplicationsClosed(APPLICATIONS_NOT_OPEN)


def application_start(*, cohort: Cohort, applicant: User) -> tuple[Application, bool]:
    """The applicant's current application to `cohort`, created if there is none.

    After a withdrawal that is a new application (the old one stays in the
    history), so it goes to the back of any queue. Safe to call twice at once.
    """
    existing = current_application(cohort=cohort, user=applicant)
    if existing is not None:
        return existing, False
    ensure_accepting(cohort)
    try:
        with transaction.atomic():
            return Application.objects.create(cohort=cohort, applicant=applicant), True
    except IntegrityError:
        # Two tabs or a double click: the other request created it first.
        found = current_application(cohort=cohort, user=applicant)
        if found is None:
            raise
        return found, False


def application_draft_delete(*, application: Application) -> None:
    """Delete a draft and its documents. Anything submitted is withdrawn instead."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().filter(pk=application.pk).first()
        if locked is None:
            return  # already deleted: a replayed form
        if locked.state != ApplicationState.DRAFT:
            raise NotADraft(NOT_A_DRAFT)
        files = [document.file for document in locked.documents.all()]
        locked.delete()
        # Files go only once the rows are gone for good.
        for stored in files:
            transaction.on_commit(partial(stored.delete, save=False))


def application_section_save(
    *,
    application: Application,
    section: str,
    values: Mapping[str, Any] | None = None,
    done: bool = True,
) -> Application:
    """Save one section's fields and mark it done (or not). Only drafts can change."""
    if section not in SECTION_KEYS:
        raise ValueError(f"unknown section {section!r}")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != ApplicationState.DRAFT:
            raise ApplicationLocked(NOT_EDITABLE)
        fields = ["sections_done", "updated_at"]
        for name, value in (values or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        completed = [key for key in locked.sections_done if key != section]
        if done:
            completed.append(section)
        locked.sections_done = [key for key in SECTION_KEYS if key in completed]
        locked.updated_at = timezone.now()
        locked.save(update_fields=fields)
    return locked


def sections_missing(application: Application, *, facts: SectionFacts | None = None) -> list[str]:
    """Sections asked for that are not done: never confirmed, or confirmed but since
    made incomplete (a statement emptied, a required document deleted, ...)."""
    facts = facts or section_facts_for(application)
    return [
        status.section.key for status in section_statuses(application, facts) if not status.done
    ]
