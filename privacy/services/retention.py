"""Retention: applicants who have not used the portal for RETENTION_DAYS are anonymised.

Uses the same erasure as "delete your account", without the email (nobody asked,
and the address may have long stopped being theirs). Idempotent: an erased account
is never chosen again, and each one is re-checked under its own row lock.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from ..models import PrivacyEvent
from ..selectors import inactive_applicants
from .erasure import AccountHasRoles, AlreadyErased, account_erase

logger = logging.getLogger(__name__)


@dataclass
class RetentionRun:
    cutoff: dt.datetime
    chosen: list[int] = field(default_factory=list)
    anonymised: list[int] = field(default_factory=list)


def retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.RETENTION_DAYS)


def inactive_accounts_anonymise(
    *, now: dt.datetime | None = None, dry_run: bool = False, limit: int | None = None
) -> RetentionRun:
    """Anonymise every applicant with no sign-in and no application change since the cutoff.

    With `dry_run` it only says who would be. Each account is its own transaction,
    so one that fails is logged and the rest still go.
    """
    run = RetentionRun(cutoff=retention_cutoff(now=now))
    chosen = inactive_applicants(cutoff=run.cutoff)
    run.chosen = list(
        chosen.values_list("pk", flat=True)[:limit]
        if limit
        else chosen.values_list("pk", flat=True)
    )
    if dry_run:
        return run
    for user in chosen.filter(pk__in=run.chosen):
        try:
            account_erase(user=user, kind=PrivacyEvent.Kind.ACCOUNT_ANONYMISED, notify=False)
        except (AlreadyErased, AccountHasRoles):
            continue  # erased, or given a role, since it was chosen
        except Exception:
            logger.exception("Could not anonymise account %s; the next run tries again.", user.pk)
            continue
        run.anonymised.append(user.pk)
    return run
