"""Provider API tokens, background export jobs and the record of every export."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Programme, Provider

from .storage import export_storage


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ProviderApiToken(models.Model):
    """A key a provider's own system uses for the API. Only its sha256 digest is stored:
    the key itself is shown once, when it is made, and cannot be recovered."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="api_tokens")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once a minute (providers.api.authentication), not on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the token does not expire.")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("provider API token")
        verbose_name_plural = _("provider API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.provider})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.has_expired

    @property
    def has_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class ExportJob(models.Model):
    """A large export built by a Celery worker into a private file that expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="export_jobs")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, null=True, blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(storage=export_storage, upload_to="exports/%Y/%m/", blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the build task was last handed to the broker: the sweep queues a job
    # again if it is still pending a while after (the broker may have lost it).
    queued_at = models.DateTimeField(default=timezone.now)
    # Set when a worker claims the job and on every progress update; a running job
    # whose heartbeat is older than the task's hard time limit has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker has claimed the job; each attempt's writes are
    # checked against it, so a worker given up for dead cannot overwrite a newer one.
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cohort__isnull=False) | models.Q(programme__isnull=False),
                name="export_job_has_a_cohort_or_programme",
                violation_error_message=_("An export needs a cohort or a programme."),
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.get_status_display()})"


class ExportRecord(models.Model):
    """Personal data left the system: who took it, when, what, how many rows. Never edited."""

    class Via(models.TextChoices):
        PAGE = "page", _("Download from the provider area")
        BACKGROUND = "background", _("Built in the background")
        API = "api", _("API")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="exports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.ForeignKey(
        ProviderApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.SET_NULL, null=True, blank=True)
    format = models.CharField(_("format"), max_length=10)
    via = models.CharField(_("how"), max_length=12, choices=Via)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")

    def __str__(self) -> str:
        return f"{self.provider}: {self.row_count} rows ({self.via}, {self.created_at:%Y-%m-%d})"


# Who made or revoked a token, and when, is on record (docs/adr/0006-audit-log-library.md);
# its use is not: that is what last_used_at and the export records are for.
auditlog.register(ProviderApiToken, exclude_fields=["key_hash", "last_used_at"])
