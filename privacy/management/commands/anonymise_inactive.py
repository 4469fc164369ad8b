"""python manage.py anonymise_inactive [--dry-run]: the retention job, by hand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from privacy.services.retention import inactive_accounts_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise applicants with no sign-in and no change to an application for "
        "RETENTION_DAYS. Staff, screeners, provider staff and administrators are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many would be anonymised; change nothing.",
        )
        parser.add_argument("--limit", type=int, default=None, help="Anonymise at most this many.")

    def handle(self, *args: Any, dry_run: bool, limit: int | None, **options: Any) -> None:
        run = inactive_accounts_anonymise(dry_run=dry_run, limit=limit)
        since = f"{run.cutoff:%Y-%m-%d} ({settings.RETENTION_DAYS} days)"
        if dry_run:
            self.stdout.write(f"Would anonymise {len(run.chosen)} accounts inactive since {since}.")
            for pk in run.chosen:
                self.stdout.write(f"  user {pk}")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Anonymised {len(run.anonymised)} accounts inactive since {since}.")
        )
