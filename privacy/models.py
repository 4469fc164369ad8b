"""Data downloads built in the background, and the record of every data-rights action.

The app depends on every other one (it reads and erases what they hold); nothing
depends on it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from providers.storage import export_storage


class DataExport(models.Model):
    """One "download your data" request: a ZIP built by a worker into a private file.

    Mirrors providers.ExportJob: claimed under a row lock, a heartbeat while it
    builds, attempts counted so a worker given up for dead cannot overwrite a
    newer attempt, and a sweep for jobs nobody is working on.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(storage=export_storage, upload_to="privacy/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the build task was last handed to the broker (see ExportJob.queued_at).
    queued_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")
        indexes = [models.Index(fields=["status", "queued_at"], name="privacy_export_due")]

    def __str__(self) -> str:
        return f"Data download {self.pk} ({self.get_status_display()})"

    def has_expired(self, now: dt.datetime | None = None) -> bool:
        """Past its expiry, or its file already purged."""
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return True
        return self.status == self.Status.DONE and not self.file

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class PrivacyEvent(models.Model):
    """Who did what about their data, and when. Never edited; kept after erasure."""

    class Kind(models.TextChoices):
        EXPORT_REQUESTED = "export_requested", _("Asked to download their data")
        EXPORT_READY = "export_ready", _("Data download prepared")
        EXPORT_DOWNLOADED = "export_downloaded", _("Downloaded their data")
        EXPORT_PURGED = "export_purged", _("Expired data download deleted")
        ACCOUNT_DELETED = "account_deleted", _("Deleted their account")
        ACCOUNT_ANONYMISED = "account_anonymised", _("Anonymised after a long time without use")

    # The person the event is about. After erasure this is the anonymised account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    export = models.ForeignKey(
        DataExport, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # Counts only (places given up, drafts deleted...), never personal data.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data rights event")
        verbose_name_plural = _("data rights events")
        indexes = [models.Index(fields=["user", "kind"], name="privacy_event_user_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user_id}, {self.created_at:%Y-%m-%d})"


# An account with one of these events has been erased: nothing personal is left to erase.
ERASURES = (PrivacyEvent.Kind.ACCOUNT_DELETED, PrivacyEvent.Kind.ACCOUNT_ANONYMISED)
