"""Writes to programmes from the console: create, edit, publish and unpublish.

Each service locks the programme row, re-checks what it needs on the locked
row, and saves only the fields it changed. The audit log (django-auditlog,
docs/adr/0006) records every save; `acting_as(by)` (portal.audit) names the person even when
the call does not come from a request.

Only the programme row is locked, never its cohorts: the places services lock
a cohort and never its programme, so the two cannot wait on each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from accounts.models import User
from portal.audit import acting_as

from ..errors import (
    NO_TEAM_EMAIL,
    SLUG_TAKEN,
    STALE_PROGRAMME,
    CannotPublish,
    SlugTaken,
    StaleProgramme,
)
from ..models import Programme, ProgrammeTeamMember, Provider
from .team import account_for, team_added_email_queue

# What a programme's team may change in the console. The slug stays as it was, so
# links people have saved or shared keep working; the admission mode stays too,
# because the applications already made follow the lifecycle of the mode they
# were made under.
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "description",
    "themes",
    "audience",
    "format",
    "duration",
    "cost_type",
    "cost_amount",
    "cost_note",
    "accreditation",
    "funder",
    "contact_email",
)
ONLY_SITE_ADMINISTRATORS = "Only site administrators create programmes."


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _apply(programme: Programme, data: Mapping[str, Any]) -> list[str]:
    """Set the editable fields given in `data`; return the names of those that changed."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if getattr(programme, name) != value:
            setattr(programme, name, value)
            changed.append(name)
    return changed


def programme_update(
    *,
    programme: Programme,
    data: Mapping[str, Any],
    providers: Iterable[Provider] | None = None,
    seen_updated_at: dt.datetime | None = None,
    by: User,
) -> Programme:
    """Change the programme's editable fields (and providers, when given).

    `seen_updated_at` is the programme's `updated_at` when the person opened the
    form: if the row has changed since, nothing is saved and StaleProgramme is
    raised, so one person never silently overwrites another's edit. Raises
    django's ValidationError for values the model refuses.
    """
    with transaction.atomic(), acting_as(by):
        locked = _lock(programme)
        if seen_updated_at is not None and locked.updated_at != seen_updated_at:
            raise StaleProgramme(STALE_PROGRAMME)
        changed = _apply(locked, data)
        wanted = {provider.pk for provider in providers} if providers is not None else None
        providers_changed = wanted is not None and wanted != set(
            locked.providers.values_list("pk", flat=True)
        )
        if not changed and not providers_changed:
            return locked
        locked.full_clean(validate_unique=False)
        # updated_at moves with every change, the providers included, so a form
        # opened before this one is refused.
        locked.save(update_fields=[*changed, "updated_at"])
        if providers_changed:
            locked.providers.set(wanted or ())
    return locked


def programme_publish(*, programme: Programme, publish: bool, by: User) -> Programme:
    """Publish or unpublish. Doing what is already done changes nothing.

    Publishing needs a team email: the programme page and every email to an
    applicant point people to it. It does not need a cohort: a team announces a
    programme before its dates, and the public page then says no dates are
    announced yet and offers to email people when they are.
    """
    with transaction.atomic(), acting_as(by):
        locked = _lock(programme)
        if locked.is_published == publish:
            return locked
        if publish and not locked.contact_email:
            raise CannotPublish(NO_TEAM_EMAIL)
        locked.is_published = publish
        locked.save(update_fields=["is_published", "updated_at"])
    return locked


def programme_create(
    *,
    data: Mapping[str, Any],
    providers: Iterable[Provider],
    slug: str,
    admission_mode: str,
    first_manager_email: str,
    by: User,
) -> Programme:
    """A new, unpublished programme with its first manager, who is told by email.

    Site administrators only. The manager must already have an account (NoAccount
    otherwise: accounts are never made on someone's behalf here); a slug in use is
    SlugTaken.
    """
    if not (by.is_active and by.is_superuser):
        raise PermissionDenied(ONLY_SITE_ADMINISTRATORS)
    manager = account_for(first_manager_email)
    programme = Programme(slug=slug, admission_mode=admission_mode, is_published=False)
    _apply(programme, data)
    if Programme.objects.filter(slug=slug).exists():
        raise SlugTaken(SLUG_TAKEN)
    programme.full_clean(validate_unique=False)
    try:
        with transaction.atomic(), acting_as(by):
            programme.save(force_insert=True)
            programme.providers.set(list(providers))
            member = ProgrammeTeamMember.objects.create(
                user=manager, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
            )
            team_added_email_queue(member=member, by=by)
    except IntegrityError as error:
        # Someone took the slug between the check above and the insert.
        if Programme.objects.filter(slug=slug).exists():
            raise SlugTaken(SLUG_TAKEN) from error
        raise
    return programme
